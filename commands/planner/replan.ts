import type { ModelPort } from '../../adapters/models/modelPort.ts';
import type { AgentStreamState } from '../../domain/agentStream.ts';
import type { DomainError } from '../../domain/decider.ts';
import type { TaskEdge, TaskSpec } from '../../domain/work/workEvents.ts';
import type { TaskRecord } from '../../domain/work/workState.ts';
import { handleAgentCommand, type CommandContext, type OccConflict } from '../handleAgentCommand.ts';
import type { WorkContext } from '../workContext.ts';
import { goalsPlan, occConflict, refused, type PlannedGoals } from './decomposeGoals.ts';
import { goalReview, screenGoals, type GoalScreen } from './goalScreen.ts';

// The Planner's re-plan (seed 000 §2.1.2): the open tasks of cancelled goals are cancelled
// (with what depends on them), and new goals (goals the agent has) are planned as
// decomposeGoals plans them, into a new campaign. `stateVersion` is the version the caller
// re-planned on: the first write is appended at exactly that version or refused; the plan,
// when there is also a cancellation, follows in a second append on the stream as it is then.
//
// The goals themselves are not changed here (their status is the global state's: POST
// /globalstate/update); a goal that has open tasks already is not planned twice.

export type ReplanRequest = {
  agentId: string;
  stateVersion: number;
  trigger: 'state_changed' | 'goal_updated' | 'external_event';
  newGoals: string[];
  cancelledGoals: string[];
};

export type Replanned = {
  cancelled: string[];
  planned: Omit<PlannedGoals, 'goalsAdded' | 'stateVersion' | 'goalReview'> | null;
  goalReview: ReturnType<typeof goalReview>;
  alreadyPlanned: string[];
  // The agent's open tasks after the re-plan, and the edges between them.
  openTasks: Array<{ spec: TaskSpec; campaign_id: string; status: TaskRecord['status']; worker_id: string | null }>;
  edges: TaskEdge[];
  stateVersion: number;
};

export type ReplanOutcome = { ok: true; replanned: Replanned } | { ok: false; error: DomainError | OccConflict };

const isOpen = (t: TaskRecord) => t.status !== 'completed' && t.status !== 'failed' && t.status !== 'cancelled';

export async function replan(
  ctx: WorkContext,
  model: ModelPort,
  request: ReplanRequest,
  approvalCostUsd: number,
  correlationId: string,
  screen?: GoalScreen,
): Promise<ReplanOutcome> {
  const { state, version } = await ctx.states.load(request.agentId);
  const { agent, work } = state;
  if (agent.status === 'absent') return refused('agent_not_found', `agent ${request.agentId} does not exist`);
  if (version !== request.stateVersion) return { ok: false, error: occConflict(request.stateVersion, version) };

  const goalOf = (t: TaskRecord) => t.spec.parameters.goal_id;
  const openGoals = new Set(Object.values(work.tasks).filter(isOpen).map(goalOf));
  const goals = [];
  for (const goalId of new Set(request.newGoals)) {
    const goal = agent.goals.find((g) => g.goal_id === goalId);
    if (!goal) return refused('goal_not_found', `goal ${goalId} does not exist`, { goal_id: goalId });
    if (goal.status !== 'active') return refused('goal_not_active', `goal ${goalId} is ${goal.status}`, { goal_id: goalId, status: goal.status });
    if (!openGoals.has(goalId)) goals.push(goal);
  }
  if (goals.length > 0 && agent.status !== 'active') return refused('agent_not_active', `agent is ${agent.status}`, { status: agent.status });
  const cancelled = new Set(request.cancelledGoals);
  const toCancel = Object.values(work.tasks)
    .filter((t) => isOpen(t) && typeof goalOf(t) === 'string' && cancelled.has(goalOf(t) as string))
    .map((t) => t.spec.task_id);

  // The goals to plan are checked, and the model asked, before anything is written: a refused
  // goal or a model failure leaves the stream as it was.
  const screened = await screenGoals(screen, goals.map((g) => g.description));
  if (!screened.ok) return screened;
  const plan = goals.length > 0 ? await goalsPlan(ctx, model, request.agentId, state, goals, approvalCostUsd) : null;
  const context: CommandContext = { actor: ctx.actor, correlationId, causationId: null };
  let expectedVersion: number | undefined = request.stateVersion;
  let after = state;
  let stateVersion = version;
  const cancelledIds: string[] = [];
  if (toCancel.length > 0) {
    const reason = `goal cancelled (${request.trigger}): ${[...cancelled].filter((g) => toCancel.some((id) => goalOf(work.tasks[id]!) === g)).join(', ')}`;
    const result = await handleAgentCommand(
      ctx.store,
      request.agentId,
      { type: 'CancelTasks', data: { task_ids: toCancel, reason }, now: ctx.now().toISOString(), policy: ctx.policy },
      context,
      { expectedVersion },
      ctx.states,
    );
    if (!result.ok) return result;
    // Dependents cancelled by follow-up are in the same append.
    for (const e of result.events) if (e.type === 'TaskCancelled') cancelledIds.push(e.data.task_id);
    after = result.state;
    stateVersion = result.stateVersion;
    expectedVersion = undefined;
  }
  if (plan) {
    const result = await handleAgentCommand(ctx.store, request.agentId, plan.command, context, expectedVersion === undefined ? {} : { expectedVersion }, ctx.states);
    if (!result.ok) return cancelledIds.length > 0 ? { ok: false, error: { ...result.error, details: { ...result.error.details, cancelled_tasks: cancelledIds } } as DomainError } : result;
    after = result.state;
    stateVersion = result.stateVersion;
  }
  return {
    ok: true,
    replanned: {
      cancelled: cancelledIds,
      planned: plan ? plan.planned(after) : null,
      alreadyPlanned: [...new Set(request.newGoals)].filter((g) => openGoals.has(g)),
      goalReview: goalReview(screened.verdicts),
      ...openDag(after),
      stateVersion,
    },
  };
}

// Open tasks in plan order (dependencies first), with the edges among them.
function openDag({ work }: AgentStreamState): Pick<Replanned, 'openTasks' | 'edges'> {
  const open = Object.values(work.plans)
    .flatMap((p) => p.task_ids.map((id) => work.tasks[id]!))
    .filter(isOpen);
  const ids = new Set(open.map((t) => t.spec.task_id));
  return {
    openTasks: open.map((t) => ({ spec: t.spec, campaign_id: t.campaign_id, status: t.status, worker_id: t.worker_id })),
    edges: open.flatMap((t) => t.spec.dependencies.filter((d) => ids.has(d)).map((d) => ({ from_task_id: d, to_task_id: t.spec.task_id }))),
  };
}
