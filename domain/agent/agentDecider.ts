// An agent's business rules: which commands it accepts, and how its events fold into state.
import { accept, refuse } from '../decider.ts';
import type { Decider, Decision } from '../decider.ts';
import type {
  AgentCommand,
  CampaignChange,
  ChangePolicyVersion,
  CreateAgent,
  GoalChange,
  PauseAgent,
  UpdateGlobalState,
  UpdatePersona,
} from './agentCommands.ts';
import type { AgentEvent, Campaign, Goal } from './agentEvents.ts';
import { initialAgentState } from './agentState.ts';
import type { AgentState } from './agentState.ts';

export const agentDecider: Decider<AgentCommand, AgentEvent, AgentState> = {
  decide,
  evolve,
  initialState: initialAgentState,
};

function decide(command: AgentCommand, state: AgentState): Decision<AgentEvent> {
  // A deleted agent is a tombstone: even CreateAgent is refused, so its id is never reused.
  if (state.status === 'deleted') {
    return refuse('agent_deleted', `agent ${state.agent_id} has been deleted`, { agent_id: state.agent_id });
  }
  if (command.type === 'CreateAgent') {
    return state.status === 'absent'
      ? createAgent(command)
      : refuse('agent_already_exists', `agent ${command.data.agent_id} already exists`, {
          agent_id: command.data.agent_id,
        });
  }
  // The agent id lives in the stream name, which the decider never sees; the edge adds it.
  if (state.status === 'absent') return refuse('agent_not_found', 'agent does not exist');

  switch (command.type) {
    case 'UpdatePersona':
      return updatePersona(command, state);
    case 'ChangePolicyVersion':
      return changePolicyVersion(command, state);
    case 'PauseAgent':
      return pauseAgent(command, state);
    case 'ResumeAgent':
      // Resuming an agent that is already running is a no-op, not an error, so retries are safe.
      return accept(state.status === 'paused' ? [{ type: 'AgentResumed', data: { at: command.now } }] : []);
    case 'DeleteAgent':
      return accept([{ type: 'AgentDeleted', data: { at: command.now } }]);
    case 'UpdateGlobalState':
      return updateGlobalState(command, state);
    case 'RegisterMcpServer': {
      const server = { name: command.data.name, url: command.data.url, allowed_tools: [...new Set(command.data.allowed_tools)].sort() };
      const existing = state.mcp_servers.find((s) => s.name === server.name);
      // The same registration again is a no-op; a changed one replaces it.
      if (existing && existing.url === server.url && existing.allowed_tools.join() === server.allowed_tools.join()) return accept([]);
      return accept([{ type: 'McpServerRegistered', data: { server, at: command.now } }]);
    }
    case 'RemoveMcpServer':
      if (!state.mcp_servers.some((s) => s.name === command.data.name)) {
        return refuse('mcp_server_not_found', `MCP server ${command.data.name} is not registered`, { name: command.data.name });
      }
      return accept([{ type: 'McpServerRemoved', data: { name: command.data.name, at: command.now } }]);
    default:
      return unknownCommand(command);
  }
}

function createAgent({ data, now }: CreateAgent): Decision<AgentEvent> {
  return accept([{ type: 'AgentCreated', data: { ...data, at: now } }]);
}

function updatePersona({ data, now }: UpdatePersona, state: AgentState): Decision<AgentEvent> {
  const persona_name = data.persona_name ?? state.persona_name;
  const soul_md = data.soul_md ?? state.soul_md;
  if (persona_name === state.persona_name && soul_md === state.soul_md) return accept([]);
  return accept([{ type: 'PersonaUpdated', data: { persona_name, soul_md, at: now } }]);
}

function changePolicyVersion({ data, now }: ChangePolicyVersion, state: AgentState): Decision<AgentEvent> {
  if (data.policy_version === state.policy_version) return accept([]);
  return accept([
    {
      type: 'PolicyVersionChanged',
      data: { previous_policy_version: state.policy_version, policy_version: data.policy_version, at: now },
    },
  ]);
}

function pauseAgent({ data, now }: PauseAgent, state: AgentState): Decision<AgentEvent> {
  // Pausing a paused agent is a no-op; the first pause's reason stands.
  if (state.status === 'paused') return accept([]);
  return accept([{ type: 'AgentPaused', data: { reason: data.reason ?? null, at: now } }]);
}

// Each change is decided against the state left by the ones before it (goals first, then
// campaigns), so one request may add a goal and then update it. One refusal refuses them all.
function updateGlobalState({ data, now }: UpdateGlobalState, state: AgentState): Decision<AgentEvent> {
  const steps: Array<(current: AgentState) => Decision<AgentEvent>> = [
    ...data.goals.map((change) => (current: AgentState) => decideGoalChange(change, current.goals, now)),
    ...data.campaigns.map(
      (change) => (current: AgentState) => decideCampaignChange(change, current.campaigns, now),
    ),
  ];
  const events: AgentEvent[] = [];
  let current = state;
  for (const step of steps) {
    const decision = step(current);
    if (!decision.ok) return decision;
    for (const event of decision.events) {
      events.push(event);
      current = evolve(current, event);
    }
  }
  return accept(events);
}

function decideGoalChange(change: GoalChange, goals: Goal[], at: string): Decision<AgentEvent> {
  const goal_id = change.goal.goal_id;
  const existing = goals.find((goal) => goal.goal_id === goal_id);
  if (change.action === 'add') {
    if (existing) return refuse('goal_already_exists', `goal ${goal_id} already exists`, { goal_id });
    const goal: Goal = {
      goal_id,
      description: change.goal.description,
      status: change.goal.status ?? 'active',
      priority: change.goal.priority ?? 'medium',
      deadline: change.goal.deadline ?? null,
    };
    return accept([{ type: 'GoalAdded', data: { goal, at } }]);
  }
  if (!existing) return refuse('goal_not_found', `goal ${goal_id} does not exist`, { goal_id });
  if (change.action === 'remove') return accept([{ type: 'GoalRemoved', data: { goal_id, at } }]);

  const patch = change.goal;
  const goal: Goal = {
    goal_id,
    description: patch.description ?? existing.description,
    status: patch.status ?? existing.status,
    priority: patch.priority ?? existing.priority,
    // null is a value here (no deadline); only undefined means "leave it".
    deadline: patch.deadline === undefined ? existing.deadline : patch.deadline,
  };
  return accept(unchanged(existing, goal) ? [] : [{ type: 'GoalUpdated', data: { goal, at } }]);
}

function decideCampaignChange(change: CampaignChange, campaigns: Campaign[], at: string): Decision<AgentEvent> {
  const campaign_id = change.campaign.campaign_id;
  const existing = campaigns.find((campaign) => campaign.campaign_id === campaign_id);
  if (change.action === 'add') {
    if (existing) {
      return refuse('campaign_already_exists', `campaign ${campaign_id} already exists`, { campaign_id });
    }
    const fields = change.campaign;
    const campaign = withRemainingBudget({
      campaign_id,
      name: fields.name,
      description: fields.description ?? null,
      status: fields.status ?? 'active',
      budget_limit: fields.budget_limit ?? null,
      budget_remaining: fields.budget_remaining ?? null,
    });
    return budgetRefusal(campaign) ?? accept([{ type: 'CampaignAdded', data: { campaign, at } }]);
  }
  if (!existing) return refuse('campaign_not_found', `campaign ${campaign_id} does not exist`, { campaign_id });
  if (change.action === 'remove') return accept([{ type: 'CampaignRemoved', data: { campaign_id, at } }]);

  const patch = change.campaign;
  const campaign = withRemainingBudget({
    campaign_id,
    name: patch.name ?? existing.name,
    description: patch.description === undefined ? existing.description : patch.description,
    status: patch.status ?? existing.status,
    budget_limit: patch.budget_limit === undefined ? existing.budget_limit : patch.budget_limit,
    budget_remaining: patch.budget_remaining === undefined ? existing.budget_remaining : patch.budget_remaining,
  });
  if (unchanged(existing, campaign)) return accept([]);
  return budgetRefusal(campaign) ?? accept([{ type: 'CampaignUpdated', data: { campaign, at } }]);
}

// A campaign with a limit always knows what is left of it: unknown remaining means untouched.
function withRemainingBudget(campaign: Campaign): Campaign {
  return campaign.budget_remaining === null && campaign.budget_limit !== null
    ? { ...campaign, budget_remaining: campaign.budget_limit }
    : campaign;
}

function budgetRefusal({ campaign_id, budget_limit, budget_remaining }: Campaign): Decision<never> | null {
  const invalidAmount = (usd: number | null) => usd !== null && (!Number.isFinite(usd) || usd < 0);
  const overspent = budget_limit !== null && budget_remaining !== null && budget_remaining > budget_limit;
  if (!invalidAmount(budget_limit) && !invalidAmount(budget_remaining) && !overspent) return null;
  return refuse(
    'campaign_budget_invalid',
    `campaign ${campaign_id} budgets must be non-negative, with budget_remaining at most budget_limit`,
    { campaign_id, budget_limit, budget_remaining },
  );
}

// Goals and campaigns are flat records built with every field, so field-by-field equality suffices.
function unchanged<T extends Goal | Campaign>(before: T, after: T): boolean {
  return (Object.keys(after) as Array<keyof T>).every((key) => before[key] === after[key]);
}

function unknownCommand(command: never): Decision<AgentEvent> {
  // Unreachable for typed callers; a refusal rather than a throw keeps decide total.
  const type = (command as { type?: unknown }).type;
  return refuse('command_unknown', `unknown agent command ${String(type)}`, { type });
}

// Total and never throws: events it does not know (from newer code, say) leave the state as it is.
function evolve(state: AgentState, event: AgentEvent): AgentState {
  switch (event.type) {
    case 'AgentCreated': {
      const { at, ...agent } = event.data;
      return { ...initialAgentState(), ...agent, status: 'active', created_at: at, persona_updated_at: at };
    }
    case 'PersonaUpdated': {
      const { persona_name, soul_md, at } = event.data;
      return { ...state, persona_name, soul_md, persona_updated_at: at };
    }
    case 'PolicyVersionChanged':
      return { ...state, policy_version: event.data.policy_version };
    case 'AgentPaused':
      return { ...state, status: 'paused' };
    case 'AgentResumed':
      return { ...state, status: 'active' };
    case 'AgentDeleted':
      return { ...state, status: 'deleted' };
    case 'GoalAdded':
      return { ...state, goals: upsert(state.goals, event.data.goal, (g) => g.goal_id === event.data.goal.goal_id) };
    case 'GoalUpdated':
      return {
        ...state,
        goals: state.goals.map((g) => (g.goal_id === event.data.goal.goal_id ? event.data.goal : g)),
      };
    case 'GoalRemoved':
      return { ...state, goals: state.goals.filter((g) => g.goal_id !== event.data.goal_id) };
    case 'CampaignAdded': {
      const { campaign } = event.data;
      return { ...state, campaigns: upsert(state.campaigns, campaign, (c) => c.campaign_id === campaign.campaign_id) };
    }
    case 'CampaignUpdated': {
      const { campaign } = event.data;
      return {
        ...state,
        campaigns: state.campaigns.map((c) => (c.campaign_id === campaign.campaign_id ? campaign : c)),
      };
    }
    case 'CampaignRemoved':
      return { ...state, campaigns: state.campaigns.filter((c) => c.campaign_id !== event.data.campaign_id) };
    case 'McpServerRegistered': {
      const { server } = event.data;
      return { ...state, mcp_servers: upsert(state.mcp_servers, server, (s) => s.name === server.name) };
    }
    case 'McpServerRemoved':
      return { ...state, mcp_servers: state.mcp_servers.filter((s) => s.name !== event.data.name) };
    default:
      return state;
  }
}

// A repeated "added" replaces in place rather than duplicating, so ids stay unique in state.
function upsert<T>(items: T[], item: T, isSame: (existing: T) => boolean): T[] {
  return items.some(isSame) ? items.map((existing) => (isSame(existing) ? item : existing)) : [...items, item];
}
