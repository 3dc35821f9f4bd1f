import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { RecordedEvent } from '../../adapters/eventstore/eventStore.ts';
import { AgentStates } from '../../commands/agentStates.ts';
import { agentStreamOf } from '../../commands/agentStream.ts';
import { decidedReviews } from '../../commands/judge/decidedReviews.ts';
import { Judge } from '../../commands/judge/judge.ts';
import { calibrate } from '../../domain/judge/judgeCalibration.ts';
import { resolveContentPolicy } from '../../domain/judge/contentPolicy.ts';
import { disclosureLevelSchema } from '../../domain/judge/judgeInput.ts';
import { platformSchema, type ResultCommitted, type ResultReviewed } from '../../domain/work/workEvents.ts';
import { ApiError } from '../apiError.ts';
import type { ApiContext } from '../apiContext.ts';
import { requireRole } from '../auth/requireRole.ts';
import { parseInput } from '../parseInput.ts';
import { agentIdSchema } from './agentIdSchema.ts';

// Seed 000 §2.3.1–2.3.2: the Judge over HTTP. Results the pipeline makes are judged by the
// judge reactor (commands/judge/resultJudge.ts), which records the review and, for
// auto_execute, the commit in the same append; a moderator's approval commits a queued one.
// So here:
//  - validate is a dry run of the same rules and policy on a result the caller brings: nothing
//    is recorded, and its review_id is fresh and marked `recorded: false`.
//  - commit commits nothing new: it answers, idempotently, what was committed for a review
//    that exists (found in the agent's stream, not a read model, so it is never behind).
//    A review awaiting a moderator → 409 validation_failed; one that ended without a commit
//    (retry, rejected, expired, edited, or approved but stale: E1004) → 422 validation_failed,
//    or 409 occ_conflict for the stale one; `input_state_version` must be the review's input
//    snapshot (the task attempt's state_version_snapshot), else 409 occ_conflict. `commit_hash`
//    must be the committed one (domain/work/resultCommitHash.ts) and `routing_decision.action`
//    the judge's; `output_state_version` is the caller's expectation and is not checked: the
//    answer's new_state_version is where the commit is in the stream.

const id = z.string().min(1).max(255);
const sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'commit_hash: 64 hex characters (SHA-256)');

const validateSchema = z.strictObject({
  result_id: id,
  task_id: id,
  agent_id: agentIdSchema,
  artifact: z.strictObject({
    type: z.enum(['text', 'image', 'video']),
    content: z.string().max(100_000),
    metadata: z.record(z.string(), z.unknown()).default({}),
  }),
  confidence_score: z.number().min(0).max(1),
  risk_tags: z.array(z.string().max(100)).max(100).default([]),
  disclosure_level: disclosureLevelSchema,
  tool_provenance: z.record(z.string(), z.unknown()).optional(),
  input_state_version: z.int().nonnegative(),
});

const commitSchema = z.strictObject({
  review_id: z.uuid(),
  result_id: id,
  agent_id: agentIdSchema,
  task_id: id,
  input_state_version: z.int().nonnegative(),
  output_state_version: z.int().nonnegative().optional(),
  commit_hash: sha256,
  // 'reject' is ours beside the seed's three: a prompt injection is refused for good (E1003).
  routing_decision: z.strictObject({ action: z.enum(['auto_execute', 'hitl_queue', 'retry', 'reject']) }),
});

export function judgeRoutes(ctx: ApiContext): Router {
  const router = Router();
  const states = ctx.agentStates ?? new AgentStates(ctx.store);
  // The judge reactor's policy and detectors (cli/startChimera.ts), so a dry run routes as the
  // pipeline does. Without them the semantic detector never answers: nothing is cleared.
  const policy = ctx.pipeline ? ({ ok: true, policy: ctx.pipeline.policy } as const) : resolveContentPolicy({ autoExecuteThreshold: ctx.config.pipeline.hitlConfidenceThreshold });
  const judge = ctx.pipeline?.judge ?? new Judge({ model: null, semantic: null });

  const agentState = async (agentId: string) => {
    const snapshot = await states.load(agentId);
    if (snapshot.state.agent.status === 'absent') throw new ApiError(404, 'not_found', `agent ${agentId} not found`, { reason: 'agent_not_found' });
    return snapshot;
  };

  router.post('/judge/validate', requireRole('operator', 'service'), async (req, res) => {
    const body = parseInput(validateSchema, req.body);
    if (!policy.ok) throw new ApiError(500, 'internal_error', policy.error.message);
    const { state, version } = await agentState(body.agent_id);
    // A task the stream knows lends its platform, goal and untrusted source; any other result
    // is judged on its own (a preview from POST /worker/execute, say) with the agent's goals.
    const task = state.work.tasks[body.task_id];
    const params = task?.spec.parameters ?? {};
    const platform = platformSchema.safeParse(params.platform ?? body.artifact.metadata.platform);
    const caption = body.artifact.metadata.caption;
    const goals = task ? [task.spec.context.goal_description] : state.agent.goals.filter((g) => g.status === 'active').map((g) => g.description);
    const { agent } = state;
    // Not recorded: a dry run's model call leaves no cost behind.
    const { verdict } = await judge.judge(
      {
        input: {
          artifact: { type: body.artifact.type, content: body.artifact.content, ...(typeof caption === 'string' ? { caption } : {}) },
          confidenceScore: body.confidence_score,
          riskTags: body.risk_tags,
          disclosureLevel: body.disclosure_level,
          ...(platform.success ? { platform: platform.data } : {}),
          ...(typeof params.source_content === 'string' ? { sourceContent: params.source_content } : {}),
          ...(task ? { goal: task.spec.context.goal_description } : {}),
          recentPosts: state.work.recent_posts,
        },
        persona: { agentId: body.agent_id, personaName: agent.persona_name, soulMd: agent.soul_md, policyVersion: agent.policy_version },
        goals,
      },
      policy.policy,
    );
    res.json({
      review_id: randomUUID(),
      recorded: false,
      result_id: body.result_id,
      validation_result: verdict.validation_result,
      routing_decision: verdict.routing_decision,
      hitl_category: verdict.hitl_category,
      error_code: verdict.error_code ?? null,
      occ_check: { input_state_version: body.input_state_version, current_state_version: version, consistent: body.input_state_version === version },
    });
  });

  // Learning from moderators (issue 11): how often they overturned the Judge, per category and
  // confidence band, and the thresholds that would have matched their decisions.
  router.get('/judge/quality', requireRole('operator'), async (_req, res) => {
    const threshold = policy.ok ? policy.policy.autoExecuteThreshold : ctx.config.pipeline.hitlConfidenceThreshold;
    res.json(calibrate(await decidedReviews(ctx.database), threshold));
  });

  router.post('/judge/commit', requireRole('operator', 'service'), async (req, res) => {
    const body = parseInput(commitSchema, req.body);
    const { state, version } = await agentState(body.agent_id);
    const review = state.work.reviews[body.review_id];
    if (!review) throw new ApiError(404, 'not_found', `review ${body.review_id} not found for agent ${body.agent_id}`, { reason: 'review_not_found' });
    const notCommitted = (status: number, code: string, message: string, details: Record<string, unknown>) =>
      new ApiError(status, code, message, { review_id: review.review_id, review_status: review.status, ...details }, { committed: false });
    if (review.task_id !== body.task_id || review.result_id !== body.result_id) {
      throw notCommitted(422, 'validation_failed', `review ${review.review_id} is of result ${review.result_id} of task ${review.task_id}`, {
        reason: 'review_mismatch',
        task_id: review.task_id,
        result_id: review.result_id,
      });
    }
    // The review's and its commit's events, for what the stream state does not keep. Both come
    // after the result's snapshot, so the read starts there when the task still holds it.
    const snapshot = state.work.tasks[review.task_id]?.result?.state_version_snapshot;
    const isReview = (e: RecordedEvent) => e.type === 'ResultReviewed' && (e.data as ResultReviewed).review_id === review.review_id;
    let { events } = await ctx.store.readStream(agentStreamOf(body.agent_id), { from: (snapshot ?? 0) + 1 });
    if (!events.some(isReview)) ({ events } = await ctx.store.readStream(agentStreamOf(body.agent_id)));
    const reviewed = events.find(isReview)!.data as ResultReviewed;
    const commitEvent = events.find((e) => e.type === 'ResultCommitted' && (e.data as ResultCommitted).review_id === review.review_id);
    const reviewInput = reviewed.occ_check.input_state_version;
    if (body.input_state_version !== reviewInput) {
      throw notCommitted(409, 'occ_conflict', `review ${review.review_id} judged the result made at state_version ${reviewInput}, not ${body.input_state_version}`, {
        input_state_version: body.input_state_version,
        review_input_state_version: reviewInput,
        current_state_version: version,
      });
    }
    const action = review.verdict.routing_decision.action;
    if (body.routing_decision.action !== action) {
      throw notCommitted(422, 'validation_failed', `the judge routed review ${review.review_id} to ${action}, not ${body.routing_decision.action}`, { reason: 'routing_mismatch', action });
    }
    if (review.status === 'queued') {
      throw notCommitted(409, 'validation_failed', `review ${review.review_id} awaits a moderator's decision (HITL): nothing is committed until one approves`, {
        reason: 'awaiting_hitl',
        expires_at: review.expires_at,
      });
    }
    if (!commitEvent) {
      if (review.status === 'approved') {
        throw notCommitted(409, 'occ_conflict', `the result of review ${review.review_id} went stale before its approval and was re-planned (E1004)`, { reason: 'result_invalidated' });
      }
      throw notCommitted(422, 'validation_failed', `review ${review.review_id} ended ${review.status}: nothing was committed`, { reason: 'review_not_committed' });
    }
    const commit = commitEvent.data as ResultCommitted;
    if (body.commit_hash.toLowerCase() !== commit.commit_hash) {
      throw notCommitted(422, 'validation_failed', `commit_hash is not the hash of the committed result`, { reason: 'commit_hash_mismatch' });
    }
    res.json({
      commit_id: commit.commit_id,
      committed: true,
      new_state_version: commitEvent.streamPosition,
      review_id: commit.review_id,
      result_id: commit.result_id,
      committed_by: commit.committed_by,
      committed_at: commit.at,
      commit_hash: commit.commit_hash,
    });
  });

  return router;
}
