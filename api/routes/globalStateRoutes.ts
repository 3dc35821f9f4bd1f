import { Router } from 'express';
import { z } from 'zod';
import { handleAgentCommand } from '../../commands/handleAgentCommand.ts';
import { formatLogPosition } from '../../adapters/eventstore/eventStore.ts';
import { AgentStates } from '../../commands/agentStates.ts';
import { campaignStatusSchema, goalStatusSchema, prioritySchema } from '../../domain/agent/agentEvents.ts';
import { ApiError } from '../apiError.ts';
import type { ApiContext } from '../apiContext.ts';
import { requireRole } from '../auth/requireRole.ts';
import { commandContextOf } from '../commandContextOf.ts';
import { commandErrorToApiError } from '../commandErrorToApiError.ts';
import { parseInput } from '../parseInput.ts';
import { agentIdSchema } from './agentIdSchema.ts';

const itemId = z.string().trim().min(1).max(255);
const instant = z.iso.datetime({ offset: true });
const money = z.number().nonnegative().max(99_999_999.99);

const goalChange = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('add'),
    goal: z.strictObject({
      goal_id: itemId,
      description: z.string().trim().min(1).max(5000),
      priority: prioritySchema.optional(),
      status: goalStatusSchema.optional(),
      deadline: instant.nullable().optional(),
    }),
  }),
  z.strictObject({
    action: z.literal('update'),
    goal: z.strictObject({
      goal_id: itemId,
      description: z.string().trim().min(1).max(5000).optional(),
      priority: prioritySchema.optional(),
      status: goalStatusSchema.optional(),
      deadline: instant.nullable().optional(),
    }),
  }),
  z.strictObject({ action: z.literal('remove'), goal: z.strictObject({ goal_id: itemId }) }),
]);

const campaignFields = {
  name: z.string().trim().min(1).max(255),
  description: z.string().max(5000).nullable().optional(),
  status: campaignStatusSchema.optional(),
  budget_limit: money.nullable().optional(),
  budget_remaining: money.nullable().optional(),
};
const campaignChange = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('add'), campaign: z.strictObject({ campaign_id: itemId, ...campaignFields }) }),
  z.strictObject({
    action: z.literal('update'),
    campaign: z.strictObject({ campaign_id: itemId, ...campaignFields, name: campaignFields.name.optional() }),
  }),
  z.strictObject({ action: z.literal('remove'), campaign: z.strictObject({ campaign_id: itemId }) }),
]);

// Seed 000 §2.4.2. `commit_hash` is optional here; when sent it is kept in the events'
// metadata so an auditor can match the client's record against the log.
const updateSchema = z
  .strictObject({
    agent_id: agentIdSchema,
    input_state_version: z.int().nonnegative(),
    updates: z.strictObject({
      goals: z.array(goalChange).max(100).default([]),
      campaigns: z.array(campaignChange).max(100).default([]),
    }),
    commit_hash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'commit_hash: 64 hex characters (SHA-256)').optional(),
  })
  .refine((b) => b.updates.goals.length + b.updates.campaigns.length > 0, {
    message: 'updates must contain at least one goal or campaign change',
    path: ['updates'],
  });

export function globalStateRoutes(ctx: ApiContext): Router {
  const router = Router();
  const now = () => (ctx.now ?? (() => new Date()))().toISOString();
  const states = ctx.agentStates ?? new AgentStates(ctx.store);

  // Read from the agent's stream itself, not a read model: the state_version a client gets
  // here is the one its next update will be checked against.
  router.get('/globalstate/:agent_id', requireRole('operator', 'moderator', 'viewer', 'service'), async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const { state: stream, version: stateVersion } = await states.load(agentId);
    const state = stream.agent;
    if (state.status === 'absent') throw new ApiError(404, 'not_found', `agent ${agentId} not found`);
    res.json({
      agent_id: agentId,
      state_version: stateVersion,
      status: state.status,
      goals: state.goals,
      active_tasks: [],
      campaigns: state.campaigns,
      persona_config: {
        agent_id: agentId,
        persona_name: state.persona_name,
        policy_version: state.policy_version,
        last_updated: state.persona_updated_at,
      },
    });
  });

  router.post('/globalstate/update', requireRole('operator', 'service'), async (req, res) => {
    const body = parseInput(updateSchema, req.body);
    const context = commandContextOf(res);
    const result = await handleAgentCommand(
      ctx.store,
      body.agent_id,
      { type: 'UpdateGlobalState', data: { goals: body.updates.goals, campaigns: body.updates.campaigns }, now: now() },
      body.commit_hash ? { ...context, commitHash: body.commit_hash.toLowerCase() } : context,
      { expectedVersion: body.input_state_version },
      states,
    );
    if (!result.ok) {
      const error = commandErrorToApiError(result.error);
      const current = result.error.details?.current_state_version;
      throw new ApiError(error.status, error.code, error.message, error.details, {
        updated: false,
        ...(typeof current === 'number' ? { new_state_version: current } : {}),
      });
    }
    // Where the change sits in the log: read models have it once their checkpoint passes this.
    if (result.position) res.setHeader('X-Log-Position', formatLogPosition(result.position));
    res.json({ updated: result.events.length > 0, new_state_version: result.stateVersion });
  });

  return router;
}
