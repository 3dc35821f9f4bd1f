// A worker's side of a task: claiming an attempt, recording its result (or, for tasks that
// publish, the publication), or its failure. Only the attempt that was made ready can be
// claimed, and only once, so duplicate deliveries and late workers change nothing.
import { accept, refuse, type Decision } from '../decider.ts';
import type { AgentStreamEvent, AgentStreamState } from '../agentStream.ts';
import { publishingPlatform } from './evolveWork.ts';
import type { CostInput, FailTaskAttempt, RecordPublication, RecordResult, StartTask } from './workCommands.ts';
import { isContentTask } from './workEvents.ts';
import type { TaskRecord } from './workState.ts';

export function startTask({ data, now, policy }: StartTask, { agent, work }: AgentStreamState): Decision<AgentStreamEvent> {
  const found = attemptOf(work.tasks[data.task_id], data.task_id, data.attempt);
  if (!found.ok) return found;
  const task = found.task;
  if (task.status !== 'ready') return refuse('task_not_ready', `task ${data.task_id} is ${task.status}`, { task_id: data.task_id, status: task.status });
  const campaign = agent.campaigns.find((c) => c.campaign_id === task.campaign_id);
  if (agent.status !== 'active' || campaign?.status !== 'active') {
    return refuse('campaign_not_active', `task ${data.task_id} cannot run while its campaign or agent is not active`, { task_id: data.task_id });
  }
  if (task.retry_not_before && Date.parse(now) < Date.parse(task.retry_not_before)) {
    return refuse('task_not_due', `task ${data.task_id} waits until ${task.retry_not_before}`, { task_id: data.task_id, not_before: task.retry_not_before });
  }
  const platform = publishingPlatform(task);
  if (platform) {
    // Seed 003: a cooldown between an agent's posts on one platform; one post in flight at a time.
    const inFlight = work.posting[platform];
    if (inFlight && inFlight !== data.task_id) {
      return refuse('cooldown_active', `another ${platform} post of this agent is being published`, { task_id: data.task_id, platform, not_before: null });
    }
    const last = work.last_post_at[platform];
    const due = last ? Date.parse(last) + policy.post_cooldown_ms : 0;
    if (Date.parse(now) < due) {
      const notBefore = new Date(due).toISOString();
      return refuse('cooldown_active', `${platform} cooldown: next post at ${notBefore}`, { task_id: data.task_id, platform, not_before: notBefore });
    }
  }
  return accept([{ type: 'TaskStarted', data: { task_id: data.task_id, attempt: data.attempt, worker_id: data.worker_id, at: now } }]);
}

export function recordResult({ data, now }: RecordResult, state: AgentStreamState): Decision<AgentStreamEvent> {
  const running = runningAttempt(state, data.task_id, data.attempt);
  if (!running.ok) return running;
  const task = running.task;
  if (!isContentTask(task.spec.task_type)) {
    return refuse('task_publishes', `task ${data.task_id} publishes: record its publication instead`, { task_id: data.task_id });
  }
  return accept([
    {
      type: 'TaskResultRecorded',
      data: { task_id: data.task_id, attempt: data.attempt, result: data.result, state_version_snapshot: task.state_version_snapshot ?? 0, edited_by: null, at: now },
    },
    ...costs(data.costs, task, now),
  ]);
}

export function recordPublication({ data, now }: RecordPublication, state: AgentStreamState): Decision<AgentStreamEvent> {
  const running = runningAttempt(state, data.task_id, data.attempt);
  if (!running.ok) return running;
  const task = running.task;
  if (isContentTask(task.spec.task_type)) {
    return refuse('task_not_publishing', `task ${data.task_id} makes content: record its result instead`, { task_id: data.task_id });
  }
  return accept([
    { type: 'PostPublished', data: { ...data.post, task_id: data.task_id, campaign_id: task.campaign_id, at: now } },
    ...costs(data.costs, task, now),
    { type: 'TaskCompleted', data: { task_id: data.task_id, result_id: data.post.post_id, at: now } },
  ]);
}

export function failTaskAttempt({ data, now, policy }: FailTaskAttempt, state: AgentStreamState): Decision<AgentStreamEvent> {
  const running = runningAttempt(state, data.task_id, data.attempt);
  if (!running.ok) return running;
  const exhausted = running.task.failed_attempts + 1 >= policy.max_attempts;
  const failed: AgentStreamEvent = {
    type: 'TaskAttemptFailed',
    data: { task_id: data.task_id, attempt: data.attempt, error: data.error, retryable: data.retryable, at: now },
  };
  if (data.retryable && !exhausted) return accept([failed]);
  const reason = exhausted && data.retryable ? `${policy.max_attempts} attempts failed, the last with ${data.error.code}` : data.error.message;
  return accept([failed, { type: 'TaskFailed', data: { task_id: data.task_id, error: { code: data.error.code, message: reason }, at: now } }]);
}

type Found = { ok: true; task: TaskRecord } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

function attemptOf(task: TaskRecord | undefined, taskId: string, attempt: number): Found {
  if (!task) return refuse('task_not_found', `task ${taskId} does not exist`, { task_id: taskId });
  if (task.attempt !== attempt) {
    return refuse('attempt_superseded', `task ${taskId} is at attempt ${task.attempt}, not ${attempt}`, { task_id: taskId, attempt: task.attempt });
  }
  return { ok: true, task };
}

function runningAttempt({ work }: AgentStreamState, taskId: string, attempt: number): Found {
  const found = attemptOf(work.tasks[taskId], taskId, attempt);
  if (!found.ok) return found;
  if (found.task.status !== 'executing') {
    return refuse('task_not_executing', `task ${taskId} is ${found.task.status}`, { task_id: taskId, status: found.task.status });
  }
  return found;
}

function costs(inputs: CostInput[], task: TaskRecord, at: string): AgentStreamEvent[] {
  return inputs.map((c) => ({ type: 'CostIncurred', data: { ...c, task_id: task.spec.task_id, campaign_id: task.campaign_id, at } }));
}
