// The fleet's global budget (seed 004: DAILY/WEEKLY/MONTHLY_BUDGET_LIMIT) in a stream of its
// own, `budget-global`: a spend reserves its amount here before the agent's CFO decision, and
// a refused, rejected or failed spend releases it. One stream makes the global limits hold
// under any concurrency (OCC); a reservation whose spend never got decided only ever errs on
// the side of spending less.
import { accept, refuse, type Decider, type Decision } from '../decider.ts';
import { windowStarts } from './cfoPolicy.ts';

export const GLOBAL_BUDGET_STREAM = 'budget-global';

export type GlobalLimits = { daily_usd: number | null; weekly_usd: number | null; monthly_usd: number | null };

export type GlobalBudgetEvent =
  | { type: 'GlobalSpendReserved'; data: { transfer_id: string; agent_id: string; amount_usd: number; at: string } }
  | { type: 'GlobalSpendReleased'; data: { transfer_id: string; reason: string; at: string } };

export type GlobalBudgetCommand =
  | { type: 'ReserveGlobalSpend'; data: { transfer_id: string; agent_id: string; amount_usd: number }; now: string; limits: GlobalLimits }
  | { type: 'ReleaseGlobalSpend'; data: { transfer_id: string; reason: string }; now: string };

export type GlobalBudgetState = { reservations: Record<string, { amount_usd: number; at: string; released: boolean }> };

export type GlobalRemaining = { daily: number | null; weekly: number | null; monthly: number | null };

export function globalRemaining(state: GlobalBudgetState, limits: GlobalLimits, now: string): GlobalRemaining {
  const starts = windowStarts(now);
  const held = Object.values(state.reservations).filter((r) => !r.released);
  const since = (from: number) => held.filter((r) => Date.parse(r.at) >= from).reduce((sum, r) => sum + r.amount_usd, 0);
  const left = (limit: number | null, spent: number) => (limit === null ? null : Math.round(Math.max(0, limit - spent) * 100) / 100);
  return { daily: left(limits.daily_usd, since(starts.daily)), weekly: left(limits.weekly_usd, since(starts.weekly)), monthly: left(limits.monthly_usd, since(starts.monthly)) };
}

export const globalBudgetDecider: Decider<GlobalBudgetCommand, GlobalBudgetEvent, GlobalBudgetState> = {
  initialState: () => ({ reservations: {} }),
  decide(command, state): Decision<GlobalBudgetEvent> {
    const existing = state.reservations[command.data.transfer_id];
    if (command.type === 'ReleaseGlobalSpend') {
      if (!existing || existing.released) return accept([]);
      return accept([{ type: 'GlobalSpendReleased', data: { ...command.data, at: command.now } }]);
    }
    if (existing) return accept([]); // reserved already: a retry
    const remaining = globalRemaining(state, command.limits, command.now);
    const short = (Object.entries(remaining) as Array<[string, number | null]>).filter(([, left]) => left !== null && command.data.amount_usd > left);
    if (short.length > 0) {
      return refuse('budget_exceeded', `$${command.data.amount_usd} exceeds what remains of the global ${short.map(([w, left]) => `${w} budget ($${left})`).join(' and ')} (E1001)`, { remaining });
    }
    return accept([{ type: 'GlobalSpendReserved', data: { ...command.data, at: command.now } }]);
  },
  evolve(state, event) {
    if (event.type === 'GlobalSpendReserved') {
      return { reservations: { ...state.reservations, [event.data.transfer_id]: { amount_usd: event.data.amount_usd, at: event.data.at, released: false } } };
    }
    if (event.type === 'GlobalSpendReleased') {
      const r = state.reservations[event.data.transfer_id];
      return r ? { reservations: { ...state.reservations, [event.data.transfer_id]: { ...r, released: true } } } : state;
    }
    return state;
  },
};
