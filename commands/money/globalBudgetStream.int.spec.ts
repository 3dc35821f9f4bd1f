import assert from 'node:assert/strict';
import { it } from 'node:test';
import { GLOBAL_BUDGET_STREAM } from '../../domain/money/globalBudget.ts';
import { suiteStore } from '../../test/support/suiteStore.ts';
import { describeOn, testDatabaseTargets } from '../../test/support/testDatabases.ts';
import { GlobalBudget } from './globalBudgetStream.ts';

const actor = { sub: 'cfo', role: 'service' };
const limits = { daily_usd: 100, weekly_usd: null, monthly_usd: null };

for (const target of testDatabaseTargets) {
  describeOn(target, 'the global budget under concurrent spends', () => {
    const log = suiteStore(target);

    it('reserves exactly what the budget covers when 60 requests race from two processes', async () => {
      // Two instances: two processes' caches of the one stream.
      const a = new GlobalBudget(log.store);
      const b = new GlobalBudget(log.store);
      const now = new Date().toISOString();
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (i % 2 ? a : b).handle({ type: 'ReserveGlobalSpend', data: { transfer_id: `t-${i}`, agent_id: `agent-${i % 7}`, amount_usd: 10 }, now, limits }, actor, 'race'),
        ),
      );
      const reserved = results.filter((r) => r.ok && r.events.length === 1).length;
      const refused = results.filter((r) => !r.ok && r.error.code === 'budget_exceeded').length;
      assert.deepEqual([reserved, refused], [10, 50]);
      const stream = await log.store.readStream(GLOBAL_BUDGET_STREAM);
      assert.equal(stream.events.length, 10, 'one event per reservation, none lost or doubled');
      const released = await a.handle({ type: 'ReleaseGlobalSpend', data: { transfer_id: (stream.events[0]!.data as { transfer_id: string }).transfer_id, reason: 'refused by the agent budget' }, now }, actor, 'race');
      assert.ok(released.ok);
      const again = await b.handle({ type: 'ReserveGlobalSpend', data: { transfer_id: 't-late', agent_id: 'agent-1', amount_usd: 10 }, now, limits }, actor, 'race');
      assert.ok(again.ok && again.events.length === 1, 'the released amount can be spent again, seen from the other process');
    });
  });
}
