import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Database } from '../adapters/database/database.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { handleAgentCommand } from '../commands/handleAgentCommand.ts';
import type { AgentCommand } from '../domain/agent/agentCommands.ts';
import { describeOn, testDatabaseTargets } from '../test/support/testDatabases.ts';
import { agentReadModels } from './agentReadModels.ts';
import { lastLoggedPosition } from '../test/support/lastLoggedPosition.ts';
import { ProjectionRunner, readCheckpoint, rebuildProjection } from './projectionRunner.ts';

const actor = { sub: 'op', role: 'operator' };
let clock = Date.parse('2026-11-01T00:00:00Z');
const now = () => new Date((clock += 1000)).toISOString();

async function seedHistory(store: PostgresEventStore, agents: number) {
  const run = async (id: string, command: AgentCommand) => {
    const result = await handleAgentCommand(store, id, command, { actor, correlationId: 'seed' });
    if (!result.ok) assert.fail(`${command.type}: ${result.error.code}`);
  };
  for (let a = 0; a < agents; a++) {
    const id = `agent-${a}`;
    await run(id, {
      type: 'CreateAgent',
      data: { agent_id: id, name: `Agent ${a}`, persona_name: `Persona ${a}`, soul_md: '# soul', policy_version: '1', social_accounts: {}, budget: { daily_usd: 10, total_usd: 100 } },
      now: now(),
    });
    await run(id, {
      type: 'UpdateGlobalState',
      data: {
        goals: [{ action: 'add', goal: { goal_id: 'g1', description: 'grow' } }],
        campaigns: [
          { action: 'add', campaign: { campaign_id: `${id}-c1`, name: 'One', budget_limit: 50 } },
          { action: 'add', campaign: { campaign_id: `${id}-c2`, name: 'Two' } },
        ],
      },
      now: now(),
    });
    await run(id, { type: 'UpdateGlobalState', data: { goals: [], campaigns: [{ action: 'update', campaign: { campaign_id: `${id}-c1`, status: 'paused', budget_remaining: 20 } }] }, now: now() });
    if (a % 2 === 0) await run(id, { type: 'UpdateGlobalState', data: { goals: [], campaigns: [{ action: 'remove', campaign: { campaign_id: `${id}-c2` } }] }, now: now() });
    if (a % 3 === 0) await run(id, { type: 'UpdatePersona', data: { persona_name: `Renamed ${a}` }, now: now() });
    if (a % 4 === 0) await run(id, { type: 'PauseAgent', data: {}, now: now() });
    if (a % 6 === 0) await run(id, { type: 'ChangePolicyVersion', data: { policy_version: '2' }, now: now() });
    if (a % 5 === 0) await run(id, { type: 'DeleteAgent', data: {}, now: now() });
  }
}

async function snapshot(database: Database) {
  const agents = await database.db.selectFrom('agents').selectAll().orderBy('agent_id').execute();
  const campaigns = await database.db.selectFrom('campaigns').selectAll().orderBy('campaign_id').execute();
  return JSON.parse(JSON.stringify({ agents, campaigns }));
}

for (const target of testDatabaseTargets) {
  describeOn(target, 'agent read models', () => {
    let database: Database;
    let store: PostgresEventStore;
    before(async () => {
      database = await target.open();
      store = new PostgresEventStore(database.sql, { pollIntervalMs: 10 });
      await seedHistory(store, 30);
    });
    after(async () => {
      await store?.close();
      await database?.close();
    });

    it('recovers from a crash between writing rows and committing, to what a rebuild gives', async () => {
      let batches = 0;
      let failed!: () => void;
      const crashed = new Promise<void>((r) => (failed = r));
      const crashing = new ProjectionRunner(database, store, agentReadModels, {
        batchSize: 16,
        beforeCommit: () => {
          if (++batches === 3) {
            failed();
            throw new Error('projector died before commit');
          }
        },
        onError: () => {},
      });
      await crashing.start();
      await crashed;
      await crashing.stop();

      // Only the two committed batches are in: the third left neither rows nor checkpoint.
      const checkpoint = await readCheckpoint(database, agentReadModels.name);
      const { events: firstTwo } = await store.readAll({ maxCount: 32 });
      assert.deepEqual(checkpoint, firstTwo[31]!.position);

      const restarted = new ProjectionRunner(database, store, agentReadModels, { batchSize: 16 });
      await restarted.start();
      await restarted.waitFor(await lastLoggedPosition(database));
      await restarted.stop();
      const recovered = await snapshot(database);

      const rebuilt = await rebuildProjection(database, store, agentReadModels, { batchSize: 100 });
      assert.ok(rebuilt.events > 100);
      const fresh = await snapshot(database);
      assert.deepEqual(recovered, fresh);

      assert.equal(fresh.agents.length, 30);
      const a0 = fresh.agents.find((a: any) => a.agent_id === 'agent-0');
      assert.equal(a0.status, 'deleted');
      assert.equal(a0.persona_name, 'Renamed 0');
      assert.equal(a0.policy_version, '2');
      assert.equal(a0.state_version, (await store.readStream('agent-agent-0')).currentVersion);
      assert.equal(fresh.campaigns.length, 45);
      const c1 = fresh.campaigns.find((c: any) => c.campaign_id === 'agent-1-c1');
      assert.equal(c1.status, 'paused');
      assert.equal(c1.budget_remaining, 20);
      assert.equal(c1.budget_limit, 50);
    });
  });
}
