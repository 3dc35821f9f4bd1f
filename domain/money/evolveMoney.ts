// How money events fold into an agent's money. Total and pure.
import type { MoneyEvent, SpendApproved, SpendHeld, SpendRefused } from './moneyEvents.ts';
import type { MoneyState, SpendRecord, SpendStatus } from './moneyState.ts';

export function evolveMoney(money: MoneyState, event: { type: string; data: unknown }): MoneyState {
  const e = event as MoneyEvent;
  switch (e.type) {
    case 'WalletCreated':
      return { ...money, wallet: { address: e.data.address, network: e.data.network, key_reference: e.data.key_reference } };
    case 'BudgetsSet':
      return { ...money, budgets: { daily_usd: e.data.daily_usd, weekly_usd: e.data.weekly_usd, monthly_usd: e.data.monthly_usd } };
    case 'SpendApproved': {
      const to = e.data.to_address?.toLowerCase();
      const recipients = to && !money.recipients.includes(to) ? [...money.recipients, to] : money.recipients;
      return { ...decided(money, e.data, 'approved', null), recipients };
    }
    case 'SpendRefused':
      return decided(money, e.data, 'refused', null);
    case 'SpendHeld':
      return decided(money, e.data, 'held', e.data.review_id);
    case 'TransferSigned':
      return {
        ...spend(money, e.data.transfer_id, { status: 'signed', tx_hash: e.data.tx_hash, raw_transaction: e.data.raw_transaction, nonce: e.data.nonce }),
        next_nonce: Math.max(money.next_nonce, e.data.nonce + 1),
      };
    case 'TransferBroadcast':
      return spend(money, e.data.transfer_id, { status: 'broadcast' });
    case 'TransferConfirmed':
      return spend(money, e.data.transfer_id, { status: 'confirmed' });
    case 'TransferFailed':
      return spend(money, e.data.transfer_id, { status: 'failed' });
    default:
      return money;
  }
}

function decided(money: MoneyState, d: SpendApproved | SpendRefused | SpendHeld, status: SpendStatus, reviewId: string | null): MoneyState {
  const previous = money.spends[d.transfer_id];
  const record: SpendRecord = {
    transfer_id: d.transfer_id,
    approval_id: d.approval_id,
    kind: d.kind,
    to_address: d.to_address,
    asset: d.asset,
    amount: d.amount,
    amount_usd: d.amount_usd,
    campaign_id: d.campaign_id,
    purpose: d.purpose,
    projected_roi: d.projected_roi,
    risk_score: d.risk_score,
    token: d.token,
    // A held spend keeps its place in the windows from when it was asked for.
    at: previous?.at ?? d.at,
    status,
    review_id: reviewId ?? previous?.review_id ?? null,
    tx_hash: null,
    raw_transaction: null,
    nonce: null,
  };
  return { ...money, spends: { ...money.spends, [d.transfer_id]: record } };
}

function spend(money: MoneyState, transferId: string, patch: Partial<SpendRecord>): MoneyState {
  const current = money.spends[transferId];
  return current ? { ...money, spends: { ...money.spends, [transferId]: { ...current, ...patch } } } : money;
}
