-- A proposed chimera_append for migrations/0001_event_store.ts (the version without a streams
-- table, version from the primary key), under another name so that it can be measured beside
-- the real one:
--   node --import tsx bench/appendProfile.ts --concurrency 32 --variant bench/chimeraAppendProposal.sql
-- Same signature, same results, same checks in the same order; what changes is how many
-- statements go through the executor (each costs an executor start/end, ~10-15 us here):
--   1. The advisory lock is taken in an assignment, which PL/pgSQL evaluates as a simple
--      expression, not through PERFORM (a full SELECT through SPI and the executor). It is
--      still taken before the next statement's snapshot, and before the transaction has an id.
--   2. The stream's last position and hash and the idempotency probe are one statement (two
--      index probes in one executor run) instead of two.
--   3. The result goes out through the OUT parameters (RETURN NEXT) instead of RETURN QUERY
--      SELECT, one more executor run.
-- Happy path: 2 statements through the executor (read, INSERT) instead of 5 (PERFORM lock,
-- last position, probe, INSERT, RETURN QUERY).
CREATE OR REPLACE FUNCTION chimera_append_variant(p_stream text, p_expected bigint, p_events jsonb)
RETURNS TABLE (ok boolean, stream_version bigint, idempotent boolean, first_position text, last_position text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count int := jsonb_array_length(p_events);
  v_locked text;
  v_existing int;
  v_existing_other int;
  v_current bigint;
  v_prev text;
  v_hash text;
  v_event jsonb;
  v_id uuid;
  v_pos bigint;
  v_gp bigint;
  v_first bigint;
  v_tx text;
  v_micros text := floor(extract(epoch from now()) * 1000000)::bigint::text;
BEGIN
  -- Appends to one stream queue here (see APPEND_FUNCTION's comment). An assignment, not
  -- PERFORM: a simple expression, evaluated without an executor run.
  v_locked := pg_advisory_xact_lock(hashtextextended(p_stream, 0))::text;

  -- The stream's last event (position and hash, from the primary key) and the idempotency
  -- probe (= ANY of an array: an index probe per id), in one statement.
  SELECT l.stream_position, l.hash, p.n, p.n_other
    INTO v_current, v_prev, v_existing, v_existing_other
    FROM (SELECT count(*) AS n, count(*) FILTER (WHERE e.stream_id <> p_stream) AS n_other
            FROM chimera_events e
            WHERE e.event_id = ANY (ARRAY(SELECT (x->>'id')::uuid FROM jsonb_array_elements(p_events) x))) p
    LEFT JOIN LATERAL (SELECT e.stream_position, e.hash FROM chimera_events e
                         WHERE e.stream_id = p_stream ORDER BY e.stream_position DESC LIMIT 1) l ON true;
  v_current := coalesce(v_current, 0);

  -- Idempotency: the same event ids appended again are a no-op that reports success.
  IF v_existing > 0 THEN
    IF v_existing = v_count AND v_existing_other = 0 THEN
      ok := true;
      stream_version := v_current;
      idempotent := true;
      RETURN NEXT;
      RETURN;
    END IF;
    RAISE EXCEPTION 'chimera: some of these event ids were already appended' USING ERRCODE = 'unique_violation';
  END IF;

  IF (p_expected >= 0 AND v_current <> p_expected)
     OR (p_expected = -2 AND v_current <> 0)
     OR (p_expected = -3 AND v_current = 0) THEN
    ok := false;
    stream_version := v_current;
    idempotent := false;
    RETURN NEXT;
    RETURN;
  END IF;

  v_hash := coalesce(v_prev, '');
  FOR i IN 0 .. v_count - 1 LOOP
    v_event := p_events -> i;
    v_id := (v_event->>'id')::uuid;
    v_pos := v_current + i + 1;
    v_prev := v_hash;
    v_hash := encode(sha256(convert_to(concat_ws('|',
      v_prev, v_id::text, p_stream, v_pos::text, v_event->>'type', v_event->>'schema_version',
      (v_event->'data')::text, (v_event->'metadata')::text, v_micros), 'UTF8')), 'hex');
    INSERT INTO chimera_events (stream_id, stream_position, event_id, event_type, schema_version, data, metadata, previous_hash, hash)
      VALUES (p_stream, v_pos, v_id, v_event->>'type', (v_event->>'schema_version')::int,
              v_event->'data', v_event->'metadata', v_prev, v_hash)
      RETURNING global_position INTO v_gp;
    IF i = 0 THEN v_first := v_gp; END IF;
  END LOOP;

  v_tx := pg_current_xact_id()::text;
  ok := true;
  stream_version := v_current + v_count;
  idempotent := false;
  first_position := v_tx || ':' || v_first::text;
  last_position := v_tx || ':' || v_gp::text;
  RETURN NEXT;
END
$fn$;
