import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Database } from '../database/database.ts';
import { PostgresEventStore } from '../eventstore/postgresEventStore.ts';
import { describeOn, testDatabaseTargets } from '../../test/support/testDatabases.ts';
import { eventFromMessage, eventToMessage, serializedEventToMessage } from './eventMessage.ts';

// The forwarder sends events as the database renders them to JSON; consumers must read back
// exactly what a parsed read of the log gives, whichever way the message was built.
for (const target of testDatabaseTargets) {
  describeOn(target, 'events rendered to JSON by the store', () => {
    let database: Database;
    let store: PostgresEventStore;
    before(async () => {
      database = await target.open();
      store = new PostgresEventStore(database.sql);
    });
    after(async () => {
      await store?.close();
      await database?.close();
    });

    it('read back as the same events, with the same keys and headers, as messages built from parsed events', async () => {
      const awkward = { text: 'héllo "world" ✓\n\t\\ 🚀', n: 1.5, big: 12345678901234, nested: { list: [null, true, 0.1] }, empty: {} };
      await store.appendToStream('agent-nova"\\quoted', [
        { type: 'GoalAdded', data: awkward, metadata: { correlationId: 'c-1' } },
        { type: 'Noted', data: null },
      ]);
      await store.appendToStream('system-clock', [{ type: 'Ticked', data: { at: '2026-11-23T12:00:00Z' } }]);
      const parsed = await store.readAll({ maxCount: 10 });
      const serialized = await store.readAllSerialized({ maxCount: 10 });
      assert.equal(serialized.events.length, 3);
      assert.deepEqual(serialized.position, parsed.position);
      serialized.events.forEach((event, i) => {
        const fromJson = serializedEventToMessage(event);
        const fromParsed = eventToMessage(parsed.events[i]!);
        assert.equal(fromJson.key, fromParsed.key);
        assert.deepEqual(fromJson.headers, fromParsed.headers);
        assert.deepEqual(eventFromMessage(fromJson), parsed.events[i]);
      });
      assert.equal(serializedEventToMessage(serialized.events[0]!).key, 'nova"\\quoted');
    });
  });
}
