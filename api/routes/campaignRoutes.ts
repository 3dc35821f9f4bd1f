import { Router } from 'express';
import { z } from 'zod';
import { composeCampaign } from '../../commands/planner/composeCampaign.ts';
import { sendWork } from '../../commands/workContext.ts';
import { ApiError } from '../apiError.ts';
import type { ApiContext } from '../apiContext.ts';
import { requireRole } from '../auth/requireRole.ts';
import { commandContextOf } from '../commandContextOf.ts';
import { commandErrorToApiError } from '../commandErrorToApiError.ts';
import { parseInput } from '../parseInput.ts';
import { agentIdSchema } from './agentIdSchema.ts';
import { taskTree } from './taskTree.ts';

const usd = z.number().nonnegative().max(1_000_000);

// Seed 000 §2.8.1.
const composeSchema = z.strictObject({
  agent_id: agentIdSchema,
  natural_language_goal: z.string().trim().min(3).max(2000),
  target_audience: z.string().trim().max(500).optional(),
  budget_constraints: z.strictObject({ max_daily_spend: usd.optional(), max_total_spend: usd.optional() }).optional(),
  deadline: z.iso.datetime({ offset: true }).optional(),
});

const approveSchema = z.strictObject({ agent_id: agentIdSchema, plan_id: z.string().min(1).optional() });
const campaignIdSchema = z.string().min(1).max(255);

export function campaignRoutes(ctx: ApiContext): Router {
  const router = Router();
  const pipeline = () => {
    if (!ctx.pipeline) throw new ApiError(503, 'internal_error', 'the planner is not running in this process');
    return ctx.pipeline;
  };

  router.post('/campaign/compose', requireRole('operator', 'service'), async (req, res) => {
    const body = parseInput(composeSchema, req.body);
    const { model, work, judge, policy } = pipeline();
    const { correlationId, actor } = commandContextOf(res);
    const outcome = await composeCampaign(
      { ...work, actor },
      model,
      {
        agentId: body.agent_id,
        goal: body.natural_language_goal,
        ...(body.target_audience ? { audience: body.target_audience } : {}),
        ...(body.budget_constraints?.max_daily_spend !== undefined ? { maxDailySpend: body.budget_constraints.max_daily_spend } : {}),
        ...(body.budget_constraints?.max_total_spend !== undefined ? { maxTotalSpend: body.budget_constraints.max_total_spend } : {}),
        ...(body.deadline ? { deadline: body.deadline } : {}),
      },
      ctx.config.pipeline.approvalCostUsd,
      correlationId,
      (goal) => judge.judgeGoal(goal, policy),
    );
    if (!outcome.ok) throw commandErrorToApiError(outcome.error);
    const c = outcome.campaign;
    const createdAt = new Date().toISOString();
    res.status(201).json({
      campaign_id: c.campaignId,
      plan_id: c.planId,
      task_dag: {
        tasks: c.tasks.map((t) => ({ ...t, agent_id: body.agent_id, assigned_worker_id: null, created_at: createdAt })),
        edges: c.edges,
      },
      estimated_cost: c.estimatedCost,
      estimated_duration: c.estimatedDurationS,
      requires_approval: c.requiresApproval,
      state_version: c.stateVersion,
      goal_review: c.goalReview,
    });
  });

  // An operator releases a plan that needed approval (an extension of the seed: §2.8.1 says
  // a campaign may require approval, and this is how it gets it).
  router.post('/campaign/:campaign_id/approve', requireRole('operator'), async (req, res) => {
    const campaignId = parseInput(campaignIdSchema, req.params.campaign_id, 'campaign_id');
    const body = parseInput(approveSchema, req.body);
    const { work } = pipeline();
    const { state } = await work.states.load(body.agent_id);
    const plans = Object.values(state.work.plans).filter((p) => p.campaign_id === campaignId && (!body.plan_id || p.plan_id === body.plan_id));
    if (plans.length === 0) throw new ApiError(404, 'not_found', `no plan for campaign ${campaignId} of agent ${body.agent_id}`);
    const context = commandContextOf(res);
    let version = 0;
    for (const plan of plans) {
      const result = await sendWork({ ...work, actor: context.actor }, body.agent_id, { type: 'ApprovePlan', data: { plan_id: plan.plan_id, approved_by: context.actor.sub } }, context.correlationId);
      if (!result.ok) throw commandErrorToApiError(result.error);
      version = result.stateVersion;
    }
    res.json({ campaign_id: campaignId, approved_plans: plans.map((p) => p.plan_id), new_state_version: version });
  });

  router.get('/campaign/:campaign_id/task-tree', requireRole('operator', 'moderator', 'viewer', 'service'), async (req, res) => {
    const campaignId = parseInput(campaignIdSchema, req.params.campaign_id, 'campaign_id');
    const tree = await taskTree(ctx.database, campaignId);
    if (!tree) throw new ApiError(404, 'not_found', `campaign ${campaignId} has no tasks`);
    res.json({ campaign_id: campaignId, task_tree: tree });
  });

  return router;
}
