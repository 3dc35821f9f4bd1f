// A moderator's decision on a queued review (seed 000 §2.5.2–2.5.4), and a review's expiry.
// Only a queued review can be decided, once; a decision naming an artifact that is no longer
// the one under review is refused. An approval of a result gone stale invalidates it instead.
import { accept, refuse, type Decision } from '../decider.ts';
import type { AgentStreamEvent, AgentStreamState } from '../agentStream.ts';
import { committed, invalidated } from './judging.ts';
import { resultCommitHash } from './resultCommitHash.ts';
import { staleness } from './staleness.ts';
import type { ApproveReview, EditReview, ExpireReview, RejectReview } from './workCommands.ts';
import type { ReviewRecord, TaskRecord } from './workState.ts';

type Queued = { ok: true; review: ReviewRecord; task: TaskRecord } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

function queued(state: AgentStreamState, reviewId: string, expectedHash: string | null): Queued {
  const review = state.work.reviews[reviewId];
  if (!review) return refuse('review_not_found', `review ${reviewId} does not exist`, { review_id: reviewId });
  if (review.status !== 'queued') {
    return refuse('review_not_pending', `review ${reviewId} is ${review.status}, not awaiting a decision`, { review_id: reviewId, status: review.status });
  }
  if (expectedHash !== null && expectedHash !== review.artifact_hash) {
    return refuse('review_changed', `the artifact under review ${reviewId} is not the one you saw`, { review_id: reviewId, artifact_hash: review.artifact_hash });
  }
  return { ok: true, review, task: state.work.tasks[review.task_id]! };
}

export function approveReview({ data, now }: ApproveReview, state: AgentStreamState): Decision<AgentStreamEvent> {
  const found = queued(state, data.review_id, data.expected_artifact_hash);
  if (!found.ok) return found;
  const { review, task } = found;
  const blocked = review.verdict.hitl_category === 'blocked';
  if (blocked && !data.override?.reason) {
    return refuse('override_required', `review ${review.review_id} is blocked by a critical finding: approving it needs an explicit override with a reason`, {
      review_id: review.review_id,
      findings: review.verdict.validation_result.sensitive_topics_detected,
    });
  }
  const approved: AgentStreamEvent = {
    type: 'ReviewApproved',
    data: {
      review_id: review.review_id,
      approval_id: data.approval_id,
      reviewer_id: data.reviewer_id,
      artifact_hash: review.artifact_hash,
      policy_version: state.agent.policy_version,
      notes: data.notes,
      // Recorded only where there was something to override.
      override: blocked && data.override ? { reason: data.override.reason, findings: review.verdict.validation_result.sensitive_topics_detected } : null,
      at: now,
    },
  };
  const snapshot = task.result?.state_version_snapshot ?? 0;
  const changes = staleness(task, snapshot, state);
  if (changes.length > 0) return accept([approved, invalidated(task, review.result_id, changes, now)]);
  return accept([
    approved,
    committed(task, review.review_id, review.result_id, data.commit_id, resultCommitHash(state.agent.agent_id, task.spec.task_id, review.result_id, task.result!.artifact, state.agent.policy_version), 'human_moderator', snapshot, now),
    { type: 'TaskCompleted', data: { task_id: task.spec.task_id, result_id: review.result_id, at: now } },
  ]);
}

export function rejectReview({ data, now }: RejectReview, state: AgentStreamState): Decision<AgentStreamEvent> {
  const found = queued(state, data.review_id, data.expected_artifact_hash);
  if (!found.ok) return found;
  const { review, task } = found;
  return accept([
    {
      type: 'ReviewRejected',
      data: {
        review_id: review.review_id,
        rejection_id: data.rejection_id,
        reviewer_id: data.reviewer_id,
        artifact_hash: review.artifact_hash,
        policy_version: state.agent.policy_version,
        notes: data.notes,
        at: now,
      },
    },
    // The workflow ends here: the task and (by follow-up) whatever depends on it.
    { type: 'TaskCancelled', data: { task_id: task.spec.task_id, reason: `rejected by ${data.reviewer_id}`, at: now } },
  ]);
}

// An edit makes a new revision of the result, written by the moderator, which goes through
// the judge again (it may still need a moderator: a sensitive topic stays sensitive).
export function editReview({ data, now }: EditReview, state: AgentStreamState): Decision<AgentStreamEvent> {
  const found = queued(state, data.review_id, data.expected_artifact_hash);
  if (!found.ok) return found;
  const { review, task } = found;
  const previous = task.result!;
  return accept([
    {
      type: 'ReviewEdited',
      data: {
        review_id: review.review_id,
        edit_id: data.edit_id,
        reviewer_id: data.reviewer_id,
        artifact_hash: review.artifact_hash,
        policy_version: state.agent.policy_version,
        notes: data.notes,
        edited_result_id: data.new_result_id,
        at: now,
      },
    },
    {
      type: 'TaskResultRecorded',
      data: {
        task_id: task.spec.task_id,
        attempt: task.attempt,
        result: {
          result_id: data.new_result_id,
          artifact: { ...data.artifact, metadata: { ...previous.artifact.metadata, edited_from: previous.result_id } },
          confidence_score: 1,
          risk_tags: previous.risk_tags,
          // A person shaped what the model wrote.
          disclosure_level: 'assisted',
          tool_provenance: { mcp_tool: 'hitl_edit', mcp_server: 'chimera', tool_version: '1', parameters_used: { review_id: review.review_id }, cost_estimate: null },
          execution_metadata: { started_at: now, completed_at: now, duration_ms: 0 },
          source_content: previous.source_content,
          model_call: null,
        },
        // The edit answers the state the moderator saw, not the one the worker saw.
        state_version_snapshot: state.version,
        edited_by: data.reviewer_id,
        at: now,
      },
    },
  ]);
}

export function expireReview({ data, now }: ExpireReview, state: AgentStreamState): Decision<AgentStreamEvent> {
  const review = state.work.reviews[data.review_id];
  if (!review || review.status !== 'queued') return accept([]);
  if (review.expires_at === null || Date.parse(now) < Date.parse(review.expires_at)) {
    return refuse('review_not_expired', `review ${data.review_id} expires at ${review.expires_at}`, { review_id: data.review_id });
  }
  return accept([
    { type: 'ReviewExpired', data: { review_id: review.review_id, at: now } },
    { type: 'TaskFailed', data: { task_id: review.task_id, error: { code: 'review_expired', message: 'no moderator decided in time' }, at: now } },
  ]);
}
