import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { suiteStore } from '../test/support/suiteStore.ts';
import { describeOn, testDatabaseTargets } from '../test/support/testDatabases.ts';
import { appendTicks } from '../test/support/fanoutChecks.ts';
import { agentActivity } from './agentActivity.ts';
import { lastLoggedPosition } from '../test/support/lastLoggedPosition.ts';
import { ProjectionGroup } from './projectionGroup.ts';
import { ProjectionRunner } from './projectionRunner.ts';

for (const target of testDatabaseTargets) {
  describeOn(target, 'two runners of one projection', () => {
    const log = suiteStore(target, { pollIntervalMs: 5 });

    it('apply each event once between them, whoever gets there first', async () => {
      const runners = [1, 2].map(() => new ProjectionRunner(log.database, log.store, agentActivity, { batchSize: 37 }));
      for (const r of runners) await r.start();
      const counts = await appendTicks(log.store, 3_000, 30);
      const end = await lastLoggedPosition(log.database);
      for (const r of runners) await r.waitFor(end);
      for (const r of runners) await r.stop();
      const { rows } = await sql<{ agent_id: string; events: string }>`SELECT agent_id, events::text FROM agent_activity`.execute(log.database.db);
      assert.equal(rows.length, 30);
      for (const row of rows) assert.equal(Number(row.events), counts.get(`agent-${row.agent_id}`));
    });
  });
}

for (const target of testDatabaseTargets) {
  describeOn(target, 'projections following the log together', () => {
    const log = suiteStore(target, { pollIntervalMs: 5 });

    it('bring each projection from its own checkpoint to the end once, and move an idle one\'s checkpoint without writing its rows', async () => {
      // `activity` has followed the first half alone; `ticks` (a projection with nothing to
      // do: it handles no event here) starts from the beginning.
      const ticks = { name: 'ticks_none', tables: [], handles: () => false, apply: async () => assert.fail('nothing to apply') };
      const first = await appendTicks(log.store, 400, 10);
      const alone = new ProjectionRunner(log.database, log.store, agentActivity, { batchSize: 50 });
      await alone.start();
      await alone.waitFor(await lastLoggedPosition(log.database));
      await alone.stop();

      const runners = [new ProjectionRunner(log.database, log.store, agentActivity, { batchSize: 50 }), new ProjectionRunner(log.database, log.store, ticks)];
      const group = new ProjectionGroup(log.store, runners, { batchSize: 50 });
      await group.start();
      const second = await appendTicks(log.store, 400, 10);
      const end = await lastLoggedPosition(log.database);
      for (const r of runners) await r.waitFor(end);
      await group.stop();

      const { rows } = await sql<{ agent_id: string; events: string }>`SELECT agent_id, events::text FROM agent_activity`.execute(log.database.db);
      assert.equal(rows.reduce((sum, r) => sum + Number(r.events), 0), 800, 'every event applied once');
      assert.equal(rows.length, first.size + second.size);
      const checkpoints = await log.database.db.selectFrom('projection_checkpoints').select(['projection', 'transaction_id', 'global_position', 'events_applied']).where('projection', 'in', ['agent_activity', 'ticks_none']).execute();
      for (const c of checkpoints) assert.equal(`${c.transaction_id}:${c.global_position}`, `${end.transactionId}:${end.globalPosition}`, `${c.projection} at the end after stop`);
      assert.equal(Number(checkpoints.find((c) => c.projection === 'ticks_none')!.events_applied), 0);
    });
  });
}
