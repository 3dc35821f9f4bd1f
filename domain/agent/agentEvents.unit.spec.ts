import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AGENT_EVENT_SCHEMA_VERSION, agentEventSchemas } from './agentEvents.ts';
import type { AgentEvent } from './agentEvents.ts';

const at = '2025-03-01T09:00:00.000Z';
const created = {
  agent_id: 'agent-1',
  name: 'Nova',
  persona_name: 'Nova',
  soul_md: '# Nova',
  policy_version: 'v1',
  social_accounts: { instagram: { username: 'nova.ai' } },
  budget: { daily_usd: 10, total_usd: 300 },
  at,
};
const goal = { goal_id: 'g-1', description: 'Reach 10k', status: 'active', priority: 'high', deadline: null };
const campaign = {
  campaign_id: 'c-1',
  name: 'Spring',
  description: null,
  status: 'active',
  budget_limit: 100,
  budget_remaining: 40,
};

function accepts(type: AgentEvent['type'], data: unknown): boolean {
  return agentEventSchemas[type].safeParse(data).success;
}

describe('agent event schemas', () => {
  it('is at version 1', () => {
    assert.equal(AGENT_EVENT_SCHEMA_VERSION, 1);
  });

  it('accepts well-formed data', () => {
    assert.ok(accepts('AgentCreated', created));
    assert.ok(accepts('GoalAdded', { goal, at }));
    assert.ok(accepts('CampaignUpdated', { campaign, at }));
    assert.ok(accepts('AgentPaused', { reason: null, at: '2025-03-01T09:00:00+02:00' }));
  });

  it('rejects missing, mistyped and unknown fields', () => {
    const { agent_id: _dropped, ...withoutId } = created;
    assert.ok(!accepts('AgentCreated', withoutId));
    assert.ok(!accepts('AgentCreated', { ...created, agent_id: '' }));
    assert.ok(!accepts('AgentCreated', { ...created, budget: { daily_usd: '10', total_usd: 300 } }));
    assert.ok(!accepts('AgentCreated', { ...created, social_accounts: { x: { handle: 'nova' } } }));
    assert.ok(!accepts('AgentCreated', { ...created, surprise: true }));
    assert.ok(!accepts('AgentResumed', {}));
    assert.ok(!accepts('PersonaUpdated', null));
  });

  it('rejects times that are not ISO-8601 instants', () => {
    assert.ok(!accepts('AgentDeleted', { at: 'yesterday' }));
    assert.ok(!accepts('AgentDeleted', { at: '2025-03-01' }));
    assert.ok(!accepts('AgentDeleted', { at: 1740819600000 }));
  });

  it('rejects goals outside their enums', () => {
    assert.ok(!accepts('GoalAdded', { goal: { ...goal, priority: 'urgent' }, at }));
    assert.ok(!accepts('GoalUpdated', { goal: { ...goal, status: 'paused' }, at }));
    assert.ok(!accepts('GoalAdded', { goal: { ...goal, deadline: undefined }, at }));
  });

  it('rejects impossible campaign budgets', () => {
    assert.ok(!accepts('CampaignAdded', { campaign: { ...campaign, status: 'cancelled' }, at }));
    assert.ok(!accepts('CampaignAdded', { campaign: { ...campaign, budget_limit: -1 }, at }));
    assert.ok(!accepts('CampaignAdded', { campaign: { ...campaign, budget_remaining: 101 }, at }));
    assert.ok(!accepts('AgentCreated', { ...created, budget: { daily_usd: -1, total_usd: 300 } }));
  });
});
