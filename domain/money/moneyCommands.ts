// What the wallet layer, the CFO Judge and moderators ask of an agent's money. Ids, time, the
// policy and the CFO's signer arrive on the command; the signer is Ed25519, deterministic, so
// the decider stays a pure function of history and command.
import type { CfoPolicy } from './cfoPolicy.ts';
import type { SpendFields } from './moneyEvents.ts';

export type Signer = (message: string) => string;

export type CreateWallet = { type: 'CreateWallet'; data: { address: string; network: string; key_reference: string }; now: string };

// A window left out keeps its limit; null removes it.
export type SetBudgets = { type: 'SetBudgets'; data: { daily_usd?: number | null; weekly_usd?: number | null; monthly_usd?: number | null }; now: string };

export type RequestSpend = {
  type: 'RequestSpend';
  data: Omit<SpendFields, 'risk_score' | 'at'> & {
    // The HITL review the spend gets if it is held.
    review_id: string;
    // Why the fleet's global budget could not cover it (it is decided first, in its own
    // stream); the refusal is recorded here, with the agent's other decisions.
    global_refusal: string | null;
  };
  now: string;
  policy: CfoPolicy;
  sign: Signer;
};

// A moderator's decision on a held spend (HITL financial).
export type DecideHeldSpend = {
  type: 'DecideHeldSpend';
  data: { transfer_id: string; approve: boolean; moderator: string; reason: string | null };
  now: string;
  sign: Signer;
};

export type RecordTransferSigned = {
  type: 'RecordTransferSigned';
  data: { transfer_id: string; tx_hash: string; raw_transaction: string; nonce: number; from_address: string };
  now: string;
};
export type RecordTransferBroadcast = { type: 'RecordTransferBroadcast'; data: { transfer_id: string; tx_hash: string }; now: string };
export type RecordTransferConfirmed = {
  type: 'RecordTransferConfirmed';
  data: { transfer_id: string; tx_hash: string; block_number: number; contract_address: string | null; fee_wei: string; fee_usd: number };
  now: string;
};
export type RecordTransferFailed = { type: 'RecordTransferFailed'; data: { transfer_id: string; tx_hash: string | null; reason: string }; now: string };

export type MoneyCommand =
  | CreateWallet
  | SetBudgets
  | RequestSpend
  | DecideHeldSpend
  | RecordTransferSigned
  | RecordTransferBroadcast
  | RecordTransferConfirmed
  | RecordTransferFailed;

export const MONEY_COMMANDS = new Set<string>([
  'CreateWallet',
  'SetBudgets',
  'RequestSpend',
  'DecideHeldSpend',
  'RecordTransferSigned',
  'RecordTransferBroadcast',
  'RecordTransferConfirmed',
  'RecordTransferFailed',
]);
