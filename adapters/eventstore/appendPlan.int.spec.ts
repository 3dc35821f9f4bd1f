import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Database } from '../database/database.ts';
import { freshServerDatabase } from '../../test/support/freshDatabase.ts';
import { describeOn, postgresServerTarget } from '../../test/support/testDatabases.ts';
import { PostgresEventStore } from './postgresEventStore.ts';

// A session caches chimera_append's query plans. Plans made while the log was young must not
// turn every later append into a scan of the whole log.
describeOn(postgresServerTarget, 'append plans as the log grows', () => {
  let database: Database;
  let store: PostgresEventStore;
  before(async () => {
    // One connection: every append below runs in the same server session.
    database = await freshServerDatabase(process.env.TEST_DATABASE_URL!, 1, 'chimera_t');
    store = new PostgresEventStore(database.sql);
  });
  after(async () => {
    await store?.close();
    await database?.close();
  });

  const seqScans = async () => {
    // Statistics reach the shared counters when the session goes idle; force it.
    await database.sql.query('SELECT pg_stat_force_next_flush()');
    const { rows } = await database.sql.query<{ n: string }>(
      "SELECT seq_scan::text AS n FROM pg_stat_user_tables WHERE relname = 'chimera_events'",
    );
    return Number(rows[0]!.n);
  };
  const appendOne = async (stream: string, version: number) => {
    const result = await store.appendToStream(stream, [{ type: 'Noted', data: { version } }], { expectedRevision: version });
    assert.equal(result.ok, true);
  };

  it('probes the indexes, not the table, once the log has grown', async () => {
    // Plans made on an empty log...
    for (let v = 0; v < 20; v++) await appendOne('agent-young', v);
    // ...then the log grows to 10,000 events...
    for (let b = 0; b < 20; b++) {
      const events = Array.from({ length: 500 }, (_, i) => ({ type: 'Noted', data: { i } }));
      assert.equal((await store.appendToStream(`agent-bulk-${b}`, events, { expectedRevision: 'no_stream' })).ok, true);
    }
    // ...and the appends that follow must not read it through.
    const before = await seqScans();
    for (let v = 0; v < 100; v++) await appendOne('agent-later', v);
    assert.equal((await seqScans()) - before, 0, 'sequential scans of chimera_events during 100 appends');
  });
});
