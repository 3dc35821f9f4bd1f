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
