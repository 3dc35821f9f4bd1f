import { createHash, randomUUID } from 'node:crypto';
import type { ModelCall, ModelPort } from '../../adapters/models/modelPort.ts';
import type { AgentStreamState } from '../../domain/agentStream.ts';
import type { DomainError } from '../../domain/decider.ts';
import type { Goal, Priority } from '../../domain/agent/agentEvents.ts';
import type { PlanCampaign } from '../../domain/work/workCommands.ts';
import type { TaskEdge, TaskSpec } from '../../domain/work/workEvents.ts';
import { handleAgentCommand, type CommandContext, type OccConflict } from '../handleAgentCommand.ts';
import type { WorkContext } from '../workContext.ts';
import { goalReview, screenGoals, type GoalScreen } from './goalScreen.ts';
import { estimatedCostOf, needsApproval, planGoal } from './composeCampaign.ts';

// The Planner's decomposition (seed 000 §2.1.1): the agent's goals become one task DAG, planned
// the way a composed campaign is (composeCampaign.ts), into a campaign opened for the request.
// Every task names its goal (parameters.goal_id), so a goal whose status changes makes the
// task's result stale (E1004). `stateVersion` is the version the caller planned on: the
// request's first write is appended at exactly that version or refused (occ_conflict).
//
// Goals the agent does not have yet are added first (UpdateGlobalState), at the caller's
// version; the plan follows in a second append, decided on whatever the stream holds by then
// (workers may have appended meanwhile), so the answered state_version_snapshot is the
// version after both. A goal the agent has is planned as the stream knows it (its stored
// description and priority win over the request's); one that is completed or cancelled is
// refused (goal_not_active).

export type RequestedGoal = { goal_id: string; description: string; priority: Priority; deadline: string | null };

export type DecomposeRequest = {
  agentId: string;
  goals: RequestedGoal[];
  stateVersion: number;
  // The persona the caller planned for; it must be the agent's at that version.
  persona?: { persona_name: string; policy_version: string };
};

export type PlannedGoals = {
  campaignId: string;
  planId: string;
  campaignName: string;
  tasks: TaskSpec[];
  edges: TaskEdge[];
  estimatedCost: number;
  requiresApproval: boolean;
  goalsAdded: string[];
  plannedAt: string;
  stateVersion: number;
  goalReview: ReturnType<typeof goalReview>;
};

export type PlanOutcome = { ok: true; planned: PlannedGoals } | { ok: false; error: DomainError | OccConflict };

export async function decomposeGoals(
  ctx: WorkContext,
  model: ModelPort,
  request: DecomposeRequest,
  approvalCostUsd: number,
  correlationId: string,
  screen?: GoalScreen,
): Promise<PlanOutcome> {
  const { state, version } = await ctx.states.load(request.agentId);
  const { agent } = state;
  if (agent.status === 'absent') return refused('agent_not_found', `agent ${request.agentId} does not exist`);
  if (version !== request.stateVersion) return { ok: false, error: occConflict(request.stateVersion, version) };
  if (agent.status !== 'active') return refused('agent_not_active', `agent is ${agent.status}`, { status: agent.status });
  if (request.persona && (request.persona.persona_name !== agent.persona_name || request.persona.policy_version !== agent.policy_version)) {
    return refused('persona_mismatch', `persona_config is not the agent's persona at state_version ${version}`, {
      persona_name: agent.persona_name,
      policy_version: agent.policy_version,
    });
  }
  const known = new Map(agent.goals.map((g) => [g.goal_id, g]));
  const inactive = request.goals.find((g) => known.get(g.goal_id) && known.get(g.goal_id)!.status !== 'active');
  if (inactive) {
    return refused('goal_not_active', `goal ${inactive.goal_id} is ${known.get(inactive.goal_id)!.status}`, { goal_id: inactive.goal_id, status: known.get(inactive.goal_id)!.status });
  }
  const added = request.goals.filter((g) => !known.has(g.goal_id));
  const goals: Goal[] = request.goals.map((g) => known.get(g.goal_id) ?? { ...g, status: 'active' });
  // Before anything is added or planned: a refused goal leaves the stream as it was.
  const screened = await screenGoals(screen, goals.map((g) => g.description));
  if (!screened.ok) return screened;

  const plan = await goalsPlan(ctx, model, request.agentId, state, goals, approvalCostUsd);
  const context: CommandContext = { actor: ctx.actor, correlationId, causationId: null };
  let expectedVersion: number | undefined = request.stateVersion;
  if (added.length > 0) {
    const addGoals = await handleAgentCommand(
      ctx.store,
      request.agentId,
      { type: 'UpdateGlobalState', data: { goals: added.map((goal) => ({ action: 'add' as const, goal })), campaigns: [] }, now: plan.command.now, policy: ctx.policy },
      context,
      { expectedVersion },
      ctx.states,
    );
    if (!addGoals.ok) return addGoals;
    expectedVersion = undefined;
  }
  const result = await handleAgentCommand(ctx.store, request.agentId, plan.command, context, expectedVersion === undefined ? {} : { expectedVersion }, ctx.states);
  if (!result.ok) {
    // The goals stay added: say so, so the caller does not add them again.
    return added.length > 0 ? { ok: false, error: { ...result.error, details: { ...result.error.details, goals_added: added.map((g) => g.goal_id) } } as DomainError } : result;
  }
  return {
    ok: true,
    planned: { ...plan.planned(result.state), goalsAdded: added.map((g) => g.goal_id), stateVersion: result.stateVersion, goalReview: goalReview(screened.verdicts) },
  };
}

// The PlanCampaign for some of the agent's goals, in a new campaign named after them. Each
// goal is one model call; several are recorded as one call (see combinedCall).
export async function goalsPlan(ctx: WorkContext, model: ModelPort, agentId: string, state: AgentStreamState, goals: Goal[], approvalCostUsd: number) {
  const planned = await Promise.all(
    goals.map((g) =>
      planGoal(model, agentId, state.agent, { description: g.description, goalId: g.goal_id, priority: g.priority, ...(g.deadline ? { deadline: g.deadline } : {}) }),
    ),
  );
  const tasks = planned.flatMap((p) => p.tasks);
  const edges = planned.flatMap((p) => p.edges);
  const estimatedCost = estimatedCostOf(tasks);
  const requiresApproval = needsApproval(tasks, estimatedCost, approvalCostUsd);
  const campaignId = randomUUID();
  const planId = randomUUID();
  const campaignName = clip([...new Set(planned.map((p) => p.plan.campaignName))].join(' + '), 120);
  const description = goals.map((g) => g.description).join('\n');
  const command: PlanCampaign = {
    type: 'PlanCampaign',
    data: {
      campaign: { campaign_id: campaignId, name: campaignName, description },
      campaign_id: campaignId,
      plan_id: planId,
      goal: description,
      tasks,
      edges,
      estimated_cost: estimatedCost,
      estimated_duration_s: planned.reduce((sum, p) => sum + p.plan.estimatedDurationS, 0),
      requires_approval: requiresApproval,
      model_call: combinedCall(planned.map((p) => p.plan.call)),
    },
    now: ctx.now().toISOString(),
    policy: ctx.policy,
  };
  return {
    command,
    // The tasks as the decider stored them (dependencies first, edges folded in).
    planned: (after: AgentStreamState): Omit<PlannedGoals, 'goalsAdded' | 'stateVersion' | 'goalReview'> => ({
      campaignId,
      planId,
      campaignName,
      tasks: after.work.plans[planId]!.task_ids.map((id) => after.work.tasks[id]!.spec),
      edges,
      estimatedCost,
      requiresApproval,
      plannedAt: command.now,
    }),
  };
}

// A plan event keeps one model call; the calls for several goals are kept together as one:
// their answers as a JSON array (in goal order), tokens, cost and time summed.
function combinedCall(calls: ModelCall[]): ModelCall | null {
  if (calls.length <= 1) return calls[0] ?? null;
  const sum = (pick: (c: ModelCall) => number) => calls.reduce((total, c) => total + pick(c), 0);
  return {
    provider: calls[0]!.provider,
    model: calls[0]!.model,
    purpose: 'decompose',
    promptHash: createHash('sha256').update(calls.map((c) => c.promptHash).join('\n')).digest('hex'),
    output: JSON.stringify(calls.map((c) => c.output)),
    inputTokens: sum((c) => c.inputTokens),
    outputTokens: sum((c) => c.outputTokens),
    costUsd: sum((c) => c.costUsd),
    durationMs: sum((c) => c.durationMs),
  };
}

export function occConflict(expected: number, actual: number): OccConflict {
  return {
    code: 'occ_conflict',
    message: `state_version is ${actual}, not ${expected}: reload the agent and try again`,
    details: { input_state_version: expected, current_state_version: actual },
  };
}

export function refused(code: string, message: string, details?: Record<string, unknown>): { ok: false; error: DomainError } {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

const clip = (text: string, max: number) => Array.from(text).slice(0, max).join('').trim();
