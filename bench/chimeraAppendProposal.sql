-- A proposed chimera_append (migrations/0001_event_store.ts), under another name so that it can
-- be measured beside the real one:
--   node --import tsx bench/appendProfile.ts --concurrency 32 --variant bench/chimeraAppendProposal.sql [--prepared]
-- Same signature, same results, same checks in the same order as the original; what changes is
-- how many statements run and whether their plans are cached:
--   1. One event at an exact version of an existing stream (the common case) runs the
--      idempotency probe, the version check and the previous hash in ONE statement (the
--      UPDATE); only when it changes nothing (a conflict, or the id already appended) does the
--      general path run, and sort out which, exactly as before. Every plan in it is an index
--      scan whatever the table's size (the probe is a scalar equality on event_id).
--   2. The idempotency probe no longer takes a uuid[] variable: `event_id = ANY (v_ids)` made
--      the plan cache keep a custom plan, so that statement was planned again on every call
--      (a generic plan's estimate for an array parameter is 10 elements, which always looks
--      costlier than the custom plan for the actual one). With the array built in the
--      statement (an initplan), the estimate is the same either way, the generic plan is
--      cached after 5 calls, and it is an index scan on event_id whatever the table's size
--      (a join to jsonb_array_elements would be a hash join over a seq scan while the table is
--      small, and that plan could stay cached as the table grows).
--   3. The result is returned through the OUT parameters (RETURN NEXT), not RETURN QUERY
--      SELECT, which was one more statement through the executor.
-- Happy path: 3 statements through the executor (advisory lock, UPDATE, INSERT) instead of 7
-- (lock, array_agg, probe re-planned each call, UPDATE, previous hash, INSERT, RETURN QUERY).
CREATE OR REPLACE FUNCTION chimera_append_variant(p_stream text, p_expected bigint, p_events jsonb)
RETURNS TABLE (ok boolean, stream_version bigint, idempotent boolean, first_position text, last_position text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count int := jsonb_array_length(p_events);
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
  -- Appends to one stream queue here, before this transaction has a transaction id: the id is
  -- assigned by the first write, after the previous append to the stream has committed, so a
  -- stream's events are in transaction-id order too, which is the order readers follow.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, 0));

  -- Fast path: one event at an exact version of an existing stream, its id not appended yet.
  IF v_count = 1 AND p_expected > 0 THEN
    UPDATE chimera_streams s SET version = s.version + 1
      WHERE s.stream_id = p_stream AND s.version = p_expected
        AND NOT EXISTS (SELECT FROM chimera_events e WHERE e.event_id = (p_events->0->>'id')::uuid)
      RETURNING (SELECT e.hash FROM chimera_events e WHERE e.stream_id = p_stream AND e.stream_position = p_expected)
      INTO v_prev;
    IF FOUND THEN
      v_current := p_expected;
    END IF;
  END IF;

  IF v_current IS NULL THEN
    -- Idempotency: the same event ids appended again are a no-op that reports success.
    SELECT count(*), count(*) FILTER (WHERE e.stream_id <> p_stream)
      INTO v_existing, v_existing_other
      FROM chimera_events e
      WHERE e.event_id = ANY (ARRAY(SELECT (x->>'id')::uuid FROM jsonb_array_elements(p_events) x));
    IF v_existing > 0 THEN
      IF v_existing = v_count AND v_existing_other = 0 THEN
        ok := true;
        idempotent := true;
        SELECT s.version INTO stream_version FROM chimera_streams s WHERE s.stream_id = p_stream;
        RETURN NEXT;
        RETURN;
      END IF;
      RAISE EXCEPTION 'chimera: some of these event ids were already appended' USING ERRCODE = 'unique_violation';
    END IF;

    IF p_expected = -1 THEN
      INSERT INTO chimera_streams AS s (stream_id, version) VALUES (p_stream, v_count)
        ON CONFLICT (stream_id) DO UPDATE SET version = s.version + v_count
        RETURNING s.version - v_count INTO v_current;
    ELSIF p_expected = 0 OR p_expected = -2 THEN
      INSERT INTO chimera_streams (stream_id, version) VALUES (p_stream, v_count) ON CONFLICT DO NOTHING;
      IF NOT FOUND THEN
        ok := false;
        idempotent := false;
        SELECT s.version INTO stream_version FROM chimera_streams s WHERE s.stream_id = p_stream;
        RETURN NEXT;
        RETURN;
      END IF;
      v_current := 0;
    ELSE
      UPDATE chimera_streams s SET version = s.version + v_count
        WHERE s.stream_id = p_stream AND (p_expected = -3 OR s.version = p_expected)
        RETURNING s.version - v_count INTO v_current;
      IF NOT FOUND THEN
        ok := false;
        idempotent := false;
        SELECT s.version INTO stream_version FROM chimera_streams s WHERE s.stream_id = p_stream;
        stream_version := coalesce(stream_version, 0);
        RETURN NEXT;
        RETURN;
      END IF;
    END IF;

    -- The stream row is now locked by this transaction, so the previous hash cannot move.
    SELECT e.hash INTO v_prev FROM chimera_events e WHERE e.stream_id = p_stream AND e.stream_position = v_current;
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
