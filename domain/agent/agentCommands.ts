// What callers ask of an agent. The edge has already validated shapes and filled edge defaults
// (e.g. persona_name from name); `now` is the caller's clock so the decider stays pure.
import type {
  AgentBudget,
  Campaign,
  CampaignStatus,
  Goal,
  GoalStatus,
  Priority,
  SocialAccounts,
} from './agentEvents.ts';

export type CreateAgent = {
  type: 'CreateAgent';
  data: {
    agent_id: string;
    name: string;
    persona_name: string;
    soul_md: string;
    policy_version: string;
    social_accounts: SocialAccounts;
    budget: AgentBudget;
  };
  now: string;
};

export type UpdatePersona = {
  type: 'UpdatePersona';
  data: { persona_name?: string; soul_md?: string };
  now: string;
};

export type ChangePolicyVersion = {
  type: 'ChangePolicyVersion';
  data: { policy_version: string };
  now: string;
};

export type PauseAgent = { type: 'PauseAgent'; data: { reason?: string }; now: string };
export type ResumeAgent = { type: 'ResumeAgent'; data: Record<string, never>; now: string };
export type DeleteAgent = { type: 'DeleteAgent'; data: Record<string, never>; now: string };

// Omitted fields take defaults: status 'active', priority 'medium', deadline null.
export type NewGoal = {
  goal_id: string;
  description: string;
  priority?: Priority;
  status?: GoalStatus;
  deadline?: string | null;
};
// Omitted (undefined) fields are left as they are; `deadline: null` clears the deadline.
export type GoalPatch = { goal_id: string } & Partial<Omit<Goal, 'goal_id'>>;

export type GoalChange =
  | { action: 'add'; goal: NewGoal }
  | { action: 'update'; goal: GoalPatch }
  | { action: 'remove'; goal: { goal_id: string } };

// Omitted fields take defaults: description null, status 'active', budget_limit null,
// budget_remaining = budget_limit.
export type NewCampaign = {
  campaign_id: string;
  name: string;
  description?: string | null;
  status?: CampaignStatus;
  budget_limit?: number | null;
  budget_remaining?: number | null;
};
export type CampaignPatch = { campaign_id: string } & Partial<Omit<Campaign, 'campaign_id'>>;

export type CampaignChange =
  | { action: 'add'; campaign: NewCampaign }
  | { action: 'update'; campaign: CampaignPatch }
  | { action: 'remove'; campaign: { campaign_id: string } };

// Seed: POST /globalstate/update. Applied in order, goals first, all or nothing.
export type UpdateGlobalState = {
  type: 'UpdateGlobalState';
  data: { goals: GoalChange[]; campaigns: CampaignChange[] };
  now: string;
};

export type RegisterMcpServer = { type: 'RegisterMcpServer'; data: { name: string; url: string; allowed_tools: string[] }; now: string };
export type RemoveMcpServer = { type: 'RemoveMcpServer'; data: { name: string }; now: string };

export type AgentCommand =
  | CreateAgent
  | UpdatePersona
  | ChangePolicyVersion
  | PauseAgent
  | ResumeAgent
  | DeleteAgent
  | UpdateGlobalState
  | RegisterMcpServer
  | RemoveMcpServer;

export type AgentCommandType = AgentCommand['type'];
