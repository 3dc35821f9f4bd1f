import { randomUUID } from 'node:crypto';
import type { DecomposeOutput, ModelPort, Platform, PlannedContent } from '../../adapters/models/modelPort.ts';
import type { AgentState } from '../../domain/agent/agentState.ts';
import type { TaskEdge, TaskSpec } from '../../domain/work/workEvents.ts';
import type { CommandResult } from '../handleAgentCommand.ts';
import { sendWork, type WorkContext } from '../workContext.ts';
import { goalReview, screenGoals, type GoalScreen } from './goalScreen.ts';

// The Planner (seed 000 §2.8.1): a natural-language goal becomes a campaign and its task DAG.
// Each planned piece is written (generate_text), given an image or video when it calls for
// one, and posted once those are committed (post_content). The model's answer is recorded in
// the plan event, so replaying the log never asks the model again.

export type ComposeInput = {
  agentId: string;
  goal: string;
  audience?: string;
  maxDailySpend?: number;
  maxTotalSpend?: number;
  deadline?: string;
};

export type ComposedCampaign = {
  campaignId: string;
  planId: string;
  tasks: TaskSpec[];
  edges: TaskEdge[];
  estimatedCost: number;
  estimatedDurationS: number;
  requiresApproval: boolean;
  stateVersion: number;
  // The policy's word on the goal: a sensitive goal sends every result to moderators.
  goalReview: ReturnType<typeof goalReview>;
};

// What a task is expected to cost (USD), before it runs: the sandbox's media prices, a
// model call for text. Posting costs nothing on the platforms we target.
export const TASK_COST_ESTIMATES = { generate_text: 0.01, generate_image: 0.04, render_video_tier_1_daily: 0.5, render_video_tier_2_hero: 5, post_content: 0, engage_reply: 0 };

export type ComposeOutcome = { ok: true; campaign: ComposedCampaign } | Extract<CommandResult, { ok: false }>;

export async function composeCampaign(
  ctx: WorkContext,
  model: ModelPort,
  input: ComposeInput,
  approvalCostUsd: number,
  correlationId: string,
  screen?: GoalScreen,
): Promise<ComposeOutcome> {
  const { state } = await ctx.states.load(input.agentId);
  if (state.agent.status === 'absent') return { ok: false, error: { code: 'agent_not_found', message: `agent ${input.agentId} does not exist` } };
  const screened = await screenGoals(screen, [input.goal]);
  if (!screened.ok) return screened;
  const { plan, tasks, edges } = await planGoal(model, input.agentId, state.agent, {
    description: input.goal,
    ...(input.audience ? { audience: input.audience } : {}),
    ...(input.deadline ? { deadline: input.deadline } : {}),
  });
  const estimatedCost = estimatedCostOf(tasks);
  const requiresApproval = needsApproval(tasks, estimatedCost, approvalCostUsd, input.maxTotalSpend);
  const campaignId = randomUUID();
  const planId = randomUUID();
  const result = await sendWork(
    ctx,
    input.agentId,
    {
      type: 'PlanCampaign',
      data: {
        campaign: { campaign_id: campaignId, name: plan.campaignName, description: input.goal, budget_limit: input.maxTotalSpend ?? null },
        campaign_id: campaignId,
        plan_id: planId,
        goal: input.goal,
        tasks,
        edges,
        estimated_cost: estimatedCost,
        estimated_duration_s: plan.estimatedDurationS,
        requires_approval: requiresApproval,
        model_call: plan.call,
      },
    },
    correlationId,
  );
  if (!result.ok) return result;
  const planned = result.state.work.plans[planId]!.task_ids.map((id) => result.state.work.tasks[id]!.spec);
  return {
    ok: true,
    campaign: {
      campaignId,
      planId,
      tasks: planned,
      edges,
      estimatedCost,
      estimatedDurationS: plan.estimatedDurationS,
      requiresApproval,
      stateVersion: result.stateVersion,
      goalReview: goalReview(screened.verdicts),
    },
  };
}

// One goal as the planner is given it. `goalId` names an agent goal the tasks serve (the
// staleness check follows it); `priority` is the tasks' (default medium).
export type GoalToPlan = { description: string; audience?: string; deadline?: string; goalId?: string; priority?: TaskSpec['priority'] };

// The model's plan for one goal and the tasks that carry it out, for the agent's platforms.
export async function planGoal(model: ModelPort, agentId: string, agent: AgentState, goal: GoalToPlan): Promise<{ plan: DecomposeOutput; tasks: TaskSpec[]; edges: TaskEdge[] }> {
  const platforms = Object.keys(agent.social_accounts).filter((p) => ['twitter', 'instagram', 'threads', 'tiktok'].includes(p)) as Platform[];
  const plan = await model.decompose({
    goal: goal.description,
    persona: { agentId, personaName: agent.persona_name, soulMd: agent.soul_md, policyVersion: agent.policy_version },
    platforms: platforms.length > 0 ? platforms : ['twitter'],
    ...(goal.audience ? { audience: goal.audience } : {}),
    ...(goal.deadline ? { deadline: goal.deadline } : {}),
    maxItems: 3,
  });
  const tasks: TaskSpec[] = [];
  const edges: TaskEdge[] = [];
  for (const item of plan.items) addItem(tasks, edges, item, goal);
  return { plan, tasks, edges };
}

export const estimatedCostOf = (tasks: TaskSpec[]): number => round(tasks.reduce((sum, t) => sum + t.estimated_cost, 0));

// A plan waits for an operator when it costs more than the approval threshold or the budget
// allows, or renders a hero video.
export function needsApproval(tasks: TaskSpec[], estimatedCost: number, approvalCostUsd: number, maxTotalSpend?: number): boolean {
  return (
    estimatedCost > approvalCostUsd ||
    (maxTotalSpend !== undefined && estimatedCost > maxTotalSpend) ||
    tasks.some((t) => t.parameters.tier === 'tier_2_hero')
  );
}

function addItem(tasks: TaskSpec[], edges: TaskEdge[], item: PlannedContent, goal: GoalToPlan): void {
  const context = {
    goal_description: goal.description,
    persona_constraints: goal.audience ? [`audience: ${goal.audience}`] : [],
    required_resources: [`mcp://${item.platform}/trends`, 'mcp://memory/recent'],
  };
  const task = (task_type: TaskSpec['task_type'], parameters: Record<string, unknown>, estimated_cost: number, dependencies: string[] = []): TaskSpec => ({
    task_id: randomUUID(),
    task_type,
    priority: goal.priority ?? 'medium',
    dependencies,
    context,
    parameters: { platform: item.platform, mcp_tool: task_type, topic: item.topic, ...(goal.goalId ? { goal_id: goal.goalId } : {}), ...parameters },
    estimated_cost,
  });
  const write = task('generate_text', { prompt: item.brief, kind: 'post' }, TASK_COST_ESTIMATES.generate_text);
  tasks.push(write);
  const made = [write.task_id];
  if (item.media === 'image') {
    const image = task('generate_image', { prompt: `${item.topic}: ${item.brief}`, style: 'realistic', aspect_ratio: '4:5' }, TASK_COST_ESTIMATES.generate_image);
    tasks.push(image);
    made.push(image.task_id);
  } else if (item.media === 'video') {
    const video = task('render_video', { prompt: `${item.topic}: ${item.brief}`, tier: 'tier_1_daily', duration_s: 15 }, TASK_COST_ESTIMATES.render_video_tier_1_daily);
    tasks.push(video);
    made.push(video.task_id);
  }
  const post = task('post_content', {}, TASK_COST_ESTIMATES.post_content, made);
  tasks.push(post);
  for (const from of made) edges.push({ from_task_id: from, to_task_id: post.task_id });
}

const round = (usd: number) => Math.round(usd * 10_000) / 10_000;
