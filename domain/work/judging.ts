// The judge's review of a result, routed by its verdict: committed and done (auto_execute),
// queued for a moderator (hitl_queue), tried again (retry), or refused for good (reject, E1003).
// A result whose task's circumstances changed since its snapshot is invalidated instead (E1004).
import { accept, refuse, type Decision } from '../decider.ts';
import type { AgentStreamEvent, AgentStreamState } from '../agentStream.ts';
import { staleness } from './staleness.ts';
import type { ReviewResult } from './workCommands.ts';
import type { TaskRecord } from './workState.ts';

export function reviewResult({ data, now, policy }: ReviewResult, state: AgentStreamState): Decision<AgentStreamEvent> {
  const task = state.work.tasks[data.task_id];
  if (!task) return refuse('task_not_found', `task ${data.task_id} does not exist`, { task_id: data.task_id });
  // A result reviewed already (a redelivered event) is not reviewed twice.
  if (Object.values(state.work.reviews).some((r) => r.result_id === data.result_id)) return accept([]);
  if (task.status !== 'review' || task.result?.result_id !== data.result_id) {
    return refuse('result_not_current', `result ${data.result_id} is not the task's current result`, { task_id: data.task_id, result_id: data.result_id });
  }
  const snapshot = task.result.state_version_snapshot;
  const changes = staleness(task, snapshot, state);
  if (changes.length > 0) return accept([invalidated(task, data.result_id, changes, now)]);

  const action = data.verdict.routing_decision.action;
  const reviewed: AgentStreamEvent = {
    type: 'ResultReviewed',
    data: {
      review_id: data.review_id,
      task_id: data.task_id,
      result_id: data.result_id,
      verdict: data.verdict,
      occ_check: { input_state_version: snapshot, current_state_version: state.version, consistent: true },
      artifact_hash: data.artifact_hash,
      policy_version: state.agent.policy_version,
      expires_at: action === 'hitl_queue' ? new Date(Date.parse(now) + policy.hitl_ttl_ms).toISOString() : null,
      model_call: data.model_call,
      at: now,
    },
  };
  switch (action) {
    case 'auto_execute':
      return accept([
        reviewed,
        committed(task, data.review_id, data.result_id, data.commit_id, data.commit_hash, 'judge', snapshot, now),
        { type: 'TaskCompleted', data: { task_id: data.task_id, result_id: data.result_id, at: now } },
      ]);
    case 'hitl_queue':
      return accept([reviewed]);
    case 'retry': {
      const reason = data.verdict.routing_decision.reason;
      const failed: AgentStreamEvent = {
        type: 'TaskAttemptFailed',
        data: { task_id: data.task_id, attempt: task.attempt, error: { code: 'judge_retry', message: reason }, retryable: true, at: now },
      };
      if (task.failed_attempts + 1 < policy.max_attempts) return accept([reviewed, failed]);
      return accept([
        reviewed,
        failed,
        { type: 'TaskFailed', data: { task_id: data.task_id, error: { code: 'judge_retry', message: `${policy.max_attempts} attempts refused by the judge: ${reason}` }, at: now } },
      ]);
    }
    case 'reject':
      return accept([
        reviewed,
        { type: 'TaskFailed', data: { task_id: data.task_id, error: { code: data.verdict.error_code ?? 'rejected', message: data.verdict.routing_decision.reason }, at: now } },
      ]);
  }
}

export function invalidated(task: TaskRecord, resultId: string, changes: string[], at: string): AgentStreamEvent {
  return {
    type: 'ResultInvalidated',
    data: { task_id: task.spec.task_id, result_id: resultId, code: 'E1004', reason: `stale since its snapshot: ${changes.join('; ')}`, changes, at },
  };
}

export function committed(
  task: TaskRecord,
  reviewId: string,
  resultId: string,
  commitId: string,
  commitHash: string,
  by: 'judge' | 'human_moderator',
  inputVersion: number,
  at: string,
): AgentStreamEvent {
  return {
    type: 'ResultCommitted',
    data: { commit_id: commitId, review_id: reviewId, task_id: task.spec.task_id, result_id: resultId, input_state_version: inputVersion, commit_hash: commitHash, committed_by: by, at },
  };
}
