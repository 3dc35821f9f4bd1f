import { Router } from 'express';
import { z } from 'zod';
import { decomposeGoals } from '../../commands/planner/decomposeGoals.ts';
import { replan } from '../../commands/planner/replan.ts';
import { DEFAULT_RELEVANCE_THRESHOLD, semanticFilter } from '../../commands/planner/semanticFilter.ts';
import { prioritySchema } from '../../domain/agent/agentEvents.ts';
import type { TaskSpec } from '../../domain/work/workEvents.ts';
import { ApiError } from '../apiError.ts';
import type { ApiContext } from '../apiContext.ts';
import { requireRole } from '../auth/requireRole.ts';
import { commandContextOf } from '../commandContextOf.ts';
import { commandErrorToApiError } from '../commandErrorToApiError.ts';
import { parseInput } from '../parseInput.ts';
import { agentIdSchema } from './agentIdSchema.ts';

// Seed 000 §2.1.1–2.1.3: the Planner. Decompose and re-plan record what they plan in the
// agent's stream (the tasks then run through the pipeline); the semantic filter is a read.
// Ours beside the seed's fields: the campaign and plan a decomposition opened, whether it
// waits for an operator's approval, and which goals were added or were planned already.

const goalId = z.string().trim().min(1).max(255);
const taskId = z.string().min(1).max(255);
const noRepeats = (ids: string[]) => new Set(ids).size === ids.length;

const decomposeSchema = z
  .strictObject({
    agent_id: agentIdSchema,
    goals: z
      .array(
        z.strictObject({
          goal_id: goalId,
          description: z.string().trim().min(1).max(5000),
          priority: prioritySchema,
          deadline: z.iso.datetime({ offset: true }).optional(),
        }),
      )
      .min(1)
      .max(10)
      .refine((goals) => noRepeats(goals.map((g) => g.goal_id)), 'goal ids repeat'),
    context: z.strictObject({
      state_version: z.int().nonnegative(),
      // The caller's view; state_version already says which state it planned on.
      current_tasks: z.array(taskId).max(1000).default([]),
      // No episodic memory store here yet: accepted and not read.
      episodic_memory_ref: z.string().max(500).optional(),
    }),
    persona_config: z
      .strictObject({ agent_id: agentIdSchema, persona_name: z.string().min(1).max(255), policy_version: z.string().min(1).max(50) })
      .optional(),
  })
  .refine((b) => !b.persona_config || b.persona_config.agent_id === b.agent_id, { message: 'persona_config.agent_id must be agent_id', path: ['persona_config', 'agent_id'] });

const replanSchema = z
  .strictObject({
    agent_id: agentIdSchema,
    current_state_version: z.int().nonnegative(),
    trigger_reason: z.enum(['state_changed', 'goal_updated', 'external_event']),
    // The caller's view, as in decompose.
    active_tasks: z.array(taskId).max(1000).default([]),
    context_updates: z.strictObject({
      new_goals: z.array(goalId).max(10).default([]),
      cancelled_goals: z.array(goalId).max(100).default([]),
      // Not planned from yet: accepted, not read.
      external_events: z.array(z.string().max(2000)).max(100).default([]),
    }),
  })
  .refine((b) => !b.context_updates.new_goals.some((g) => b.context_updates.cancelled_goals.includes(g)), {
    message: 'a goal cannot be both new and cancelled',
    path: ['context_updates'],
  });

const filterSchema = z.strictObject({
  agent_id: agentIdSchema,
  content: z.strictObject({
    type: z.enum(['text', 'image', 'video']),
    content: z.string().min(1).max(20_000),
    source: z.string().max(2000).optional(),
  }),
  context: z
    .strictObject({
      active_goals: z.array(goalId).max(100).optional(),
      relevance_threshold: z.number().min(0).max(1).default(DEFAULT_RELEVANCE_THRESHOLD),
    })
    .default({ relevance_threshold: DEFAULT_RELEVANCE_THRESHOLD }),
});

export function plannerRoutes(ctx: ApiContext): Router {
  const router = Router();
  const pipeline = () => {
    if (!ctx.pipeline) throw new ApiError(503, 'internal_error', 'the planner is not running in this process');
    return ctx.pipeline;
  };
  // A task as seed 000 §2.1.1 shows it (plus our estimated_cost, and status where known).
  const seedTask = (agentId: string, spec: TaskSpec, createdAt: string | null, extra: Record<string, unknown> = {}) => ({
    ...spec,
    agent_id: agentId,
    assigned_worker_id: null,
    created_at: createdAt,
    ...extra,
  });

  router.post('/planner/decompose', requireRole('operator', 'service'), async (req, res) => {
    const body = parseInput(decomposeSchema, req.body);
    const { model, work, judge, policy } = pipeline();
    const { correlationId, actor } = commandContextOf(res);
    const outcome = await decomposeGoals(
      { ...work, actor },
      model,
      {
        agentId: body.agent_id,
        goals: body.goals.map((g) => ({ goal_id: g.goal_id, description: g.description, priority: g.priority, deadline: g.deadline ?? null })),
        stateVersion: body.context.state_version,
        ...(body.persona_config ? { persona: body.persona_config } : {}),
      },
      ctx.config.pipeline.approvalCostUsd,
      correlationId,
      (goal) => judge.judgeGoal(goal, policy),
    );
    if (!outcome.ok) throw commandErrorToApiError(outcome.error);
    const p = outcome.planned;
    res.status(201).json({
      task_dag: { tasks: p.tasks.map((t) => seedTask(body.agent_id, t, p.plannedAt)), edges: p.edges },
      state_version_snapshot: p.stateVersion,
      campaign_id: p.campaignId,
      campaign_name: p.campaignName,
      plan_id: p.planId,
      estimated_cost: p.estimatedCost,
      requires_approval: p.requiresApproval,
      goals_added: p.goalsAdded,
      goal_review: p.goalReview,
    });
  });

  router.post('/planner/replan', requireRole('operator', 'service'), async (req, res) => {
    const body = parseInput(replanSchema, req.body);
    const { model, work, judge, policy } = pipeline();
    const { correlationId, actor } = commandContextOf(res);
    const outcome = await replan(
      { ...work, actor },
      model,
      {
        agentId: body.agent_id,
        stateVersion: body.current_state_version,
        trigger: body.trigger_reason,
        newGoals: body.context_updates.new_goals,
        cancelledGoals: body.context_updates.cancelled_goals,
      },
      ctx.config.pipeline.approvalCostUsd,
      correlationId,
      (goal) => judge.judgeGoal(goal, policy),
    );
    if (!outcome.ok) throw commandErrorToApiError(outcome.error);
    const r = outcome.replanned;
    // Creation times are not part of the stream state: the read model has them (a task of the
    // new plan may not be projected yet; it was created with the plan).
    const ids = r.openTasks.map((t) => t.spec.task_id);
    const rows = ids.length === 0 ? [] : await ctx.database.db.selectFrom('tasks').select(['task_id', 'created_at']).where('task_id', 'in', ids).execute();
    const createdAt = new Map(rows.map((row) => [row.task_id, new Date(row.created_at).toISOString()]));
    const newTasks = new Set(r.planned?.tasks.map((t) => t.task_id) ?? []);
    res.json({
      updated_task_dag: {
        tasks: r.openTasks.map((t) =>
          seedTask(body.agent_id, t.spec, createdAt.get(t.spec.task_id) ?? (newTasks.has(t.spec.task_id) ? r.planned!.plannedAt : null), { campaign_id: t.campaign_id, status: t.status, assigned_worker_id: t.worker_id }),
        ),
        edges: r.edges,
      },
      cancelled_tasks: r.cancelled,
      new_tasks: r.planned?.tasks.map((t) => t.task_id) ?? [],
      state_version_snapshot: r.stateVersion,
      ...(r.planned ? { campaign_id: r.planned.campaignId, plan_id: r.planned.planId, requires_approval: r.planned.requiresApproval } : {}),
      already_planned_goals: r.alreadyPlanned,
      goal_review: r.goalReview,
    });
  });

  router.post('/planner/semantic-filter', requireRole('operator', 'service'), async (req, res) => {
    const body = parseInput(filterSchema, req.body);
    const { model, work } = pipeline();
    const outcome = await semanticFilter(ctx.agentStates ?? work.states, model, {
      agentId: body.agent_id,
      content: body.content,
      ...(body.context.active_goals ? { goalIds: body.context.active_goals } : {}),
      threshold: body.context.relevance_threshold,
    });
    if (!outcome.ok) throw commandErrorToApiError(outcome.error);
    const r = outcome.relevance;
    res.json({
      // Filtered out: no task should come of it.
      filtered: !r.shouldCreateTask,
      relevance_score: r.relevanceScore,
      relevance_threshold: r.threshold,
      reasoning: r.reasoning,
      should_create_task: r.shouldCreateTask,
      goals_considered: r.goalIds,
      prompt_injection: { detected: r.injection.length > 0, signals: r.injection },
    });
  });

  return router;
}
