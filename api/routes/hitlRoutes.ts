import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { CommandResult } from '../../commands/handleAgentCommand.ts';
import { reviewIdFor } from '../../commands/nameBasedUuid.ts';
import { sendWork } from '../../commands/workContext.ts';
import { ApiError } from '../apiError.ts';
import type { ApiContext } from '../apiContext.ts';
import { requireRole } from '../auth/requireRole.ts';
import { commandContextOf } from '../commandContextOf.ts';
import { commandErrorToApiError } from '../commandErrorToApiError.ts';
import { parseInput } from '../parseInput.ts';
import { hitlQueue } from './hitlQueue.ts';

// Seed 000 §2.5.1–2.5.4: the HITL queue and moderators' decisions. Only moderators decide, as
// themselves (reviewer_id must be the token's subject); `artifact_hash` (optional, ours) names
// the artifact the moderator looked at, so a decision on an item that changed is refused.
const queueSchema = z.strictObject({
  filter: z.enum(['all', 'blocked', 'sensitive', 'unverified', 'low_confidence', 'financial']).default('all'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
const reviewIdSchema = z.uuid();
const artifactHash = z.string().regex(/^[0-9a-f]{64}$/).optional();
const approveSchema = z.strictObject({
  reviewer_id: z.string().min(1),
  notes: z.string().max(5000).optional(),
  artifact_hash: artifactHash,
  // Releasing a blocked item (a critical finding) takes this, with the moderator's reason.
  override: z.strictObject({ reason: z.string().trim().min(1).max(5000) }).optional(),
});
const rejectSchema = z.strictObject({ reviewer_id: z.string().min(1), reason: z.string().trim().min(1).max(5000), artifact_hash: artifactHash });
const editSchema = z.strictObject({
  reviewer_id: z.string().min(1),
  edits: z.strictObject({
    artifact: z.strictObject({ type: z.enum(['text', 'image', 'video']), content: z.string().trim().min(1).max(20_000) }),
    notes: z.string().max(5000).optional(),
  }),
  artifact_hash: artifactHash,
});

export function hitlRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/dashboard/hitl-queue', requireRole('moderator', 'operator', 'viewer'), async (req, res) => {
    const query = parseInput(queueSchema, req.query, 'query');
    res.json(await hitlQueue(ctx.database, query.filter, query.limit, query.offset));
  });

  // Moderators decide as themselves: the body's reviewer_id must be the token's subject.
  const asReviewer = (res: Response, reviewerId: string) => {
    const context = commandContextOf(res);
    if (reviewerId !== context.actor.sub) {
      throw new ApiError(403, 'forbidden', 'reviewer_id must be the authenticated moderator', { reviewer_id: reviewerId, sub: context.actor.sub });
    }
    return context;
  };

  // The review's agent, from the read model; the decision itself is checked on the stream.
  const decide = async (res: Response, reviewId: string, reviewerId: string, command: Parameters<typeof sendWork>[2]): Promise<CommandResult & { ok: true }> => {
    if (!ctx.pipeline) throw new ApiError(503, 'internal_error', 'the agent pipeline is not running in this process');
    const context = asReviewer(res, reviewerId);
    const row = await ctx.database.db.selectFrom('judge_reviews').select(['agent_id']).where('review_id', '=', reviewId).executeTakeFirst();
    if (!row) throw new ApiError(404, 'not_found', `review ${reviewId} not found`);
    const result = await sendWork({ ...ctx.pipeline.work, actor: context.actor }, row.agent_id, command, context.correlationId);
    if (!result.ok) throw commandErrorToApiError(result.error);
    return result;
  };

  // A held spend (HITL financial): decided through the treasury, which signs as the CFO.
  const decideFinancial = async (res: Response, reviewId: string, reviewerId: string, approve: boolean, reason: string | null) => {
    const row = await ctx.database.db.selectFrom('financial_reviews').select(['agent_id', 'transfer_id']).where('review_id', '=', reviewId).executeTakeFirst();
    if (!row) return null;
    const treasury = ctx.money?.treasury;
    if (!treasury) throw new ApiError(503, 'internal_error', 'the CFO is not running in this process');
    const context = asReviewer(res, reviewerId);
    const result = await treasury.decideHeld(row.agent_id, row.transfer_id, approve, reviewerId, reason, context.correlationId);
    if (!result.ok) throw commandErrorToApiError(result.error);
    return { result, transferId: row.transfer_id };
  };

  router.post('/dashboard/hitl-queue/:review_id/approve', requireRole('moderator'), async (req, res) => {
    const reviewId = parseInput(reviewIdSchema, req.params.review_id, 'review_id');
    const body = parseInput(approveSchema, req.body);
    const financial = await decideFinancial(res, reviewId, body.reviewer_id, true, body.notes ?? null);
    if (financial) {
      const approved = financial.result.events.find((e) => e.type === 'SpendApproved');
      res.json({ approval_id: (approved?.data as { approval_id?: string } | undefined)?.approval_id ?? null, approved: true, execution_released: true, transaction_id: financial.transferId, new_state_version: financial.result.stateVersion });
      return;
    }
    const approvalId = randomUUID();
    const result = await decide(res, reviewId, body.reviewer_id, {
      type: 'ApproveReview',
      data: { review_id: reviewId, reviewer_id: body.reviewer_id, notes: body.notes ?? null, expected_artifact_hash: body.artifact_hash ?? null, approval_id: approvalId, commit_id: randomUUID(), override: body.override ?? null },
    });
    const released = result.events.some((e) => e.type === 'TaskCompleted');
    res.json({ approval_id: approvalId, approved: true, execution_released: released, new_state_version: result.stateVersion, ...(released ? {} : { reason: 'the result went stale and was re-planned (E1004)' }) });
  });

  router.post('/dashboard/hitl-queue/:review_id/reject', requireRole('moderator'), async (req, res) => {
    const reviewId = parseInput(reviewIdSchema, req.params.review_id, 'review_id');
    const body = parseInput(rejectSchema, req.body);
    const financial = await decideFinancial(res, reviewId, body.reviewer_id, false, body.reason);
    if (financial) {
      res.json({ rejection_id: financial.transferId, rejected: true, workflow_terminated: true, new_state_version: financial.result.stateVersion });
      return;
    }
    const rejectionId = randomUUID();
    const result = await decide(res, reviewId, body.reviewer_id, {
      type: 'RejectReview',
      data: { review_id: reviewId, reviewer_id: body.reviewer_id, notes: body.reason, expected_artifact_hash: body.artifact_hash ?? null, rejection_id: rejectionId },
    });
    res.json({ rejection_id: rejectionId, rejected: true, workflow_terminated: result.events.some((e) => e.type === 'TaskCancelled'), new_state_version: result.stateVersion });
  });

  router.post('/dashboard/hitl-queue/:review_id/edit', requireRole('moderator'), async (req, res) => {
    const reviewId = parseInput(reviewIdSchema, req.params.review_id, 'review_id');
    const body = parseInput(editSchema, req.body);
    const editId = randomUUID();
    const newResultId = randomUUID();
    const result = await decide(res, reviewId, body.reviewer_id, {
      type: 'EditReview',
      data: { review_id: reviewId, reviewer_id: body.reviewer_id, notes: body.edits.notes ?? null, expected_artifact_hash: body.artifact_hash ?? null, edit_id: editId, new_result_id: newResultId, artifact: body.edits.artifact },
    });
    res.json({ edit_id: editId, edited_artifact_id: newResultId, requires_revalidation: true, new_review_id: reviewIdFor(newResultId), new_state_version: result.stateVersion });
  });

  return router;
}
