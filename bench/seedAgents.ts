import type { SqlClient } from '../adapters/database/database.ts';
import { randomUUID } from 'node:crypto';

// Creates agents through the store's append function, many streams per statement batch, with
// the events the API would write (AgentCreated, then `goalsEach` GoalAdded).
export async function seedAgents(sql: SqlClient, count: number, goalsEach = 0, concurrency = 8): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `bench-${i}-${randomUUID().slice(0, 8)}`);
  const at = new Date().toISOString();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const events = [
        {
          id: randomUUID(),
          type: 'AgentCreated',
          schema_version: 1,
          data: { agent_id: id, name: id, persona_name: id, soul_md: '# bench', policy_version: '1', social_accounts: {}, budget: { daily_usd: 10, total_usd: 100 }, at },
          metadata: { actor: { sub: 'bench', role: 'operator' }, correlationId: null, causationId: null },
        },
        ...Array.from({ length: goalsEach }, (_, g) => ({
          id: randomUUID(),
          type: 'GoalAdded',
          schema_version: 1,
          data: { goal: { goal_id: `g${g}`, description: 'bench goal', status: 'active', priority: 'medium', deadline: null }, at },
          metadata: { actor: { sub: 'bench', role: 'operator' }, correlationId: null, causationId: null },
        })),
      ];
      await sql.query('SELECT ok FROM chimera_append($1, 0, $2::jsonb)', [`agent-${id}`, JSON.stringify(events)]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}
