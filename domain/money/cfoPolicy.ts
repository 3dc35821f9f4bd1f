// The CFO Judge's rules as data (seed 004 §3, seed 003 §5, issue 6), and the measures it
// decides on: what each budget window has left, and a spend's risk score.
import type { AgentState } from '../agent/agentState.ts';
import { counts, type MoneyState } from './moneyState.ts';
import type { BudgetRemaining } from './moneyEvents.ts';

export type CfoPolicy = {
  // Seed 004: MIN_ROI_HURDLE_RATE; a spend whose projected ROI is under it is refused.
  min_roi_hurdle: number;
  // Seed 004: the largest transaction allowed, in USD.
  max_transaction_usd: number;
  // Above this risk score a moderator decides (HITL financial queue).
  risk_hitl_threshold: number;
  // Seed 003: at most `limit` spends per agent within any `window_ms`.
  rate_window_ms: number;
  rate_limit: number;
};

export const DEFAULT_CFO_POLICY: CfoPolicy = {
  min_roi_hurdle: 1.5,
  max_transaction_usd: 10_000,
  risk_hitl_threshold: 0.7,
  rate_window_ms: 3_600_000,
  rate_limit: 50,
};

const DAY = 86_400_000;

// Calendar windows in UTC: the day, the week from Monday, the month from the 1st.
export function windowStarts(now: string): { daily: number; weekly: number; monthly: number } {
  const t = new Date(now);
  const day = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
  const weekday = (t.getUTCDay() + 6) % 7; // Monday 0
  return { daily: day, weekly: day - weekday * DAY, monthly: Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1) };
}

// What each of the agent's budgets has left now (null: that window has no limit), and the
// campaign's when the spend is for one.
export function budgetRemaining(agent: AgentState, money: MoneyState, now: string, campaignId: string | null): BudgetRemaining {
  const starts = windowStarts(now);
  const spends = Object.values(money.spends).filter(counts);
  const spentSince = (from: number) => spends.filter((s) => Date.parse(s.at) >= from).reduce((sum, s) => sum + s.amount_usd, 0);
  const left = (limit: number | null | undefined, spent: number) => (limit === null || limit === undefined ? null : round(Math.max(0, limit - spent)));
  const daily = money.budgets ? money.budgets.daily_usd : agent.budget.daily_usd;
  const campaign = campaignId ? agent.campaigns.find((c) => c.campaign_id === campaignId) : undefined;
  const campaignSpent = campaignId ? spends.filter((s) => s.campaign_id === campaignId).reduce((sum, s) => sum + s.amount_usd, 0) : 0;
  return {
    daily: left(daily, spentSince(starts.daily)),
    weekly: left(money.budgets?.weekly_usd, spentSince(starts.weekly)),
    monthly: left(money.budgets?.monthly_usd, spentSince(starts.monthly)),
    total: left(agent.budget.total_usd, spends.reduce((sum, s) => sum + s.amount_usd, 0)),
    campaign: campaign ? left(campaign.budget_limit, campaignSpent) : null,
  };
}

// 0..1. A spend is riskier the more of what is left it takes, the first time it pays an
// address, without a projected ROI, and without a stated purpose.
export function riskScore(input: { amountUsd: number; remaining: BudgetRemaining; newRecipient: boolean; projectedRoi: number | null; purpose: string | null }): number {
  const limits = [input.remaining.daily, input.remaining.weekly, input.remaining.monthly, input.remaining.total, input.remaining.campaign].filter((v): v is number => v !== null);
  const tightest = limits.length > 0 ? Math.min(...limits) : Infinity;
  const share = tightest === Infinity ? 0 : tightest <= 0 ? 1 : Math.min(1, input.amountUsd / tightest);
  const score = 0.1 + 0.4 * share + (input.newRecipient ? 0.2 : 0) + (input.projectedRoi === null ? 0.15 : 0) + (input.purpose ? 0 : 0.1);
  return round(Math.min(1, score), 4);
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
