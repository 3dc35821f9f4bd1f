import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Database } from '../database/database.ts';
import { describeOn, testDatabaseTargets } from '../../test/support/testDatabases.ts';
import { PostgresEventStore } from './postgresEventStore.ts';
import { verifyChain } from './verifyChain.ts';

for (const target of testDatabaseTargets) {
  describeOn(target, 'hash chain verification', () => {
    let database: Database;
    let store: PostgresEventStore;
    before(async () => {
      database = await target.open();
      store = new PostgresEventStore(database.sql);
      await store.appendToStream('agent-a', [{ type: 'A', data: { text: 'héllo "quoted" ✓', n: 1.5, list: [1, null] } }, { type: 'B', data: {} }]);
      await store.appendToStream('agent-a', [{ type: 'C', data: { nested: { z: 1, a: 2 } }, metadata: { actor: { sub: 'x', role: 'operator' } } }]);
      await store.appendToStream('agent-b', [{ type: 'A', data: {} }]);
    });
    after(async () => {
      await store?.close();
      await database?.close();
    });

    it('finds an untouched log intact', async () => {
      assert.deepEqual(await verifyChain(database.sql), { streams: 2, events: 4, breaks: [] });
    });

    it('names an event whose data was edited in place, and one removed from the middle', async () => {
      await database.sql.query(`UPDATE chimera_events SET data = '{"text":"forged"}' WHERE stream_id = 'agent-a' AND stream_position = 1`);
      const edited = await verifyChain(database.sql, 'agent-a');
      assert.deepEqual(edited.breaks.map((b) => [b.streamPosition, b.problem]), [[1, 'hash_mismatch']]);
      await database.sql.query(`DELETE FROM chimera_events WHERE stream_id = 'agent-a' AND stream_position = 2`);
      const removed = await verifyChain(database.sql, 'agent-a');
      assert.deepEqual(removed.breaks.map((b) => [b.streamPosition, b.problem]), [[1, 'hash_mismatch'], [3, 'position_gap'], [3, 'link_mismatch']]);
      assert.deepEqual((await verifyChain(database.sql, 'agent-b')).breaks, []);
    });
  });
}
