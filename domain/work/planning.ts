// Campaign plans: a task DAG planned into a campaign (opening the campaign if it is new), and
// an operator's approval of a plan that needs one.
import { accept, refuse, type Decision } from '../decider.ts';
import type { AgentStreamEvent, AgentStreamState } from '../agentStream.ts';
import type { ApprovePlan, CancelTasks, PlanCampaign } from './workCommands.ts';
import type { TaskSpec } from './workEvents.ts';

export function planCampaign({ data, now }: PlanCampaign, { agent, work }: AgentStreamState): Decision<AgentStreamEvent> {
  if (agent.status !== 'active') return refuse('agent_not_active', `agent is ${agent.status}`, { status: agent.status });
  if (work.plans[data.plan_id]) return refuse('plan_already_exists', `plan ${data.plan_id} already exists`, { plan_id: data.plan_id });
  if (data.tasks.length === 0) return refuse('plan_empty', 'a plan needs at least one task');
  const existing = agent.campaigns.find((c) => c.campaign_id === data.campaign_id);
  if (data.campaign && existing) return refuse('campaign_already_exists', `campaign ${data.campaign_id} already exists`, { campaign_id: data.campaign_id });
  if (!data.campaign && !existing) return refuse('campaign_not_found', `campaign ${data.campaign_id} does not exist`, { campaign_id: data.campaign_id });
  const taken = data.tasks.find((t) => work.tasks[t.task_id]);
  if (taken) return refuse('task_already_exists', `task ${taken.task_id} already exists`, { task_id: taken.task_id });

  const ordered = topologicalOrder(data.tasks, data.edges);
  if (!ordered.ok) return ordered;

  const events: AgentStreamEvent[] = [];
  if (data.campaign) {
    const c = data.campaign;
    const budget = c.budget_limit ?? null;
    events.push({
      type: 'CampaignAdded',
      data: {
        campaign: {
          campaign_id: data.campaign_id,
          name: c.name,
          description: c.description ?? null,
          status: c.status ?? 'active',
          budget_limit: budget,
          budget_remaining: c.budget_remaining ?? budget,
        },
        at: now,
      },
    });
  }
  events.push({
    type: 'CampaignPlanned',
    data: {
      plan_id: data.plan_id,
      campaign_id: data.campaign_id,
      goal: data.goal,
      tasks: ordered.tasks,
      edges: data.edges,
      estimated_cost: data.estimated_cost,
      estimated_duration_s: data.estimated_duration_s,
      requires_approval: data.requires_approval,
      model_call: data.model_call,
      at: now,
    },
  });
  return accept(events);
}

export function approvePlan({ data, now }: ApprovePlan, { work }: AgentStreamState): Decision<AgentStreamEvent> {
  const plan = work.plans[data.plan_id];
  if (!plan) return refuse('plan_not_found', `plan ${data.plan_id} does not exist`, { plan_id: data.plan_id });
  if (plan.approved) return accept([]);
  return accept([{ type: 'PlanApproved', data: { plan_id: data.plan_id, approved_by: data.approved_by, at: now } }]);
}

// Edges and `dependencies` must agree; the result lists every task after the ones it depends
// on (so follow-ups settle a chain in one pass), or refuses a cycle or an unknown task.
function topologicalOrder(
  tasks: TaskSpec[],
  edges: Array<{ from_task_id: string; to_task_id: string }>,
): { ok: true; tasks: TaskSpec[] } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } } {
  const byId = new Map(tasks.map((t) => [t.task_id, t]));
  if (byId.size !== tasks.length) return refuse('plan_invalid', 'task ids repeat in the plan');
  const deps = new Map(tasks.map((t) => [t.task_id, new Set(t.dependencies)]));
  for (const edge of edges) {
    if (!byId.has(edge.from_task_id) || !byId.has(edge.to_task_id)) return refuse('plan_invalid', 'an edge names a task outside the plan', { edge });
    deps.get(edge.to_task_id)!.add(edge.from_task_id);
  }
  for (const [taskId, set] of deps) {
    for (const dep of set) if (!byId.has(dep)) return refuse('plan_invalid', `task ${taskId} depends on unknown task ${dep}`, { task_id: taskId, dependency: dep });
  }
  const ordered: TaskSpec[] = [];
  const placed = new Set<string>();
  while (ordered.length < tasks.length) {
    const next = tasks.filter((t) => !placed.has(t.task_id) && [...deps.get(t.task_id)!].every((d) => placed.has(d)));
    if (next.length === 0) return refuse('plan_invalid', 'the task dependencies form a cycle');
    for (const t of next) {
      placed.add(t.task_id);
      ordered.push({ ...t, dependencies: [...deps.get(t.task_id)!] });
    }
  }
  return { ok: true, tasks: ordered };
}

// Open tasks are cancelled (a result already recorded for one is then refused a review);
// finished ones are left as they are. Unknown ids are refused, so a typo is not silent.
export function cancelTasks({ data, now }: CancelTasks, { work }: AgentStreamState): Decision<AgentStreamEvent> {
  const unknown = data.task_ids.find((id) => !work.tasks[id]);
  if (unknown) return refuse('task_not_found', `task ${unknown} does not exist`, { task_id: unknown });
  const open = [...new Set(data.task_ids)].filter((id) => !['completed', 'failed', 'cancelled'].includes(work.tasks[id]!.status));
  return accept(open.map((task_id) => ({ type: 'TaskCancelled' as const, data: { task_id, reason: data.reason, at: now } })));
}
