// An agent's money: its wallet, and every spend the CFO Judge decided on, from the decision
// to the chain's receipt. In the agent stream, so the budgets the CFO checks and the spends
// it approves are ordered by one state_version.
import { z } from 'zod';
import type { EventSchemas } from '../eventSchemas.ts';

const id = z.string().min(1);
const instant = z.iso.datetime({ offset: true });
const usd = z.number().nonnegative();

export const assetSchema = z.enum(['ETH', 'USDC']);
export type Asset = z.infer<typeof assetSchema>;

export const walletCreatedSchema = z.strictObject({
  address: z.string(),
  network: z.string(),
  // Where the key is (e.g. an HD derivation index); never the key itself (seed 003 §5).
  key_reference: z.string(),
  at: instant,
});

export const budgetsSetSchema = z.strictObject({
  // null: no limit for that window.
  daily_usd: usd.nullable(),
  weekly_usd: usd.nullable(),
  monthly_usd: usd.nullable(),
  at: instant,
});

// off_chain: a payment made outside our chain (ads, a vendor's invoice), in USD; the CFO's
// approval is the whole of it here, and its cost is incurred when approved.
export const spendKindSchema = z.enum(['transfer', 'deploy_token', 'off_chain']);

const spendFields = {
  transfer_id: id,
  approval_id: id,
  kind: spendKindSchema,
  to_address: z.string().nullable(),
  asset: assetSchema.nullable(),
  // In the asset's units (ETH, USDC; USD off chain), as a decimal string: no float rounding on
  // chain amounts.
  amount: z.string(),
  amount_usd: usd,
  campaign_id: id.nullable(),
  purpose: z.string().nullable(),
  projected_roi: z.number().nullable(),
  risk_score: z.number().min(0).max(1),
  // For a token deployment: what to deploy.
  token: z.strictObject({ name: z.string(), symbol: z.string(), decimals: z.number().int().min(0).max(36), supply: z.string() }).nullable(),
  at: instant,
};

// What every decision on a spend carries: the request and its risk score.
export type SpendFields = z.infer<z.ZodObject<typeof spendFields>>;

export const budgetRemainingSchema = z.strictObject({
  daily: usd.nullable(),
  weekly: usd.nullable(),
  monthly: usd.nullable(),
  total: usd.nullable(),
  campaign: usd.nullable(),
});
export type BudgetRemaining = z.infer<typeof budgetRemainingSchema>;

export const spendApprovedSchema = z.strictObject({
  ...spendFields,
  reason: z.string(),
  // What remains after this spend, per window.
  budget_remaining: budgetRemainingSchema,
  approved_by: z.string(),
  // Ed25519 over the decision's canonical JSON (without this field), by the CFO's key.
  approval_signature: z.string(),
});

export const spendRefusedSchema = z.strictObject({
  ...spendFields,
  code: z.enum(['budget_exceeded', 'roi_too_low', 'amount_too_large', 'rate_limit_exceeded', 'rejected_by_moderator']),
  reason: z.string(),
  budget_remaining: budgetRemainingSchema,
});

// Risk above the threshold: a moderator decides (the HITL financial queue).
export const spendHeldSchema = z.strictObject({ ...spendFields, review_id: id, reason: z.string(), budget_remaining: budgetRemainingSchema });

export const transferSignedSchema = z.strictObject({
  transfer_id: id,
  tx_hash: z.string(),
  // Recorded before it is sent, so a restart sends the very same transaction again.
  raw_transaction: z.string(),
  nonce: z.number().int().nonnegative(),
  from_address: z.string(),
  at: instant,
});
export const transferBroadcastSchema = z.strictObject({ transfer_id: id, tx_hash: z.string(), at: instant });
export const transferConfirmedSchema = z.strictObject({
  transfer_id: id,
  tx_hash: z.string(),
  block_number: z.number().int().nonnegative(),
  // For a token deployment: the contract's address.
  contract_address: z.string().nullable(),
  // What the gas cost: wei, and USD at the configured ETH price (absent on events recorded
  // before fees were).
  fee_wei: z.string().regex(/^\d+$/).optional(),
  fee_usd: usd.optional(),
  at: instant,
});
// A spend that did not happen (reverted, or never sent): its budget is released.
export const transferFailedSchema = z.strictObject({ transfer_id: id, tx_hash: z.string().nullable(), reason: z.string(), at: instant });

export type WalletCreated = z.infer<typeof walletCreatedSchema>;
export type BudgetsSet = z.infer<typeof budgetsSetSchema>;
export type SpendApproved = z.infer<typeof spendApprovedSchema>;
export type SpendRefused = z.infer<typeof spendRefusedSchema>;
export type SpendHeld = z.infer<typeof spendHeldSchema>;
export type TransferSigned = z.infer<typeof transferSignedSchema>;
export type TransferBroadcast = z.infer<typeof transferBroadcastSchema>;
export type TransferConfirmed = z.infer<typeof transferConfirmedSchema>;
export type TransferFailed = z.infer<typeof transferFailedSchema>;

export type MoneyEvent =
  | { type: 'WalletCreated'; data: WalletCreated }
  | { type: 'BudgetsSet'; data: BudgetsSet }
  | { type: 'SpendApproved'; data: SpendApproved }
  | { type: 'SpendRefused'; data: SpendRefused }
  | { type: 'SpendHeld'; data: SpendHeld }
  | { type: 'TransferSigned'; data: TransferSigned }
  | { type: 'TransferBroadcast'; data: TransferBroadcast }
  | { type: 'TransferConfirmed'; data: TransferConfirmed }
  | { type: 'TransferFailed'; data: TransferFailed };

export type MoneyEventType = MoneyEvent['type'];

export const moneyEventSchemas: Record<MoneyEventType, z.ZodType> = {
  WalletCreated: walletCreatedSchema,
  BudgetsSet: budgetsSetSchema,
  SpendApproved: spendApprovedSchema,
  SpendRefused: spendRefusedSchema,
  SpendHeld: spendHeldSchema,
  TransferSigned: transferSignedSchema,
  TransferBroadcast: transferBroadcastSchema,
  TransferConfirmed: transferConfirmedSchema,
  TransferFailed: transferFailedSchema,
} satisfies EventSchemas<MoneyEvent>;
