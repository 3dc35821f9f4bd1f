import type { Database } from '../adapters/database/database.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { AgentStates } from '../commands/agentStates.ts';
import { handleAgentCommand } from '../commands/handleAgentCommand.ts';
import { agentReadModels } from '../projections/agentReadModels.ts';
import { ProjectionRunner } from '../projections/projectionRunner.ts';
import { summarize } from './percentiles.ts';
import { seedAgents } from './seedAgents.ts';

const context = { actor: { sub: 'bench', role: 'operator' }, correlationId: 'fleet' };

// A fleet of `agents` agents under concurrent commands (random agents) for a fixed time,
// with the read-model projector running; every 50 ms the projection lag is sampled as the
// age of the oldest event not yet in the read model.
export async function fleetBench(database: Database, options: { agents: number; concurrency: number; durationMs: number }) {
  const store = new PostgresEventStore(database.sql, { pollIntervalMs: 10 });
  const ids = await seedAgents(database.sql, options.agents, 1, 8);
  const runner = new ProjectionRunner(database, store, agentReadModels, { batchSize: 1000 });
  await runner.start();
  // Let the projector take in the seeded fleet before the clock starts.
  await runner.waitFor(await store.endOfLog());
  const states = new AgentStates(store);
  const end = Date.now() + options.durationMs;
  let commands = 0;
  let conflicts = 0;
  const lags: number[] = [];
  const sampler = (async () => {
    while (Date.now() < end + 200) {
      const cp = runner.checkpoint;
      const { rows } = await database.sql.query<{ oldest: Date | null }>(
        `SELECT min(recorded_at) AS oldest FROM chimera_events WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)`,
        [cp.transactionId.toString(), cp.globalPosition.toString()],
      );
      const oldest = rows[0]?.oldest;
      lags.push(oldest ? Math.max(0, Date.now() - new Date(oldest).getTime()) : 0);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (Date.now() < end) {
        const id = ids[Math.floor(Math.random() * ids.length)]!;
        const r = await handleAgentCommand(
          store,
          id,
          { type: 'UpdateGlobalState', data: { goals: [{ action: 'update', goal: { goal_id: 'g0', description: `fleet ${commands} ${Math.random()}` } }], campaigns: [] }, now: new Date().toISOString() },
          context,
          {},
          states,
        );
        if (r.ok) commands++;
        else conflicts++;
      }
    }),
  );
  await sampler;
  await runner.stop();
  await store.close();
  const s = summarize(lags);
  return { agents: options.agents, commandsPerSecond: commands / (options.durationMs / 1000), conflicts, maxLagMs: s.max, p99LagMs: s.p99, samples: s.n };
}
