import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../adapters/database/database.ts';
import type { PostgresEventStore } from '../../adapters/eventstore/postgresEventStore.ts';

// Appends `total` events over `agents` agent streams from 20 concurrent writers; returns the
// number of events per stream.
export async function appendTicks(store: PostgresEventStore, total: number, agents: number): Promise<Map<string, number>> {
  const streams = Array.from({ length: agents }, () => `agent-${randomUUID()}`);
  const counts = new Map<string, number>(streams.map((s) => [s, 0]));
  let next = 0;
  const writer = async () => {
    while (next < total) {
      const i = next++;
      const stream = streams[i % agents]!;
      const r = await store.appendToStream(stream, [{ type: 'Tick', data: { i } }]);
      if (!r.ok) throw new Error('append with expectedRevision any failed');
      counts.set(stream, counts.get(stream)! + 1);
    }
  };
  await Promise.all(Array.from({ length: 20 }, writer));
  return counts;
}

export async function processedCount(database: Database, group: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM processed_events WHERE consumer_group = ${group}`.execute(database.db);
  return Number(rows[0]!.n);
}

// Exactly once: the activity counters add up to the events per stream (a twice-applied event
// would count twice). In order: per stream, the group applied positions 1..n in that order.
export async function assertAppliedExactlyOnceInOrder(database: Database, group: string, counts: Map<string, number>) {
  const { rows: activity } = await sql<{ agent_id: string; events: string }>`
    SELECT agent_id, sum(events)::text AS events FROM agent_activity GROUP BY agent_id`.execute(database.db);
  const byAgent = new Map(activity.map((r) => [`agent-${r.agent_id}`, Number(r.events)]));
  for (const [stream, n] of counts) assert.equal(byAgent.get(stream), n, `activity of ${stream}`);
  assert.equal(byAgent.size, counts.size);

  const { rows } = await sql<{ stream_id: string; positions: number[] }>`
    SELECT stream_id, array_agg(stream_position ORDER BY applied_seq) AS positions
    FROM processed_events WHERE consumer_group = ${group} GROUP BY stream_id`.execute(database.db);
  assert.equal(rows.length, counts.size);
  for (const row of rows) {
    assert.deepEqual(row.positions, Array.from({ length: counts.get(row.stream_id)! }, (_, i) => i + 1), `order in ${row.stream_id}`);
  }
}

export { until } from './waitFor.ts';
