import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { sql } from 'kysely';
import type { Database } from '../database/database.ts';
import { describeOn, postgresServerTarget, testDatabaseTargets } from '../../test/support/testDatabases.ts';
import { PostgresEventStore } from './postgresEventStore.ts';
import type { RecordedEvent } from './eventStore.ts';
import { ProjectionRunner, rebuildProjection } from '../../projections/projectionRunner.ts';
import type { Projection } from '../../projections/projection.ts';

const until = async (check: () => boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describeOn(postgresServerTarget, 'global order never skips a late commit', () => {
  let database: Database;
  let store: PostgresEventStore;
  before(async () => {
    database = await postgresServerTarget.open();
    store = new PostgresEventStore(database.sql, { pollIntervalMs: 10 });
  });
  after(async () => {
    await store?.close();
    await database?.close();
  });

  it('holds back a commit that overtook an older open transaction, then delivers both in order', async () => {
    const seen: RecordedEvent[] = [];
    const sub = store.subscribe({ from: 'start', handle: (events) => void seen.push(...events) });
    const early = new pg.Client({ connectionString: database.connectionString });
    await early.connect();
    try {
      // Transaction A takes its place in the log first but commits last.
      await early.query('BEGIN');
      await early.query('SELECT * FROM chimera_append($1, -1, $2::jsonb)', [
        'agent-early',
        JSON.stringify([{ id: randomUUID(), type: 'Early', schema_version: 1, data: {}, metadata: {} }]),
      ]);
      const late = await store.appendToStream('agent-late', [{ type: 'Late', data: {} }]);
      assert.ok(late.ok);
      // B is committed, but a reader that took it now would later step over A.
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(seen.map((e) => e.type), []);
      assert.deepEqual((await store.readAll()).events, []);
      await early.query('COMMIT');
      await until(() => seen.length === 2);
      assert.deepEqual(seen.map((e) => e.type), ['Early', 'Late']);
    } finally {
      await early.end();
      await sub.stop();
    }
  });
});

// Records every event it is given, in the order given; the primary key turns a second
// delivery of an event into a failure.
const seenProjection: Projection = {
  name: 'test_seen',
  tables: ['test_seen'],
  handles: () => true,
  async apply(trx, events) {
    for (const e of events) {
      await sql`INSERT INTO test_seen (event_id, stream_id, stream_position) VALUES (${e.id}, ${e.streamId}, ${e.streamPosition})`.execute(trx);
    }
  },
};

async function checkSeen(database: Database, expected: Map<string, number>) {
  const { rows } = await sql<{ stream_id: string; positions: number[] }>`
    SELECT stream_id, array_agg(stream_position::int ORDER BY seq) AS positions FROM test_seen GROUP BY stream_id`.execute(database.db);
  assert.equal(rows.length, expected.size);
  for (const row of rows) {
    const n = expected.get(row.stream_id)!;
    assert.deepEqual(row.positions, Array.from({ length: n }, (_, i) => i + 1), `order in ${row.stream_id}`);
  }
}

for (const target of testDatabaseTargets) {
  describeOn(target, '10,000 events from 20 concurrent writers over 100 streams', () => {
    let database: Database;
    let store: PostgresEventStore;
    before(async () => {
      database = await target.open();
      store = new PostgresEventStore(database.sql, { pollIntervalMs: 10 });
      await sql`CREATE TABLE test_seen (seq bigserial, event_id uuid PRIMARY KEY, stream_id text NOT NULL, stream_position int NOT NULL)`.execute(database.db);
    });
    after(async () => {
      await store?.close();
      await database?.close();
    });

    it('reaches a live subscriber and a projection exactly once each, in per-stream order, and again on rebuild', async () => {
      const total = 10_000;
      const streams = Array.from({ length: 100 }, () => `agent-${randomUUID()}`);
      const live = new Map<string, number[]>();
      const liveIds = new Set<string>();
      let duplicates = 0;
      const sub = store.subscribe({
        from: 'start',
        handle: (events) => {
          for (const e of events) {
            if (liveIds.has(e.id)) duplicates++;
            liveIds.add(e.id);
            live.set(e.streamId, [...(live.get(e.streamId) ?? []), e.streamPosition]);
          }
        },
      });
      const runner = new ProjectionRunner(database, store, seenProjection, { batchSize: 250 });
      await runner.start();

      const versions = new Map<string, number>(streams.map((s) => [s, 0]));
      let appended = 0;
      let conflicts = 0;
      const writer = async (w: number) => {
        let i = w;
        while (appended < total) {
          // Every writer walks all streams, from its own starting point.
          const stream = streams[(i = (i + 1) % streams.length)]!;
          const expected = versions.get(stream)!;
          const r = await store.appendToStream(stream, [{ type: 'Tick', data: { w } }], { expectedRevision: expected });
          if (r.ok) {
            appended++;
            versions.set(stream, Math.max(versions.get(stream)!, r.nextExpectedVersion));
          } else {
            conflicts++;
            // Another writer's success may have been counted already: never move back.
            versions.set(stream, Math.max(versions.get(stream)!, r.actual));
          }
        }
      };
      await Promise.all(Array.from({ length: 20 }, (_, w) => writer(w)));
      const written = [...versions.values()].reduce((a, b) => a + b, 0);
      assert.ok(written >= total);

      await until(() => liveIds.size >= written, 60_000);
      await runner.waitFor(await store.endOfLog());
      await sub.stop();
      await runner.stop();

      assert.equal(duplicates, 0);
      assert.equal(liveIds.size, written);
      for (const [stream, positions] of live) {
        assert.deepEqual(positions, Array.from({ length: versions.get(stream)! }, (_, i) => i + 1), `live order in ${stream}`);
      }
      await checkSeen(database, versions);

      const rebuilt = await rebuildProjection(database, store, seenProjection, { batchSize: 700 });
      assert.equal(rebuilt.events, written);
      await checkSeen(database, versions);
      console.log(`[${target.name}] ${written} events, ${conflicts} OCC conflicts retried`);
    });
  });
}
