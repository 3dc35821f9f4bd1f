import type { Database } from '../adapters/database/database.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { AgentStates } from '../commands/agentStates.ts';
import { handleAgentCommand } from '../commands/handleAgentCommand.ts';
import { summarize } from './percentiles.ts';
import { seedAgents } from './seedAgents.ts';

const context = { actor: { sub: 'bench', role: 'operator' }, correlationId: 'bench' };

// The command pipeline without HTTP: load the agent's state (cached per process), decide,
// append with OCC at the version decided on. Each client owns its agents (no conflicts by
// design); every command changes one goal, so it appends exactly one event.
export async function commandThroughput(
  database: Database,
  options: { agents: number; concurrency: number; durationMs: number; warmupMs: number },
): Promise<{ commandsPerSecond: number; p50Ms: number; p99Ms: number; accepted: number }> {
  const store = new PostgresEventStore(database.sql);
  const states = new AgentStates(store);
  const ids = await seedAgents(database.sql, options.agents, 1);
  const measureFrom = Date.now() + options.warmupMs;
  const end = measureFrom + options.durationMs;
  let accepted = 0;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, k) => {
      const mine = ids.filter((_, i) => i % options.concurrency === k);
      let i = 0;
      while (Date.now() < end) {
        const id = mine[i++ % mine.length]!;
        const started = performance.now();
        const result = await handleAgentCommand(
          store,
          id,
          { type: 'UpdateGlobalState', data: { goals: [{ action: 'update', goal: { goal_id: 'g0', description: `bench ${k} ${i}` } }], campaigns: [] }, now: new Date().toISOString() },
          context,
          {},
          states,
        );
        const now = Date.now();
        if (result.ok && now >= measureFrom && now < end) {
          accepted++;
          latencies.push(performance.now() - started);
        }
      }
    }),
  );
  await store.close();
  const s = summarize(latencies);
  return { commandsPerSecond: accepted / (options.durationMs / 1000), p50Ms: s.p50, p99Ms: s.p99, accepted };
}
