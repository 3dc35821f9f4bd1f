// An agent as the decider needs to see it. Before AgentCreated the identity fields hold
// empty placeholders; `status: 'absent'` is what says the agent does not exist yet.
import type { AgentBudget, Campaign, Goal, McpServer, SocialAccounts } from './agentEvents.ts';

export type AgentStatus = 'absent' | 'active' | 'paused' | 'deleted';

export type AgentState = {
  status: AgentStatus;
  agent_id: string;
  name: string;
  persona_name: string;
  soul_md: string;
  policy_version: string;
  social_accounts: SocialAccounts;
  budget: AgentBudget;
  goals: Goal[]; // insertion order
  campaigns: Campaign[]; // insertion order
  mcp_servers: McpServer[]; // insertion order
  created_at: string | null;
  persona_updated_at: string | null;
};

export function initialAgentState(): AgentState {
  return {
    status: 'absent',
    agent_id: '',
    name: '',
    persona_name: '',
    soul_md: '',
    policy_version: '',
    social_accounts: {},
    budget: { daily_usd: 0, total_usd: 0 },
    goals: [],
    campaigns: [],
    mcp_servers: [],
    created_at: null,
    persona_updated_at: null,
  };
}
