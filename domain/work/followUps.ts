// What an agent's work does on its own after any change: a pending task whose dependencies are
// done runs when its campaign and agent are active; a ready task whose campaign or agent
// stopped is held back; a task whose dependency failed or was cancelled is cancelled.
import type { AgentStreamEvent, AgentStreamState } from '../agentStream.ts';
import type { WorkPolicy } from './workCommands.ts';
import type { TaskReady } from './workEvents.ts';
import type { TaskRecord } from './workState.ts';

export function followUps(state: AgentStreamState, now: string, policy: WorkPolicy): AgentStreamEvent[] {
  const events: AgentStreamEvent[] = [];
  const { agent, work } = state;
  // Snapshots name the version after this command's own events, which the stream will have
  // reached when these follow-ups are appended with them.
  const snapshot = state.version;
  const cancelled = new Set<string>();
  const campaignActive = (campaignId: string) =>
    agent.status === 'active' && agent.campaigns.some((c) => c.campaign_id === campaignId && c.status === 'active');

  // Dependencies come before dependents in a plan, so one pass settles chains of cancellations.
  for (const plan of Object.values(work.plans)) {
    for (const taskId of plan.task_ids) {
      const task = work.tasks[taskId]!;
      const deps = task.spec.dependencies.map((d) => work.tasks[d]);
      if (agent.status === 'deleted' && isOpen(task)) {
        events.push({ type: 'TaskCancelled', data: { task_id: taskId, reason: 'agent deleted', at: now } });
        continue;
      }
      if (task.status === 'pending' && deps.some((d) => !d || d.status === 'failed' || d.status === 'cancelled' || cancelled.has(d.spec.task_id))) {
        cancelled.add(taskId);
        events.push({ type: 'TaskCancelled', data: { task_id: taskId, reason: 'a task it depends on did not complete', at: now } });
        continue;
      }
      const runnable = plan.approved && campaignActive(task.campaign_id);
      if (task.status === 'ready' && !runnable) {
        events.push({ type: 'TaskHeld', data: { task_id: taskId, reason: 'campaign or agent not active', at: now } });
        continue;
      }
      if (task.status === 'pending' && runnable && deps.every((d) => d!.status === 'completed')) {
        events.push({ type: 'TaskReady', data: readiness(task, deps as TaskRecord[], snapshot, now, policy) });
      }
    }
  }
  return events;
}

function isOpen(task: TaskRecord): boolean {
  return task.status !== 'completed' && task.status !== 'failed' && task.status !== 'cancelled';
}

function readiness(task: TaskRecord, deps: TaskRecord[], snapshot: number, now: string, policy: WorkPolicy): TaskReady {
  const attempt = task.attempt + 1;
  // A retry waits out its backoff, doubling with each failed attempt.
  const backoff = task.failed_attempts > 0 ? policy.retry_backoff_ms * 2 ** (task.failed_attempts - 1) : 0;
  const notBefore = backoff > 0 ? new Date(Date.parse(now) + backoff).toISOString() : null;
  return {
    task_id: task.spec.task_id,
    attempt,
    state_version_snapshot: snapshot,
    not_before: notBefore,
    inputs: deps.map((d) => ({ task_id: d.spec.task_id, task_type: d.spec.task_type, result_id: d.committed!.result_id, artifact: d.committed!.artifact })),
    at: now,
  };
}
