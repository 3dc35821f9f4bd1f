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

type Reservation = { amount_usd: number; day: number; released: boolean };

// Every spend of the fleet passes through here, so recording one must not copy them all:
// reservations sit in shards by transfer id (an event copies one shard), and the windows are
// read from per-day sums of what is reserved and not released. Days and reservations older
// than KEPT_DAYS before the newest reservation can no longer count in any window and are
// dropped as their shard is next written.
const SHARDS = 64;
const KEPT_DAYS = 40;
const DAY = 86_400_000;

export type GlobalBudgetState = {
  shards: ReadonlyArray<Readonly<Record<string, Reservation>>>;
  daySums: Readonly<Record<string, number>>;
};

export type GlobalRemaining = { daily: number | null; weekly: number | null; monthly: number | null };

const shardOf = (transferId: string): number => {
  let h = 2166136261; // FNV-1a
  for (let i = 0; i < transferId.length; i++) h = Math.imul(h ^ transferId.charCodeAt(i), 16777619);
  return (h >>> 0) % SHARDS;
};
const dayOf = (at: string): number => Math.floor(Date.parse(at) / DAY) * DAY;
const reservationOf = (state: GlobalBudgetState, transferId: string): Reservation | undefined => state.shards[shardOf(transferId)]![transferId];

export function globalRemaining(state: GlobalBudgetState, limits: GlobalLimits, now: string): GlobalRemaining {
  const starts = windowStarts(now);
  const days = Object.entries(state.daySums);
  const since = (from: number) => days.reduce((sum, [day, amount]) => (Number(day) >= from ? sum + amount : sum), 0);
  const left = (limit: number | null, spent: number) => (limit === null ? null : Math.round(Math.max(0, limit - spent) * 100) / 100);
  return { daily: left(limits.daily_usd, since(starts.daily)), weekly: left(limits.weekly_usd, since(starts.weekly)), monthly: left(limits.monthly_usd, since(starts.monthly)) };
}

// One shard and the day sums after a reservation changed.
function record(state: GlobalBudgetState, transferId: string, reservation: Reservation, delta: number, newestDay: number): GlobalBudgetState {
  const oldest = newestDay - KEPT_DAYS * DAY;
  const index = shardOf(transferId);
  const shard = Object.fromEntries(Object.entries(state.shards[index]!).filter(([, r]) => r.day >= oldest));
  shard[transferId] = reservation;
  const shards = state.shards.slice();
  shards[index] = shard;
  const daySums: Record<string, number> = {};
  for (const [day, sum] of Object.entries(state.daySums)) if (Number(day) >= oldest) daySums[day] = sum;
  if (reservation.day >= oldest) daySums[reservation.day] = Math.round(((daySums[reservation.day] ?? 0) + delta) * 10_000) / 10_000;
  return { shards, daySums };
}

export const globalBudgetDecider: Decider<GlobalBudgetCommand, GlobalBudgetEvent, GlobalBudgetState> = {
  initialState: () => ({ shards: Array.from({ length: SHARDS }, () => ({})), daySums: {} }),
  decide(command, state): Decision<GlobalBudgetEvent> {
    const existing = reservationOf(state, command.data.transfer_id);
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
    const newest = Math.max(dayOf(event.data.at), ...Object.keys(state.daySums).map(Number));
    if (event.type === 'GlobalSpendReserved') {
      const day = dayOf(event.data.at);
      return record(state, event.data.transfer_id, { amount_usd: event.data.amount_usd, day, released: false }, event.data.amount_usd, newest);
    }
    if (event.type === 'GlobalSpendReleased') {
      const r = reservationOf(state, event.data.transfer_id);
      return r && !r.released ? record(state, event.data.transfer_id, { ...r, released: true }, -r.amount_usd, newest) : state;
    }
    return state;
  },
};
