import { Router } from 'express';
import { z } from 'zod';
import { ApiError } from '../apiError.ts';
import type { ApiContext } from '../apiContext.ts';
import { requireRole } from '../auth/requireRole.ts';
import { commandContextOf } from '../commandContextOf.ts';
import { parseInput } from '../parseInput.ts';
import { agentIdSchema } from './agentIdSchema.ts';
import { amountSchema } from './amountSchema.ts';
import { moneyOf } from './moneyOf.ts';

// What the wallet routes need beyond the treasury: balances.
export type WalletBalances = {
  balance(address: string): Promise<{ eth: { wei: string; formatted: string }; usdc: { units: string; formatted: string } }>;
  totalSupply(token: string): Promise<{ units: string; decimals: number; formatted: string }>;
};


// Seed 000 §2.6. Every spend goes through the CFO Judge (issue 6): `requires_cfo_approval:
// false` is refused rather than honoured. `projected_roi` and `campaign_id` are ours.
const transferSchema = z.strictObject({
  to_address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'an EVM address'),
  amount: amountSchema,
  currency: z.enum(['ETH', 'USDC']),
  network: z.string().optional(),
  purpose: z.string().trim().max(500).optional(),
  requires_cfo_approval: z.literal(true).optional(),
  projected_roi: z.number().min(0).max(1000).optional(),
  campaign_id: z.string().min(1).max(255).optional(),
});

const deploySchema = z.strictObject({
  token_name: z.string().trim().min(1).max(64),
  token_symbol: z.string().trim().regex(/^[A-Za-z0-9]{1,11}$/, '1 to 11 letters or digits'),
  total_supply: z.union([z.int().positive(), z.string().regex(/^[1-9]\d{0,30}$/)]).transform((v) => String(v)),
  decimals: z.int().min(0).max(36).default(18),
  network: z.string().optional(),
  requires_cfo_approval: z.literal(true).optional(),
  campaign_id: z.string().min(1).max(255).optional(),
});

const REFUSAL_STATUS: Record<string, [number, string]> = {
  budget_exceeded: [422, 'budget_exceeded'],
  rate_limit_exceeded: [429, 'rate_limit_exceeded'],
  roi_too_low: [422, 'validation_failed'],
  amount_too_large: [422, 'validation_failed'],
};

export function walletRoutes(ctx: ApiContext): Router {
  const router = Router();
  const money = () => moneyOf(ctx);
  const walletOf = async (agentId: string) => {
    const { state } = await ctx.agentStates!.load(agentId);
    if (state.agent.status === 'absent') throw new ApiError(404, 'not_found', `agent ${agentId} not found`);
    if (!state.money.wallet) throw new ApiError(404, 'not_found', `agent ${agentId} has no wallet yet`);
    return state.money.wallet;
  };

  router.get('/wallet/:agent_id/balance', requireRole('operator', 'moderator', 'viewer', 'service'), async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const wallet = await walletOf(agentId);
    const m = money();
    if (!m.balances) throw new ApiError(503, 'internal_error', 'no chain to read balances from in this process');
    const b = await m.balances.balance(wallet.address);
    res.json({
      agent_id: agentId,
      wallet_address: wallet.address,
      network: wallet.network,
      balances: [
        { currency: 'ETH', amount: Number(b.eth.formatted), amount_exact: b.eth.formatted, usd_value: Math.round(Number(b.eth.formatted) * m.ethUsd * 100) / 100 },
        { currency: 'USDC', amount: Number(b.usdc.formatted), amount_exact: b.usdc.formatted, usd_value: Number(b.usdc.formatted) },
      ],
      last_updated: new Date().toISOString(),
    });
  });

  router.post('/wallet/:agent_id/transfer', requireRole('operator', 'service'), async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const body = parseInput(transferSchema, req.body);
    const wallet = await walletOf(agentId);
    const { correlationId } = commandContextOf(res);
    const outcome = await money().treasury.requestTransfer(
      { agentId, kind: 'transfer', to: body.to_address, asset: body.currency, amount: body.amount, purpose: body.purpose ?? null, projectedRoi: body.projected_roi ?? null, campaignId: body.campaign_id ?? null },
      correlationId,
    );
    const base = { transaction_id: outcome.transferId, cfo_approval_id: outcome.approvalId, from_address: wallet.address, to_address: body.to_address, amount: Number(body.amount), currency: body.currency, network: wallet.network };
    if (outcome.decision === 'refused') {
      const [status, code] = REFUSAL_STATUS[outcome.code] ?? [422, 'validation_failed'];
      throw new ApiError(status, code, outcome.reason, { reason: outcome.code, ...base, budget_remaining: outcome.budgetRemaining });
    }
    if (outcome.decision === 'held') {
      res.status(202).json({ ...base, status: 'held', review_id: outcome.reviewId, risk_score: outcome.riskScore, reason: outcome.reason, created_at: new Date().toISOString() });
      return;
    }
    res.status(outcome.status === 'failed' ? 422 : 200).json({
      ...base,
      transaction_hash: outcome.txHash,
      status: outcome.status,
      block_number: outcome.blockNumber,
      budget_remaining: outcome.budgetRemaining,
      created_at: new Date().toISOString(),
    });
  });

  // Seed 000 §2.6.3: a real ERC-20 deployed from the agent's wallet, after the CFO approved it
  // (its cost is gas; it still goes on the record and through the risk check).
  router.post('/wallet/:agent_id/deploy-token', requireRole('operator', 'service'), async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const body = parseInput(deploySchema, req.body);
    await walletOf(agentId);
    const m = money();
    const { correlationId } = commandContextOf(res);
    const outcome = await m.treasury.requestTransfer(
      {
        agentId,
        kind: 'deploy_token',
        purpose: `deploy token ${body.token_symbol}`,
        projectedRoi: null,
        campaignId: body.campaign_id ?? null,
        token: { name: body.token_name, symbol: body.token_symbol, decimals: body.decimals, supply: body.total_supply },
      },
      correlationId,
    );
    if (outcome.decision === 'refused') {
      const [status, code] = REFUSAL_STATUS[outcome.code] ?? [422, 'validation_failed'];
      throw new ApiError(status, code, outcome.reason, { reason: outcome.code, transaction_id: outcome.transferId });
    }
    if (outcome.decision === 'held') {
      res.status(202).json({ transaction_id: outcome.transferId, status: 'held', review_id: outcome.reviewId, reason: outcome.reason, created_at: new Date().toISOString() });
      return;
    }
    const address = outcome.contractAddress ?? null;
    const supply = address && m.balances ? await m.balances.totalSupply(address) : null;
    res.status(outcome.status === 'failed' ? 422 : 201).json({
      transaction_id: outcome.transferId,
      cfo_approval_id: outcome.approvalId,
      token_address: address,
      transaction_hash: outcome.txHash,
      status: outcome.status,
      block_number: outcome.blockNumber,
      total_supply: supply ? supply.formatted : null,
      decimals: supply ? supply.decimals : null,
      created_at: new Date().toISOString(),
    });
  });

  return router;
}
