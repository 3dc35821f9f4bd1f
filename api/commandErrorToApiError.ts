import type { DomainError } from '../domain/decider.ts';
import { ApiError } from './apiError.ts';

// Refusals from deciders and the command handler, as HTTP. The decider's own code travels in
// details.reason so that clients can tell one refusal from another.
// Refusals because the thing is no longer (or not yet) in the state the request assumed.
const STATE_CONFLICTS = new Set(['agent_deleted', 'review_not_pending', 'review_changed', 'task_not_ready', 'attempt_superseded', 'task_not_executing', 'cooldown_active', 'agent_not_active', 'transfer_not_held', 'wallet_already_exists', 'transfer_already_signed', 'override_required']);

export function commandErrorToApiError(error: DomainError): ApiError {
  const details = { reason: error.code, ...error.details };
  if (error.code === 'occ_conflict') return new ApiError(409, 'occ_conflict', error.message, error.details);
  // A goal the policy refuses (seed 001: E1006 content safety, E1003 prompt injection).
  if (error.code === 'goal_refused') return new ApiError(422, 'content_policy_violation', error.message, details);
  if (error.code === 'goal_prompt_injection') return new ApiError(422, 'prompt_injection', error.message, details);
  if (error.code.endsWith('_not_found')) return new ApiError(404, 'not_found', error.message, details);
  if (error.code.endsWith('_already_exists') || STATE_CONFLICTS.has(error.code)) {
    return new ApiError(409, 'conflict', error.message, details);
  }
  return new ApiError(422, 'validation_failed', error.message, details);
}
