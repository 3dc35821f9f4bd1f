import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeciderSpecification } from '../deciderSpecification.ts';
import type { AgentCommand, CampaignChange, GoalChange } from './agentCommands.ts';
import { agentDecider } from './agentDecider.ts';
import { agentEventSchemas } from './agentEvents.ts';
import type { AgentEvent, Campaign, Goal } from './agentEvents.ts';
import { initialAgentState } from './agentState.ts';
import { foldAgent } from './foldAgent.ts';

const given = DeciderSpecification.for(agentDecider);

const createdAt = '2025-03-01T09:00:00.000Z';
const now = '2025-03-02T10:30:00.000Z';
const registerMcp: AgentCommand = { type: 'RegisterMcpServer', data: { name: 'search', url: 'http://127.0.0.1:9/mcp', allowed_tools: ['search_web', 'detect_trends', 'search_web'] }, now };

const agentCreated: AgentEvent = {
  type: 'AgentCreated',
  data: {
    agent_id: 'agent-1',
    name: 'Nova',
    persona_name: 'Nova',
    soul_md: '# Nova\nCurious about space.',
    policy_version: 'v1',
    social_accounts: { instagram: { username: 'nova.ai' } },
    budget: { daily_usd: 10, total_usd: 300 },
    at: createdAt,
  },
};
const agentPaused: AgentEvent = { type: 'AgentPaused', data: { reason: 'review', at: createdAt } };
const agentDeleted: AgentEvent = { type: 'AgentDeleted', data: { at: createdAt } };

const launchGoal: Goal = {
  goal_id: 'g-1',
  description: 'Reach 10k followers',
  status: 'active',
  priority: 'high',
  deadline: '2025-06-30',
};
const springCampaign: Campaign = {
  campaign_id: 'c-1',
  name: 'Spring launch',
  description: null,
  status: 'active',
  budget_limit: 100,
  budget_remaining: 40,
};
const goalAdded: AgentEvent = { type: 'GoalAdded', data: { goal: launchGoal, at: createdAt } };
const campaignAdded: AgentEvent = { type: 'CampaignAdded', data: { campaign: springCampaign, at: createdAt } };

const createAgent: AgentCommand = {
  type: 'CreateAgent',
  data: {
    agent_id: 'agent-1',
    name: 'Nova',
    persona_name: 'Nova',
    soul_md: '# Nova\nCurious about space.',
    policy_version: 'v1',
    social_accounts: { instagram: { username: 'nova.ai' } },
    budget: { daily_usd: 10, total_usd: 300 },
  },
  now: createdAt,
};
const pauseAgent: AgentCommand = { type: 'PauseAgent', data: { reason: 'spend spike' }, now };
const resumeAgent: AgentCommand = { type: 'ResumeAgent', data: {}, now };
const deleteAgent: AgentCommand = { type: 'DeleteAgent', data: {}, now };

function updatePersona(data: { persona_name?: string; soul_md?: string }): AgentCommand {
  return { type: 'UpdatePersona', data, now };
}
function changePolicyVersion(policy_version: string): AgentCommand {
  return { type: 'ChangePolicyVersion', data: { policy_version }, now };
}
function updateGlobalState(changes: { goals?: GoalChange[]; campaigns?: CampaignChange[] }): AgentCommand {
  return { type: 'UpdateGlobalState', data: { goals: changes.goals ?? [], campaigns: changes.campaigns ?? [] }, now };
}

// One of each command other than CreateAgent, for the lifecycle rules that apply to all of them.
const commandsOnAnExistingAgent: AgentCommand[] = [
  updatePersona({ soul_md: 'new soul' }),
  changePolicyVersion('v2'),
  pauseAgent,
  resumeAgent,
  deleteAgent,
  updateGlobalState({ goals: [{ action: 'add', goal: { goal_id: 'g-9', description: 'x' } }] }),
];

describe('agentDecider', () => {
  describe('lifecycle', () => {
    it('creates an absent agent', () => {
      given([])
        .when(createAgent)
        .then([agentCreated]);
    });

    it('refuses to create an agent that already exists', () => {
      given([agentCreated]).when(createAgent).thenRefuses('agent_already_exists', { agent_id: 'agent-1' });
      given([agentCreated, agentPaused]).when(createAgent).thenRefuses('agent_already_exists');
    });

    it('refuses to recreate a deleted agent', () => {
      given([agentCreated, agentDeleted]).when(createAgent).thenRefuses('agent_deleted', { agent_id: 'agent-1' });
    });

    for (const command of commandsOnAnExistingAgent) {
      it(`refuses ${command.type} on an absent agent`, () => {
        given([]).when(command).thenRefuses('agent_not_found');
      });

      it(`refuses ${command.type} on a deleted agent`, () => {
        given([agentCreated, agentDeleted]).when(command).thenRefuses('agent_deleted', { agent_id: 'agent-1' });
        given([agentCreated, agentPaused, agentDeleted]).when(command).thenRefuses('agent_deleted');
      });
    }

    it('pauses an active agent with its reason', () => {
      given([agentCreated])
        .when(pauseAgent)
        .then([{ type: 'AgentPaused', data: { reason: 'spend spike', at: now } }]);
    });

    it('records a missing pause reason as null', () => {
      given([agentCreated])
        .when({ type: 'PauseAgent', data: {}, now })
        .then([{ type: 'AgentPaused', data: { reason: null, at: now } }]);
    });

    it('accepts pausing a paused agent without events', () => {
      given([agentCreated, agentPaused]).when(pauseAgent).thenNothingHappens();
    });

    it('resumes a paused agent', () => {
      given([agentCreated, agentPaused])
        .when(resumeAgent)
        .then([{ type: 'AgentResumed', data: { at: now } }]);
    });

    it('accepts resuming an active agent without events', () => {
      given([agentCreated]).when(resumeAgent).thenNothingHappens();
      given([agentCreated, agentPaused, { type: 'AgentResumed', data: { at: createdAt } }])
        .when(resumeAgent)
        .thenNothingHappens();
    });

    it('deletes an active agent', () => {
      given([agentCreated])
        .when(deleteAgent)
        .then([{ type: 'AgentDeleted', data: { at: now } }]);
    });

    it('deletes a paused agent', () => {
      given([agentCreated, agentPaused])
        .when(deleteAgent)
        .then([{ type: 'AgentDeleted', data: { at: now } }]);
    });
  });

  describe('persona', () => {
    it('records the full new persona when one field changes', () => {
      given([agentCreated])
        .when(updatePersona({ soul_md: '# Nova\nNow into oceans.' }))
        .then([{ type: 'PersonaUpdated', data: { persona_name: 'Nova', soul_md: '# Nova\nNow into oceans.', at: now } }]);
    });

    it('records both fields when both change', () => {
      given([agentCreated])
        .when(updatePersona({ persona_name: 'Nova Prime', soul_md: 'new soul' }))
        .then([{ type: 'PersonaUpdated', data: { persona_name: 'Nova Prime', soul_md: 'new soul', at: now } }]);
    });

    it('accepts an update that changes nothing without events', () => {
      given([agentCreated]).when(updatePersona({})).thenNothingHappens();
      given([agentCreated])
        .when(updatePersona({ persona_name: 'Nova', soul_md: '# Nova\nCurious about space.' }))
        .thenNothingHappens();
    });

    it('compares against the latest persona, not the original one', () => {
      const updated: AgentEvent = {
        type: 'PersonaUpdated',
        data: { persona_name: 'Nova Prime', soul_md: 'new soul', at: createdAt },
      };
      given([agentCreated, updated]).when(updatePersona({ persona_name: 'Nova Prime' })).thenNothingHappens();
    });

    it('may change while the agent is paused', () => {
      given([agentCreated, agentPaused])
        .when(updatePersona({ persona_name: 'Nova Prime' }))
        .then([{ type: 'PersonaUpdated', data: { persona_name: 'Nova Prime', soul_md: '# Nova\nCurious about space.', at: now } }]);
    });
  });

  describe('policy version', () => {
    it('records the previous and new version', () => {
      given([agentCreated])
        .when(changePolicyVersion('v2'))
        .then([{ type: 'PolicyVersionChanged', data: { previous_policy_version: 'v1', policy_version: 'v2', at: now } }]);
    });

    it('accepts the same version without events', () => {
      given([agentCreated]).when(changePolicyVersion('v1')).thenNothingHappens();
    });
  });

  describe('global state: goals', () => {
    it('adds a goal with defaults for the omitted fields', () => {
      given([agentCreated])
        .when(updateGlobalState({ goals: [{ action: 'add', goal: { goal_id: 'g-2', description: 'Post daily' } }] }))
        .then([
          {
            type: 'GoalAdded',
            data: {
              goal: { goal_id: 'g-2', description: 'Post daily', status: 'active', priority: 'medium', deadline: null },
              at: now,
            },
          },
        ]);
    });

    it('adds a goal with every field given', () => {
      given([agentCreated])
        .when(updateGlobalState({ goals: [{ action: 'add', goal: launchGoal }] }))
        .then([{ type: 'GoalAdded', data: { goal: launchGoal, at: now } }]);
    });

    it('refuses to add a goal id that exists', () => {
      given([agentCreated, goalAdded])
        .when(updateGlobalState({ goals: [{ action: 'add', goal: { goal_id: 'g-1', description: 'again' } }] }))
        .thenRefuses('goal_already_exists', { goal_id: 'g-1' });
    });

    it('refuses to update or remove an unknown goal', () => {
      given([agentCreated])
        .when(updateGlobalState({ goals: [{ action: 'update', goal: { goal_id: 'g-404', status: 'completed' } }] }))
        .thenRefuses('goal_not_found', { goal_id: 'g-404' });
      given([agentCreated])
        .when(updateGlobalState({ goals: [{ action: 'remove', goal: { goal_id: 'g-404' } }] }))
        .thenRefuses('goal_not_found', { goal_id: 'g-404' });
    });

    it('records the full goal after an update', () => {
      given([agentCreated, goalAdded])
        .when(updateGlobalState({ goals: [{ action: 'update', goal: { goal_id: 'g-1', status: 'completed' } }] }))
        .then([{ type: 'GoalUpdated', data: { goal: { ...launchGoal, status: 'completed' }, at: now } }]);
    });

    it('clears a deadline when the update sets it to null', () => {
      given([agentCreated, goalAdded])
        .when(updateGlobalState({ goals: [{ action: 'update', goal: { goal_id: 'g-1', deadline: null } }] }))
        .then([{ type: 'GoalUpdated', data: { goal: { ...launchGoal, deadline: null }, at: now } }]);
    });

    it('emits nothing for an update that changes nothing', () => {
      given([agentCreated, goalAdded])
        .when(updateGlobalState({ goals: [{ action: 'update', goal: { goal_id: 'g-1' } }] }))
        .thenNothingHappens();
      given([agentCreated, goalAdded])
        .when(updateGlobalState({ goals: [{ action: 'update', goal: { goal_id: 'g-1', priority: 'high' } }] }))
        .thenNothingHappens();
    });

    it('removes a goal', () => {
      given([agentCreated, goalAdded])
        .when(updateGlobalState({ goals: [{ action: 'remove', goal: { goal_id: 'g-1' } }] }))
        .then([{ type: 'GoalRemoved', data: { goal_id: 'g-1', at: now } }]);
    });
  });

  describe('global state: campaigns', () => {
    it('adds a campaign with defaults, remaining budget defaulting to the limit', () => {
      given([agentCreated])
        .when(
          updateGlobalState({
            campaigns: [{ action: 'add', campaign: { campaign_id: 'c-2', name: 'Summer', budget_limit: 50 } }],
          }),
        )
        .then([
          {
            type: 'CampaignAdded',
            data: {
              campaign: {
                campaign_id: 'c-2',
                name: 'Summer',
                description: null,
                status: 'active',
                budget_limit: 50,
                budget_remaining: 50,
              },
              at: now,
            },
          },
        ]);
    });

    it('adds a campaign without a budget', () => {
      given([agentCreated])
        .when(updateGlobalState({ campaigns: [{ action: 'add', campaign: { campaign_id: 'c-2', name: 'Summer' } }] }))
        .then([
          {
            type: 'CampaignAdded',
            data: {
              campaign: {
                campaign_id: 'c-2',
                name: 'Summer',
                description: null,
                status: 'active',
                budget_limit: null,
                budget_remaining: null,
              },
              at: now,
            },
          },
        ]);
    });

    it('adds a campaign with every field given', () => {
      given([agentCreated])
        .when(updateGlobalState({ campaigns: [{ action: 'add', campaign: springCampaign }] }))
        .then([{ type: 'CampaignAdded', data: { campaign: springCampaign, at: now } }]);
    });

    it('refuses to add a campaign id that exists', () => {
      given([agentCreated, campaignAdded])
        .when(updateGlobalState({ campaigns: [{ action: 'add', campaign: { campaign_id: 'c-1', name: 'again' } }] }))
        .thenRefuses('campaign_already_exists', { campaign_id: 'c-1' });
    });

    it('refuses to update or remove an unknown campaign', () => {
      given([agentCreated])
        .when(updateGlobalState({ campaigns: [{ action: 'update', campaign: { campaign_id: 'c-404', status: 'paused' } }] }))
        .thenRefuses('campaign_not_found', { campaign_id: 'c-404' });
      given([agentCreated])
        .when(updateGlobalState({ campaigns: [{ action: 'remove', campaign: { campaign_id: 'c-404' } }] }))
        .thenRefuses('campaign_not_found', { campaign_id: 'c-404' });
    });

    it('refuses a remaining budget above the limit', () => {
      given([agentCreated])
        .when(
          updateGlobalState({
            campaigns: [
              { action: 'add', campaign: { campaign_id: 'c-2', name: 'Summer', budget_limit: 50, budget_remaining: 60 } },
            ],
          }),
        )
        .thenRefuses('campaign_budget_invalid', { campaign_id: 'c-2', budget_limit: 50, budget_remaining: 60 });
    });

    it('refuses negative budgets', () => {
      given([agentCreated])
        .when(
          updateGlobalState({ campaigns: [{ action: 'add', campaign: { campaign_id: 'c-2', name: 'S', budget_limit: -1 } }] }),
        )
        .thenRefuses('campaign_budget_invalid', { campaign_id: 'c-2', budget_limit: -1, budget_remaining: -1 });
      given([agentCreated])
        .when(
          updateGlobalState({
            campaigns: [{ action: 'add', campaign: { campaign_id: 'c-2', name: 'S', budget_remaining: -5 } }],
          }),
        )
        .thenRefuses('campaign_budget_invalid');
      given([agentCreated, campaignAdded])
        .when(updateGlobalState({ campaigns: [{ action: 'update', campaign: { campaign_id: 'c-1', budget_remaining: -1 } }] }))
        .thenRefuses('campaign_budget_invalid', { campaign_id: 'c-1', budget_limit: 100, budget_remaining: -1 });
    });

    it('refuses an update that lowers the limit below what remains', () => {
      given([agentCreated, campaignAdded])
        .when(updateGlobalState({ campaigns: [{ action: 'update', campaign: { campaign_id: 'c-1', budget_limit: 30 } }] }))
        .thenRefuses('campaign_budget_invalid', { campaign_id: 'c-1', budget_limit: 30, budget_remaining: 40 });
    });

    it('records the full campaign after an update', () => {
      given([agentCreated, campaignAdded])
        .when(
          updateGlobalState({
            campaigns: [{ action: 'update', campaign: { campaign_id: 'c-1', status: 'paused', description: 'on hold' } }],
          }),
        )
        .then([
          { type: 'CampaignUpdated', data: { campaign: { ...springCampaign, status: 'paused', description: 'on hold' }, at: now } },
        ]);
    });

    it('fills the remaining budget when an update gives a campaign its first limit', () => {
      const unbudgeted: Campaign = { ...springCampaign, budget_limit: null, budget_remaining: null };
      given([agentCreated, { type: 'CampaignAdded', data: { campaign: unbudgeted, at: createdAt } }])
        .when(updateGlobalState({ campaigns: [{ action: 'update', campaign: { campaign_id: 'c-1', budget_limit: 80 } }] }))
        .then([
          { type: 'CampaignUpdated', data: { campaign: { ...unbudgeted, budget_limit: 80, budget_remaining: 80 }, at: now } },
        ]);
    });

    it('emits nothing for an update that changes nothing', () => {
      given([agentCreated, campaignAdded])
        .when(updateGlobalState({ campaigns: [{ action: 'update', campaign: { campaign_id: 'c-1', name: 'Spring launch' } }] }))
        .thenNothingHappens();
    });

    it('removes a campaign', () => {
      given([agentCreated, campaignAdded])
        .when(updateGlobalState({ campaigns: [{ action: 'remove', campaign: { campaign_id: 'c-1' } }] }))
        .then([{ type: 'CampaignRemoved', data: { campaign_id: 'c-1', at: now } }]);
    });
  });

  describe('global state: one request', () => {
    it('accepts an empty request without events', () => {
      given([agentCreated]).when(updateGlobalState({})).thenNothingHappens();
    });

    it('decides each change against the ones before it: add, then update', () => {
      given([agentCreated])
        .when(
          updateGlobalState({
            goals: [
              { action: 'add', goal: { goal_id: 'g-2', description: 'Post daily' } },
              { action: 'update', goal: { goal_id: 'g-2', priority: 'high' } },
            ],
          }),
        )
        .then([
          {
            type: 'GoalAdded',
            data: {
              goal: { goal_id: 'g-2', description: 'Post daily', status: 'active', priority: 'medium', deadline: null },
              at: now,
            },
          },
          {
            type: 'GoalUpdated',
            data: {
              goal: { goal_id: 'g-2', description: 'Post daily', status: 'active', priority: 'high', deadline: null },
              at: now,
            },
          },
        ]);
    });

    it('lets a request remove a goal and add it back', () => {
      given([agentCreated, goalAdded])
        .when(
          updateGlobalState({
            goals: [
              { action: 'remove', goal: { goal_id: 'g-1' } },
              { action: 'add', goal: { goal_id: 'g-1', description: 'Fresh start' } },
            ],
          }),
        )
        .then([
          { type: 'GoalRemoved', data: { goal_id: 'g-1', at: now } },
          {
            type: 'GoalAdded',
            data: {
              goal: { goal_id: 'g-1', description: 'Fresh start', status: 'active', priority: 'medium', deadline: null },
              at: now,
            },
          },
        ]);
    });

    it('refuses an update to a goal the same request removed', () => {
      given([agentCreated, goalAdded])
        .when(
          updateGlobalState({
            goals: [
              { action: 'remove', goal: { goal_id: 'g-1' } },
              { action: 'update', goal: { goal_id: 'g-1', status: 'completed' } },
            ],
          }),
        )
        .thenRefuses('goal_not_found', { goal_id: 'g-1' });
    });

    it('refuses adding the same goal twice in one request', () => {
      given([agentCreated])
        .when(
          updateGlobalState({
            goals: [
              { action: 'add', goal: { goal_id: 'g-2', description: 'one' } },
              { action: 'add', goal: { goal_id: 'g-2', description: 'two' } },
            ],
          }),
        )
        .thenRefuses('goal_already_exists', { goal_id: 'g-2' });
    });

    it('applies goals before campaigns, keeping each list in request order', () => {
      given([agentCreated])
        .when(
          updateGlobalState({
            campaigns: [
              { action: 'add', campaign: { campaign_id: 'c-2', name: 'Summer' } },
              { action: 'update', campaign: { campaign_id: 'c-2', status: 'completed' } },
            ],
            goals: [{ action: 'add', goal: { goal_id: 'g-2', description: 'Post daily' } }],
          }),
        )
        .then([
          {
            type: 'GoalAdded',
            data: {
              goal: { goal_id: 'g-2', description: 'Post daily', status: 'active', priority: 'medium', deadline: null },
              at: now,
            },
          },
          {
            type: 'CampaignAdded',
            data: {
              campaign: {
                campaign_id: 'c-2',
                name: 'Summer',
                description: null,
                status: 'active',
                budget_limit: null,
                budget_remaining: null,
              },
              at: now,
            },
          },
          {
            type: 'CampaignUpdated',
            data: {
              campaign: {
                campaign_id: 'c-2',
                name: 'Summer',
                description: null,
                status: 'completed',
                budget_limit: null,
                budget_remaining: null,
              },
              at: now,
            },
          },
        ]);
    });

    it('refuses the whole request when a later goal change is refused', () => {
      given([agentCreated, goalAdded])
        .when(
          updateGlobalState({
            goals: [
              { action: 'add', goal: { goal_id: 'g-2', description: 'fine' } },
              { action: 'update', goal: { goal_id: 'g-1', status: 'completed' } },
              { action: 'remove', goal: { goal_id: 'g-404' } },
            ],
          }),
        )
        .thenRefuses('goal_not_found', { goal_id: 'g-404' });
    });

    it('refuses the goal changes too when a campaign change is refused', () => {
      given([agentCreated, campaignAdded])
        .when(
          updateGlobalState({
            goals: [{ action: 'add', goal: { goal_id: 'g-2', description: 'fine' } }],
            campaigns: [
              { action: 'update', campaign: { campaign_id: 'c-1', status: 'paused' } },
              { action: 'add', campaign: { campaign_id: 'c-1', name: 'duplicate' } },
            ],
          }),
        )
        .thenRefuses('campaign_already_exists', { campaign_id: 'c-1' });
    });

    it('changes goals and campaigns while the agent is paused', () => {
      given([agentCreated, agentPaused, goalAdded, campaignAdded])
        .when(
          updateGlobalState({
            goals: [{ action: 'update', goal: { goal_id: 'g-1', status: 'cancelled' } }],
            campaigns: [{ action: 'remove', campaign: { campaign_id: 'c-1' } }],
          }),
        )
        .then([
          { type: 'GoalUpdated', data: { goal: { ...launchGoal, status: 'cancelled' }, at: now } },
          { type: 'CampaignRemoved', data: { campaign_id: 'c-1', at: now } },
        ]);
    });
  });

  describe('evolve', () => {
    it('starts absent', () => {
      assert.deepStrictEqual(foldAgent([]), initialAgentState());
      assert.equal(agentDecider.initialState().status, 'absent');
    });

    it('folds a history into the current agent', () => {
      const g2: Goal = { goal_id: 'g-2', description: 'Post daily', status: 'active', priority: 'low', deadline: null };
      const g3: Goal = { goal_id: 'g-3', description: 'Go live', status: 'active', priority: 'medium', deadline: null };
      const c2: Campaign = { ...springCampaign, campaign_id: 'c-2', name: 'Summer' };
      const later = '2025-03-05T00:00:00.000Z';
      const state = foldAgent([
        agentCreated,
        { type: 'PersonaUpdated', data: { persona_name: 'Nova Prime', soul_md: 'new soul', at: later } },
        { type: 'PolicyVersionChanged', data: { previous_policy_version: 'v1', policy_version: 'v2', at: later } },
        goalAdded,
        { type: 'GoalAdded', data: { goal: g2, at: later } },
        { type: 'GoalAdded', data: { goal: g3, at: later } },
        { type: 'GoalUpdated', data: { goal: { ...launchGoal, status: 'completed' }, at: later } },
        { type: 'GoalRemoved', data: { goal_id: 'g-2', at: later } },
        campaignAdded,
        { type: 'CampaignAdded', data: { campaign: c2, at: later } },
        { type: 'CampaignUpdated', data: { campaign: { ...springCampaign, budget_remaining: 10 }, at: later } },
        { type: 'CampaignRemoved', data: { campaign_id: 'c-2', at: later } },
        agentPaused,
      ]);
      assert.deepStrictEqual(state, {
        status: 'paused',
        agent_id: 'agent-1',
        name: 'Nova',
        persona_name: 'Nova Prime',
        soul_md: 'new soul',
        policy_version: 'v2',
        social_accounts: { instagram: { username: 'nova.ai' } },
        budget: { daily_usd: 10, total_usd: 300 },
        goals: [{ ...launchGoal, status: 'completed' }, g3],
        campaigns: [{ ...springCampaign, budget_remaining: 10 }],
        mcp_servers: [],
        created_at: createdAt,
        persona_updated_at: later,
      });
    });

    it('follows pause, resume and delete', () => {
      const resumed: AgentEvent = { type: 'AgentResumed', data: { at: now } };
      assert.equal(foldAgent([agentCreated]).status, 'active');
      assert.equal(foldAgent([agentCreated, agentPaused]).status, 'paused');
      assert.equal(foldAgent([agentCreated, agentPaused, resumed]).status, 'active');
      assert.equal(foldAgent([agentCreated, agentPaused, agentDeleted]).status, 'deleted');
    });

    it('ignores events it does not know', () => {
      const before = foldAgent([agentCreated, goalAdded]);
      const unknown = { type: 'AgentRenamedInTheFuture', data: { name: 'x' } } as unknown as AgentEvent;
      assert.equal(agentDecider.evolve(before, unknown), before);
    });

    it('does not change the state it is given', () => {
      const before = foldAgent([agentCreated, goalAdded]);
      const snapshot = structuredClone(before);
      agentDecider.evolve(before, { type: 'GoalRemoved', data: { goal_id: 'g-1', at: now } });
      agentDecider.evolve(before, agentPaused);
      assert.deepStrictEqual(before, snapshot);
    });

    it('keeps goal ids unique when an added goal is replayed', () => {
      const replayed: AgentEvent = { type: 'GoalAdded', data: { goal: { ...launchGoal, priority: 'low' }, at: now } };
      const state = foldAgent([agentCreated, goalAdded, replayed]);
      assert.deepStrictEqual(state.goals, [{ ...launchGoal, priority: 'low' }]);
    });
  });

  describe('MCP servers', () => {
    it('registers a server with its allowed tools, once, and replaces a changed registration', () => {
      const registered = agentDecider.decide(registerMcp, foldAgent([agentCreated]));
      assert.ok(registered.ok);
      assert.deepEqual(registered.events, [
        { type: 'McpServerRegistered', data: { server: { name: 'search', url: 'http://127.0.0.1:9/mcp', allowed_tools: ['detect_trends', 'search_web'] }, at: now } },
      ]);
      given([agentCreated, ...registered.events]).when(registerMcp).thenNothingHappens();
      const state = foldAgent([agentCreated, ...registered.events]);
      assert.deepEqual(state.mcp_servers.map((s) => s.name), ['search']);
    });

    it('removes a registered server and refuses to remove an unknown one', () => {
      given([agentCreated]).when({ type: 'RemoveMcpServer', data: { name: 'nope' }, now }).thenRefuses('mcp_server_not_found');
    });
  });

  describe('events', () => {
    it('emits only events that match their schemas', () => {
      const eventsOf = (command: AgentCommand, history: AgentEvent[]): AgentEvent[] => {
        const decision = agentDecider.decide(command, foldAgent(history));
        assert.ok(decision.ok, `${command.type} was refused`);
        return decision.events;
      };
      const emitted = [
        ...eventsOf(createAgent, []),
        ...eventsOf(updatePersona({ soul_md: 'new soul' }), [agentCreated]),
        ...eventsOf(changePolicyVersion('v2'), [agentCreated]),
        ...eventsOf(pauseAgent, [agentCreated]),
        ...eventsOf(resumeAgent, [agentCreated, agentPaused]),
        ...eventsOf(deleteAgent, [agentCreated]),
        ...eventsOf(
          updateGlobalState({
            goals: [
              { action: 'add', goal: { goal_id: 'g-2', description: 'Post daily' } },
              { action: 'update', goal: { goal_id: 'g-2', deadline: '2025-04-01' } },
              { action: 'remove', goal: { goal_id: 'g-2' } },
            ],
            campaigns: [
              { action: 'add', campaign: { campaign_id: 'c-2', name: 'Summer', budget_limit: 5 } },
              { action: 'update', campaign: { campaign_id: 'c-2', budget_remaining: 0 } },
              { action: 'remove', campaign: { campaign_id: 'c-2' } },
            ],
          }),
          [agentCreated],
        ),
        ...eventsOf(registerMcp, [agentCreated]),
        ...eventsOf({ type: 'RemoveMcpServer', data: { name: 'search' }, now }, [agentCreated, ...eventsOf(registerMcp, [agentCreated])]),
      ];
      assert.deepStrictEqual(new Set(emitted.map((e) => e.type)), new Set(Object.keys(agentEventSchemas)));
      for (const event of emitted) {
        const result = agentEventSchemas[event.type].safeParse(event.data);
        assert.ok(result.success, `${event.type}: ${result.error?.message}`);
      }
    });
  });
});
