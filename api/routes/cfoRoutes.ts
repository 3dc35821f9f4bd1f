import { createHash, createPublicKey } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { BudgetRemaining } from '../../domain/money/moneyEvents.ts';
import { ApiError } from '../apiError.ts';
import type { ApiContext } from '../apiContext.ts';
import { requireRole } from '../auth/requireRole.ts';
import { commandContextOf } from '../commandContextOf.ts';
import { parseInput } from '../parseInput.ts';
import { agentIdSchema } from './agentIdSchema.ts';
import { amountSchema } from './amountSchema.ts';
import { moneyOf } from './moneyOf.ts';

// Seed 000 §2.3.3: the CFO Judge asked about a spend. The answer is a decision on the record
// (SpendApproved / SpendHeld / SpendRefused in the agent's stream, a cfo_ledger row), never a
// dry run: an approval reserves the budget, so a spend cannot be validated twice against the
// same money.
//  - on_chain: a payment from the agent's wallet (ETH or USDC to an EVM address). Once
//    approved it is signed and sent by the treasury, in the background (the answer does not
//    wait for the chain): follow it by transaction_id in wallet_transactions.
//  - off chain (ads, an invoice; USD): the approval is the whole of it here, and its cost is
//    recorded when approved.
// A refusal is an answer (200, approved false, `code`), not an error; a spend held for a
// moderator answers 202 with its review_id (HITL financial queue).
// `budget_context` is the caller's view and is not decided on: the CFO's own ledger, ordered by
// the agent's state_version, is what the budgets are; `budget_updates` is what remains in it
// after this decision (null: no limit). `projected_roi` is ours beside the seed's fields.
const validateSchema = z.strictObject({
  transaction_request: z
    .strictObject({
      agent_id: agentIdSchema,
      campaign_id: z.string().min(1).max(255).optional(),
      amount: amountSchema,
      currency: z.enum(['USD', 'ETH', 'USDC']),
      purpose: z.string().trim().min(1).max(500),
      recipient: z.string().trim().min(1).max(255),
      on_chain: z.boolean(),
      projected_roi: z.number().min(0).max(1000).optional(),
    })
    .refine((t) => !t.on_chain || t.currency !== 'USD', { message: 'an on-chain spend is in ETH or USDC', path: ['currency'] })
    .refine((t) => t.on_chain || t.currency === 'USD', { message: 'an off-chain spend is in USD', path: ['currency'] })
    .refine((t) => !t.on_chain || /^0x[0-9a-fA-F]{40}$/.test(t.recipient), { message: 'an on-chain recipient is an EVM address', path: ['recipient'] }),
  budget_context: z
    .strictObject({
      agent_budget_remaining: z.number().nonnegative(),
      campaign_budget_remaining: z.number().nonnegative().optional(),
      global_budget_remaining: z.number().nonnegative(),
    })
    .optional(),
});

const tightest = (values: Array<number | null>): number | null => {
  const limits = values.filter((v): v is number => v !== null);
  return limits.length > 0 ? Math.min(...limits) : null;
};

export function cfoRoutes(ctx: ApiContext): Router {
  const router = Router();
  const money = () => moneyOf(ctx);

  router.post('/judge/cfo/validate-transaction', requireRole('operator', 'service'), async (req, res) => {
    const { transaction_request: t } = parseInput(validateSchema, req.body);
    const { state } = await ctx.agentStates!.load(t.agent_id);
    if (state.agent.status === 'absent') throw new ApiError(404, 'not_found', `agent ${t.agent_id} not found`);
    const { treasury } = money();
    const { correlationId } = commandContextOf(res);
    const common = { agentId: t.agent_id, purpose: t.purpose, projectedRoi: t.projected_roi ?? null, campaignId: t.campaign_id ?? null };
    const outcome = await treasury.validate(
      t.on_chain ? { ...common, kind: 'transfer', to: t.recipient, asset: t.currency as 'ETH' | 'USDC', amount: t.amount } : { ...common, kind: 'off_chain', recipient: t.recipient, amountUsd: t.amount },
      correlationId,
      (error) => (ctx.log ?? console.error)(`settling an approved spend of ${t.agent_id} failed; the settlement sweeper takes it on`, error),
    );
    const budgetUpdates = (remaining: BudgetRemaining | null) => {
      const global = treasury.globalRemaining();
      return {
        agent_budget_remaining: remaining ? tightest([remaining.daily, remaining.weekly, remaining.monthly, remaining.total]) : null,
        ...(t.campaign_id ? { campaign_budget_remaining: remaining?.campaign ?? null } : {}),
        global_budget_remaining: tightest([global.daily, global.weekly, global.monthly]),
      };
    };
    const base = { approval_id: outcome.approvalId, transaction_id: outcome.transferId, on_chain: t.on_chain };
    if (outcome.decision === 'approved') {
      res.json({ ...base, approved: true, decision: 'approved', reason: outcome.reason, approval_signature: outcome.approvalSignature, budget_updates: budgetUpdates(outcome.budgetRemaining) });
      return;
    }
    if (outcome.decision === 'held') {
      res.status(202).json({ ...base, approved: false, decision: 'held', reason: outcome.reason, review_id: outcome.reviewId, risk_score: outcome.riskScore, budget_updates: budgetUpdates(outcome.budgetRemaining) });
      return;
    }
    res.json({ ...base, approved: false, decision: 'refused', code: outcome.code, reason: outcome.reason, budget_updates: budgetUpdates(outcome.budgetRemaining) });
  });

  // The key that checks every approval_signature: Ed25519 over the canonical JSON of the
  // SpendApproved event's data without the signature (keys sorted, no spaces).
  router.get('/judge/cfo/public-key', requireRole('operator', 'moderator', 'viewer', 'service'), (_req, res) => {
    const pem = money().treasury.publicKeyPem;
    const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    res.json({
      algorithm: 'Ed25519',
      public_key_pem: pem,
      key_id: createHash('sha256').update(der).digest('hex').slice(0, 16),
      signed_message: 'canonical JSON of the SpendApproved event data without approval_signature (keys sorted, no whitespace)',
    });
  });

  return router;
}
