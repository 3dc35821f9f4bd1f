// An agent's money as the CFO decides on it: its wallet, its budget overrides, and every spend
// with where it stands, from decision to receipt.
import type { SpendFields } from './moneyEvents.ts';

export type SpendStatus = 'approved' | 'held' | 'refused' | 'signed' | 'broadcast' | 'confirmed' | 'failed';

// `at`: when it was asked for (a held spend keeps its place in the windows).
export type SpendRecord = SpendFields & {
  status: SpendStatus;
  review_id: string | null;
  tx_hash: string | null;
  raw_transaction: string | null;
  nonce: number | null;
};

export type MoneyState = {
  wallet: { address: string; network: string; key_reference: string } | null;
  budgets: { daily_usd: number | null; weekly_usd: number | null; monthly_usd: number | null } | null;
  spends: Record<string, SpendRecord>;
  // The nonce the wallet's next signed transaction takes (after the last one signed).
  next_nonce: number;
  // Addresses paid before (lower case): a first payment to a stranger is riskier.
  recipients: string[];
};

export function initialMoneyState(): MoneyState {
  return { wallet: null, budgets: null, spends: {}, next_nonce: 0, recipients: [] };
}

// A spend counts against the budgets unless it was refused or did not happen.
export const counts = (s: SpendRecord): boolean => s.status !== 'refused' && s.status !== 'failed';
