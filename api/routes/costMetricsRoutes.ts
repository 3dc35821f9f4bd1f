import { Router } from 'express';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ApiContext } from '../apiContext.ts';
import { requireRole } from '../auth/requireRole.ts';
import { parseInput } from '../parseInput.ts';

// Seed 000 §2.5.6, from cost_events: tool calls (inference, generation, posting) and spends
// that happened (transactions: on chain with their gas when confirmed, off chain when approved).
// Budget status compares the month's spend with the fleet's monthly limit (seed 004
// MONTHLY_BUDGET_LIMIT); `budget_windows` gives day and week too.
const querySchema = z.strictObject({
  agent_id: z.string().min(1).max(255).optional(),
  campaign_id: z.string().min(1).max(255).optional(),
  start_date: z.iso.date().optional(),
  end_date: z.iso.date().optional(),
});

type CostRow = { agent_id: string; category: string; day: string; amount: string };

export function costMetricsRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/dashboard/cost-metrics', requireRole('operator', 'viewer', 'service'), async (req, res) => {
    const q = parseInput(querySchema, req.query, 'query');
    const end = q.end_date ? new Date(`${q.end_date}T00:00:00Z`).getTime() + 86_400_000 : Date.now() + 1;
    const start = q.start_date ? new Date(`${q.start_date}T00:00:00Z`).getTime() : end - 30 * 86_400_000;
    const from = new Date(start).toISOString();
    const to = new Date(end).toISOString();
    const agent = q.agent_id ?? null;
    const campaign = q.campaign_id ?? null;
    const { rows } = await sql<CostRow>`
      SELECT agent_id, cost_category AS category, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(cost_amount)::text AS amount
        FROM cost_events
        WHERE created_at >= ${from} AND created_at < ${to}
          AND (${agent}::text IS NULL OR agent_id = ${agent}) AND (${campaign}::text IS NULL OR campaign_id = ${campaign})
        GROUP BY 1, 2, 3`.execute(ctx.database.db);

    const byCategory: Record<string, number> = { inference: 0, generation: 0, posting: 0, transactions: 0 };
    const byAgent = new Map<string, number>();
    const byDay = new Map<string, number>();
    let total = 0;
    for (const r of rows) {
      const amount = Number(r.amount);
      total += amount;
      byCategory[r.category] = (byCategory[r.category] ?? 0) + amount;
      byAgent.set(r.agent_id, (byAgent.get(r.agent_id) ?? 0) + amount);
      byDay.set(r.day, (byDay.get(r.day) ?? 0) + amount);
    }
    const engagement = await engagementByAgent(ctx, [...byAgent.keys()]);
    const money = ctx.config.money;
    const monthSpent = await spentSince(ctx, monthStart());
    const round = (n: number) => Math.round(n * 10_000) / 10_000;
    res.json({
      total_cost: round(total),
      cost_by_category: Object.fromEntries(Object.entries(byCategory).map(([k, v]) => [k, round(v)])),
      cost_by_agent: [...byAgent.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([agent_id, cost]) => ({ agent_id, total_cost: round(cost), cost_per_engagement: engagement.get(agent_id) ? round(cost / engagement.get(agent_id)!) : null })),
      cost_trends: [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, cost]) => ({ date, total_cost: round(cost) })),
      budget_status: {
        global_budget_limit: money.monthlyBudgetUsd,
        global_budget_remaining: money.monthlyBudgetUsd === null ? null : round(Math.max(0, money.monthlyBudgetUsd - monthSpent)),
        percentage_used: money.monthlyBudgetUsd ? round((100 * monthSpent) / money.monthlyBudgetUsd) : null,
      },
      period: { start_date: from.slice(0, 10), end_date: new Date(end - 1).toISOString().slice(0, 10) },
    });
  });

  return router;
}

const monthStart = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
};

// Spends the CFO approved this month that did not fail: what the global budget holds.
async function spentSince(ctx: ApiContext, from: string): Promise<number> {
  const { rows } = await sql<{ spent: string | null }>`
    SELECT sum(l.amount_usd)::text AS spent FROM cfo_ledger l
      LEFT JOIN wallet_transactions t ON t.transaction_id = l.transfer_id
      WHERE l.decision = 'approved' AND l.created_at >= ${from} AND (t.status IS NULL OR t.status <> 'failed')`.execute(ctx.database.db);
  return Number(rows[0]?.spent ?? 0);
}

// Likes, comments and shares of each agent's posts at their latest measurement.
async function engagementByAgent(ctx: ApiContext, agents: string[]): Promise<Map<string, number>> {
  if (agents.length === 0) return new Map();
  const { rows } = await sql<{ agent_id: string; engagement: string }>`
    SELECT agent_id, sum(likes + comments + shares)::text AS engagement FROM (
      SELECT DISTINCT ON (post_id) agent_id, likes, comments, shares FROM engagement_metrics
        WHERE agent_id = ANY(${agents}) ORDER BY post_id, measured_at DESC) latest
      GROUP BY agent_id`.execute(ctx.database.db);
  return new Map(rows.map((r) => [r.agent_id, Number(r.engagement)]));
}
