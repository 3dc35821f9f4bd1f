import type { Database } from '../adapters/database/database.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { agentReadModels } from '../projections/agentReadModels.ts';
import { agentActivity } from '../projections/agentActivity.ts';
import { rebuildProjection } from '../projections/projectionRunner.ts';
import { seedAgents } from './seedAgents.ts';

// A log of `agents` agents with `eventsPerAgent` events each (AgentCreated, then GoalAdded),
// written through the append function; then each read model rebuilt from it, timed.
export async function rebuildBench(database: Database, options: { agents: number; eventsPerAgent: number }) {
  const seedStarted = performance.now();
  await seedAgents(database.sql, options.agents, options.eventsPerAgent - 1, 8);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const events = options.agents * options.eventsPerAgent;
  const store = new PostgresEventStore(database.sql);
  const results: Record<string, number> = {};
  for (const projection of [agentReadModels, agentActivity]) {
    const started = performance.now();
    const r = await rebuildProjection(database, store, projection, { batchSize: 2000 });
    if (r.events !== events) throw new Error(`rebuild of ${projection.name} read ${r.events} events, expected ${events}`);
    results[projection.name] = events / ((performance.now() - started) / 1000);
  }
  await store.close();
  return { events, seedEventsPerSecond: events / seedSeconds, rebuildEventsPerSecond: results };
}
