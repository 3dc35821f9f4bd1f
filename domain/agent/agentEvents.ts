// What has happened to an agent. Event data is a stored contract: the schemas let the store and
// the edge validate data by event type, and strict objects refuse unknown keys instead of dropping them.
import { z } from 'zod';
import type { EventSchemas } from '../eventSchemas.ts';

// Bump when an event's data changes shape, so stored events can be upcast.
export const AGENT_EVENT_SCHEMA_VERSION = 1;

const id = z.string().min(1);
const instant = z.iso.datetime({ offset: true });
const usd = z.number().nonnegative();

export const prioritySchema = z.enum(['high', 'medium', 'low']);
export type Priority = z.infer<typeof prioritySchema>;

export const goalStatusSchema = z.enum(['active', 'completed', 'cancelled']);
export type GoalStatus = z.infer<typeof goalStatusSchema>;

export const goalSchema = z.strictObject({
  goal_id: id,
  description: z.string(),
  status: goalStatusSchema,
  priority: prioritySchema,
  deadline: z.string().nullable(),
});
export type Goal = z.infer<typeof goalSchema>;

export const campaignStatusSchema = z.enum(['active', 'paused', 'completed']);
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;

export const campaignSchema = z
  .strictObject({
    campaign_id: id,
    name: z.string(),
    description: z.string().nullable(),
    status: campaignStatusSchema,
    budget_limit: usd.nullable(),
    budget_remaining: usd.nullable(),
  })
  .refine(
    (c) => c.budget_limit === null || c.budget_remaining === null || c.budget_remaining <= c.budget_limit,
    { message: 'budget_remaining exceeds budget_limit', path: ['budget_remaining'] },
  );
export type Campaign = z.infer<typeof campaignSchema>;

export const socialAccountsSchema = z.record(z.string(), z.strictObject({ username: z.string() }));
export type SocialAccounts = z.infer<typeof socialAccountsSchema>;

export const agentBudgetSchema = z.strictObject({ daily_usd: usd, total_usd: usd });
export type AgentBudget = z.infer<typeof agentBudgetSchema>;

export const agentCreatedSchema = z.strictObject({
  agent_id: id,
  name: z.string(),
  persona_name: z.string(),
  soul_md: z.string(),
  policy_version: z.string(),
  social_accounts: socialAccountsSchema,
  budget: agentBudgetSchema,
  at: instant,
});
export type AgentCreated = z.infer<typeof agentCreatedSchema>;

export const personaUpdatedSchema = z.strictObject({ persona_name: z.string(), soul_md: z.string(), at: instant });
export type PersonaUpdated = z.infer<typeof personaUpdatedSchema>;

export const policyVersionChangedSchema = z.strictObject({
  previous_policy_version: z.string(),
  policy_version: z.string(),
  at: instant,
});
export type PolicyVersionChanged = z.infer<typeof policyVersionChangedSchema>;

export const agentPausedSchema = z.strictObject({ reason: z.string().nullable(), at: instant });
export type AgentPaused = z.infer<typeof agentPausedSchema>;

export const agentResumedSchema = z.strictObject({ at: instant });
export type AgentResumed = z.infer<typeof agentResumedSchema>;

export const agentDeletedSchema = z.strictObject({ at: instant });
export type AgentDeleted = z.infer<typeof agentDeletedSchema>;

export const goalAddedSchema = z.strictObject({ goal: goalSchema, at: instant });
export type GoalAdded = z.infer<typeof goalAddedSchema>;

// Carries the whole goal after the change, so readers never merge partial updates.
export const goalUpdatedSchema = z.strictObject({ goal: goalSchema, at: instant });
export type GoalUpdated = z.infer<typeof goalUpdatedSchema>;

export const goalRemovedSchema = z.strictObject({ goal_id: id, at: instant });
export type GoalRemoved = z.infer<typeof goalRemovedSchema>;

export const campaignAddedSchema = z.strictObject({ campaign: campaignSchema, at: instant });
export type CampaignAdded = z.infer<typeof campaignAddedSchema>;

export const campaignUpdatedSchema = z.strictObject({ campaign: campaignSchema, at: instant });
export type CampaignUpdated = z.infer<typeof campaignUpdatedSchema>;

export const campaignRemovedSchema = z.strictObject({ campaign_id: id, at: instant });
export type CampaignRemoved = z.infer<typeof campaignRemovedSchema>;

// Further MCP servers an agent's workers may call, by URL, each with the tools allowed on it.
export const mcpServerSchema = z.strictObject({ name: id, url: z.url(), allowed_tools: z.array(z.string().min(1)) });
export type McpServer = z.infer<typeof mcpServerSchema>;
export const mcpServerRegisteredSchema = z.strictObject({ server: mcpServerSchema, at: instant });
export type McpServerRegistered = z.infer<typeof mcpServerRegisteredSchema>;
export const mcpServerRemovedSchema = z.strictObject({ name: id, at: instant });
export type McpServerRemoved = z.infer<typeof mcpServerRemovedSchema>;

export type AgentEvent =
  | { type: 'AgentCreated'; data: AgentCreated }
  | { type: 'PersonaUpdated'; data: PersonaUpdated }
  | { type: 'PolicyVersionChanged'; data: PolicyVersionChanged }
  | { type: 'AgentPaused'; data: AgentPaused }
  | { type: 'AgentResumed'; data: AgentResumed }
  | { type: 'AgentDeleted'; data: AgentDeleted }
  | { type: 'GoalAdded'; data: GoalAdded }
  | { type: 'GoalUpdated'; data: GoalUpdated }
  | { type: 'GoalRemoved'; data: GoalRemoved }
  | { type: 'CampaignAdded'; data: CampaignAdded }
  | { type: 'CampaignUpdated'; data: CampaignUpdated }
  | { type: 'CampaignRemoved'; data: CampaignRemoved }
  | { type: 'McpServerRegistered'; data: McpServerRegistered }
  | { type: 'McpServerRemoved'; data: McpServerRemoved };

export type AgentEventType = AgentEvent['type'];

export const agentEventSchemas: Record<AgentEventType, z.ZodType> = {
  AgentCreated: agentCreatedSchema,
  PersonaUpdated: personaUpdatedSchema,
  PolicyVersionChanged: policyVersionChangedSchema,
  AgentPaused: agentPausedSchema,
  AgentResumed: agentResumedSchema,
  AgentDeleted: agentDeletedSchema,
  GoalAdded: goalAddedSchema,
  GoalUpdated: goalUpdatedSchema,
  GoalRemoved: goalRemovedSchema,
  CampaignAdded: campaignAddedSchema,
  CampaignUpdated: campaignUpdatedSchema,
  CampaignRemoved: campaignRemovedSchema,
  McpServerRegistered: mcpServerRegisteredSchema,
  McpServerRemoved: mcpServerRemovedSchema,
} satisfies EventSchemas<AgentEvent>;
