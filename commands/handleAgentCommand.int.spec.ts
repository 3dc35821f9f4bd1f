import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Database } from '../adapters/database/database.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import type { AgentCommand } from '../domain/agent/agentCommands.ts';
import { describeOn, testDatabaseTargets } from '../test/support/testDatabases.ts';
import { AgentStates } from './agentStates.ts';
import { handleAgentCommand } from './handleAgentCommand.ts';

const context = { actor: { sub: 'op', role: 'operator' }, correlationId: 'test' };
const now = '2026-11-23T12:00:00.000Z';
const create = (id: string): AgentCommand => ({
  type: 'CreateAgent',
  data: { agent_id: id, name: id, persona_name: id, soul_md: '', policy_version: '1', social_accounts: {}, budget: { daily_usd: 1, total_usd: 1 } },
  now,
});
const addGoal = (goal_id: string): AgentCommand => ({ type: 'UpdateGlobalState', data: { goals: [{ action: 'add', goal: { goal_id, description: goal_id } }], campaigns: [] }, now });
const completeGoal = (goal_id: string): AgentCommand => ({
  type: 'UpdateGlobalState',
  data: { goals: [{ action: 'update', goal: { goal_id, status: 'completed' } }], campaigns: [] },
  now,
});

// Two API processes over one store: each keeps its own cache of agent states, which goes stale
// whenever the other one appends.
for (const target of testDatabaseTargets) {
  describeOn(target, 'commands decided on a cached agent state', () => {
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

    const twoProcesses = async (agent: string) => {
      const a = new AgentStates(store);
      const b = new AgentStates(store);
      assert.ok((await handleAgentCommand(store, agent, create(agent), context, {}, a)).ok);
      await b.load(agent);
      return { a, b };
    };

    it('loses no update when the cache is behind', async () => {
      const { a, b } = await twoProcesses('stale-1');
      assert.ok((await handleAgentCommand(store, 'stale-1', addGoal('g1'), context, {}, b)).ok);
      const r = await handleAgentCommand(store, 'stale-1', addGoal('g2'), context, {}, a);
      assert.ok(r.ok && r.stateVersion === 3);
      assert.deepEqual(r.ok && r.state.agent.goals.map((g) => g.goal_id), ['g1', 'g2']);
    });

    it('does not refuse on a stale cache what the store allows', async () => {
      const { a, b } = await twoProcesses('stale-2');
      assert.ok((await handleAgentCommand(store, 'stale-2', addGoal('g1'), context, {}, b)).ok);
      // `a` has never seen g1: deciding on its cache alone would say goal_not_found.
      const r = await handleAgentCommand(store, 'stale-2', completeGoal('g1'), context, {}, a);
      assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    });

    it('accepts the current version from a client whatever the cache says, and refuses a stale one', async () => {
      const { a, b } = await twoProcesses('stale-3');
      assert.ok((await handleAgentCommand(store, 'stale-3', addGoal('g1'), context, {}, b)).ok);
      const stale = await handleAgentCommand(store, 'stale-3', addGoal('g2'), context, { expectedVersion: 1 }, a);
      assert.deepEqual(!stale.ok && stale.error.details, { input_state_version: 1, current_state_version: 2 });
      const current = await handleAgentCommand(store, 'stale-3', addGoal('g3'), context, { expectedVersion: 2 }, a);
      assert.ok(current.ok && current.stateVersion === 3);
      assert.equal((await store.readStream('agent-stale-3')).currentVersion, 3);
    });
  });
}
