import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../adapters/database/database.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { describeOn, testDatabaseTargets } from '../test/support/testDatabases.ts';
import { appendTicks } from '../test/support/fanoutChecks.ts';
import { agentActivity } from './agentActivity.ts';
import { lastLoggedPosition } from '../test/support/lastLoggedPosition.ts';
import { ProjectionRunner } from './projectionRunner.ts';

for (const target of testDatabaseTargets) {
  describeOn(target, 'two runners of one projection', () => {
    let database: Database;
    let store: PostgresEventStore;
    before(async () => {
      database = await target.open();
      store = new PostgresEventStore(database.sql, { pollIntervalMs: 5 });
    });
    after(async () => {
      await store?.close();
      await database?.close();
    });

    it('apply each event once between them, whoever gets there first', async () => {
      const runners = [1, 2].map(() => new ProjectionRunner(database, store, agentActivity, { batchSize: 37 }));
      for (const r of runners) await r.start();
      const counts = await appendTicks(store, 3_000, 30);
      const end = await lastLoggedPosition(database);
      for (const r of runners) await r.waitFor(end);
      for (const r of runners) await r.stop();
      const { rows } = await sql<{ agent_id: string; events: string }>`SELECT agent_id, events::text FROM agent_activity`.execute(database.db);
      assert.equal(rows.length, 30);
      for (const row of rows) assert.equal(Number(row.events), counts.get(`agent-${row.agent_id}`));
    });
  });
}
