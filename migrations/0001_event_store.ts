import { sql, type Kysely } from 'kysely';

// The event log. Each agent's events live in one stream; `stream_position` counts from 1, so
// the position of a stream's last event is its state_version (0 before the first event).
//
// Global order: a bigint sequence alone has gaps and commits out of order under concurrency.
// Every row therefore carries the id of the transaction that wrote it, and readers only read
// rows whose transaction is older than the oldest one still running (the snapshot's xmin),
// ordered by (transaction_id, global_position). Nothing can later commit behind such a reader.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE chimera_events (
      global_position bigint GENERATED ALWAYS AS IDENTITY,
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      stream_id text NOT NULL,
      stream_position bigint NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      schema_version int NOT NULL,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      previous_hash text NOT NULL,
      hash text NOT NULL,
      PRIMARY KEY (stream_id, stream_position),
      UNIQUE (event_id)
    )`.execute(db);
  await sql`CREATE INDEX chimera_events_log_order ON chimera_events (transaction_id, global_position)`.execute(db);

  // One statement per append: idempotency by event id, the OCC check and the inserts all run
  // in the database, so an append costs one round trip.
  //   p_expected: >= 0 exact version, -1 any, -2 no stream, -3 stream exists.
  //   returns ok=false with the actual version on a version conflict.
  await sql.raw(APPEND_FUNCTION).execute(db);
}

// A stream's version is its last event's position, read from the primary key; no table of
// streams is kept (one write less per append: it was a fifth of the cost). Appends to one
// stream queue on an advisory lock taken before the transaction has an id: the id is
// assigned by the first insert, after the previous append to the stream has committed, so a
// stream's events are in transaction-id order too, which is the order log readers follow.
// The primary key stays the last guard: two events can never share a position.
export const APPEND_FUNCTION = `
CREATE OR REPLACE FUNCTION chimera_append(p_stream text, p_expected bigint, p_events jsonb)
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
  v_conflict boolean;
  v_micros text := floor(extract(epoch from now()) * 1000000)::bigint::text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, 0));

  SELECT e.stream_position, e.hash INTO v_current, v_prev FROM chimera_events e
    WHERE e.stream_id = p_stream ORDER BY e.stream_position DESC LIMIT 1;
  v_current := coalesce(v_current, 0);

  v_conflict := (p_expected >= 0 AND v_current <> p_expected)
     OR (p_expected = -2 AND v_current <> 0)
     OR (p_expected = -3 AND v_current = 0);

  -- Idempotency: the same event ids appended again are a no-op that reports success. A retry
  -- at an exact version (or no_stream) finds the stream moved on, so the ids are looked up
  -- only then, or when the expected version cannot tell (any, stream_exists). Otherwise the
  -- unique index on event_id is the check. EXECUTE plans the lookup for the log as it is
  -- now: a session's cached plan made while the log was young can be a scan of the whole
  -- table, kept as the table grows.
  IF v_conflict OR p_expected IN (-1, -3) THEN
    EXECUTE 'SELECT count(*), count(*) FILTER (WHERE stream_id <> $1) FROM chimera_events WHERE event_id = ANY ($2)'
      INTO v_existing, v_existing_other
      USING p_stream, ARRAY(SELECT (x->>'id')::uuid FROM jsonb_array_elements(p_events) x);
    IF v_existing > 0 THEN
      IF v_existing = v_count AND v_existing_other = 0 THEN
        RETURN QUERY SELECT true, v_current, true, NULL::text, NULL::text;
        RETURN;
      END IF;
      RAISE EXCEPTION 'chimera: some of these event ids were already appended' USING ERRCODE = 'unique_violation';
    END IF;
  END IF;

  IF v_conflict THEN
    RETURN QUERY SELECT false, v_current, false, NULL::text, NULL::text;
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
  RETURN QUERY SELECT true, v_current + v_count, false, v_tx || ':' || v_first::text, v_tx || ':' || v_gp::text;
END
$fn$`;
