import { sql, type Kysely } from 'kysely';

// Fan-out through the bus. A bus consumer records the ids of the events it has applied in the
// same transaction as its effect, so a redelivered event changes nothing (processed_events).
// agent_activity counts every event per agent and type: a read model for the dashboard whose
// counters would show any event applied twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE processed_events (
      consumer_group text NOT NULL,
      event_id uuid NOT NULL,
      stream_id text NOT NULL,
      stream_position integer NOT NULL,
      -- the order in which the group applied events, for audit (and the tests of order)
      applied_seq bigint GENERATED ALWAYS AS IDENTITY,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer_group, event_id)
    )`.execute(db);

  await sql`
    CREATE TABLE agent_activity (
      agent_id varchar(255) NOT NULL,
      event_type varchar(100) NOT NULL,
      events bigint NOT NULL,
      last_stream_position integer NOT NULL,
      last_event_at timestamptz NOT NULL,
      PRIMARY KEY (agent_id, event_type)
    )`.execute(db);
}
