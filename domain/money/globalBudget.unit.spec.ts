import { it } from 'node:test';
import { DeciderSpecification } from '../deciderSpecification.ts';
import { globalBudgetDecider, type GlobalBudgetEvent } from './globalBudget.ts';

const given = DeciderSpecification.for(globalBudgetDecider);
const now = '2026-11-25T10:00:00.000Z';
const limits = { daily_usd: 100, weekly_usd: 300, monthly_usd: null };
const reserve = (transfer_id: string, amount_usd: number, at = now) => ({ type: 'ReserveGlobalSpend' as const, data: { transfer_id, agent_id: 'nova', amount_usd }, now: at, limits });

it('reserves within the global windows and refuses beyond them (E1001)', () => {
  given([]).when(reserve('t-1', 60)).then([{ type: 'GlobalSpendReserved', data: { transfer_id: 't-1', agent_id: 'nova', amount_usd: 60, at: now } }]);
  const history: GlobalBudgetEvent[] = [{ type: 'GlobalSpendReserved', data: { transfer_id: 't-1', agent_id: 'nova', amount_usd: 60, at: now } }];
  given(history).when(reserve('t-2', 41)).thenRefuses('budget_exceeded');
  given(history).when(reserve('t-2', 40)).then([{ type: 'GlobalSpendReserved', data: { transfer_id: 't-2', agent_id: 'nova', amount_usd: 40, at: now } }]);
  given(history).when(reserve('t-1', 60)).thenNothingHappens();
});

it('gives a released reservation back, once', () => {
  const history: GlobalBudgetEvent[] = [
    { type: 'GlobalSpendReserved', data: { transfer_id: 't-1', agent_id: 'nova', amount_usd: 100, at: now } },
    { type: 'GlobalSpendReleased', data: { transfer_id: 't-1', reason: 'refused by the agent budget', at: now } },
  ];
  given(history).when(reserve('t-2', 100)).then([{ type: 'GlobalSpendReserved', data: { transfer_id: 't-2', agent_id: 'nova', amount_usd: 100, at: now } }]);
  given(history).when({ type: 'ReleaseGlobalSpend', data: { transfer_id: 't-1', reason: 'again' }, now }).thenNothingHappens();
});

it('starts a new day at midnight UTC, while the week still counts', () => {
  const monday: GlobalBudgetEvent[] = [{ type: 'GlobalSpendReserved', data: { transfer_id: 't-1', agent_id: 'nova', amount_usd: 100, at: '2026-11-23T23:00:00.000Z' } }];
  given(monday).when(reserve('t-2', 100, '2026-11-24T01:00:00.000Z')).then([{ type: 'GlobalSpendReserved', data: { transfer_id: 't-2', agent_id: 'nova', amount_usd: 100, at: '2026-11-24T01:00:00.000Z' } }]);
  const two: GlobalBudgetEvent[] = [...monday, { type: 'GlobalSpendReserved', data: { transfer_id: 't-2', agent_id: 'nova', amount_usd: 100, at: '2026-11-24T01:00:00.000Z' } }, { type: 'GlobalSpendReserved', data: { transfer_id: 't-3', agent_id: 'nova', amount_usd: 100, at: '2026-11-25T01:00:00.000Z' } }];
  given(two).when(reserve('t-4', 1, '2026-11-26T01:00:00.000Z')).thenRefuses('budget_exceeded');
});

it('sums every shard of the day, gives back what is released, and counts a reservation of another month in no window', () => {
  const at = (day: number) => new Date(Date.parse('2026-10-01T12:00:00.000Z') + day * 86_400_000).toISOString();
  const reserved = (id: string, amount_usd: number, when: string): GlobalBudgetEvent => ({ type: 'GlobalSpendReserved', data: { transfer_id: id, agent_id: 'nova', amount_usd, at: when } });
  const today = at(50);
  const history: GlobalBudgetEvent[] = [reserved('old', 1000, at(0)), ...Array.from({ length: 150 }, (_, i) => reserved(`t-${i}`, 1, today))];
  const daily = { daily_usd: 150, weekly_usd: null, monthly_usd: 1000 };
  given(history).when({ ...reserve('t-new', 1, today), limits: daily }).thenRefuses('budget_exceeded');
  const released = [...history, ...Array.from({ length: 10 }, (_, i): GlobalBudgetEvent => ({ type: 'GlobalSpendReleased', data: { transfer_id: `t-${i}`, reason: 'refused', at: today } }))];
  given(released).when({ ...reserve('t-new', 10, today), limits: daily }).then([{ type: 'GlobalSpendReserved', data: { transfer_id: 't-new', agent_id: 'nova', amount_usd: 10, at: today } }]);
  given(released).when({ ...reserve('t-new', 11, today), limits: daily }).thenRefuses('budget_exceeded');
  given(released).when({ ...reserve('t-7', 1, today), limits: daily }).thenNothingHappens();
});
