import type { Address, Hex } from 'viem';
import type { Broadcast, Receipt } from '../chain/rawTransactions.ts';

// The wallet port: what the money commands ask of the agents' wallets. The embedded default
// is a local dev chain through AgentKit's ViemWalletProvider (agentKitWallets.ts); with CDP
// credentials, AgentKit's CDP wallet provider on Base (cdpWallets.ts).
//
// Nothing here decides whether money may move: the CFO Judge does, before signTransfer is
// called. Spending is in two phases so that a transfer is broadcast exactly once across
// crashes: sign (a raw transaction, recorded before anything is sent), then broadcast that
// very transaction, as often as needed; broadcasting it again is a success, never a second
// payment.

export type Asset = 'ETH' | 'USDC';

export type CreatedWallet = {
  address: Address;
  // Where the key is (seed 003 §5: never the key): 'hd:<a>/<b>' (dev chain), 'cdp:<address>' (CDP).
  keyReference: string;
  network: string;
};

export type Funding = { ethWei: bigint; usdcUnits: bigint };

export type Funded =
  | { ok: true; ethTxHash: Hex | null; usdcTxHash: Hex | null }
  | { ok: false; reason: 'not_supported' | 'funding_failed'; message: string };

export type Balance = {
  eth: { wei: string; formatted: string };
  usdc: { units: string; formatted: string };
};

export type SignTransferRequest = {
  keyReference: string;
  to: Address;
  asset: Asset;
  // In ETH or USDC, as a decimal string ('0.25'): no float rounding on chain amounts.
  amount: string;
  // Unset: the next nonce this wallet has not used (on chain, or signed by this process).
  // Given with the same other inputs, the very same transaction is signed again (dev chain).
  nonce?: number;
};

export type SignedTransaction = {
  rawTransaction: Hex;
  txHash: Hex;
  nonce: number;
  from: Address;
};

export type SignRefusal = {
  ok: false;
  // invalid_amount: not a positive decimal with at most the asset's decimals.
  // insufficient_funds: the balance (checked when signing) cannot cover amount and gas.
  reason: 'invalid_amount' | 'invalid_address' | 'insufficient_funds';
  message: string;
};

export type Signed = ({ ok: true } & SignedTransaction) | SignRefusal;

export type SignedDeployment = ({ ok: true; contractAddress: Address } & SignedTransaction) | SignRefusal;

// Broadcast: ok (alreadyKnown when the chain had it: nothing sent) or refused, with a reason.
// Receipt: confirmed | failed (with block, gas used, effective gas price) | pending | unknown
// (the chain never saw it: broadcast the raw transaction again).
export type { Broadcast, Receipt };

export type DeployTokenRequest = {
  keyReference: string;
  name: string;
  symbol: string;
  // 18 if unset.
  decimals?: number;
  // Whole tokens, as a decimal string ('1000000'), minted to the wallet.
  supply: string;
  nonce?: number;
};

export type DeployedToken =
  | { ok: true; address: Address; txHash: Hex; blockNumber: number }
  | SignRefusal
  | { ok: false; reason: 'broadcast_failed' | 'reverted'; txHash: Hex; message: string };

export type TokenSupply = { units: string; decimals: number; formatted: string };

export interface WalletPort {
  readonly network: string;
  readonly chainId: number;
  readonly usdcAddress: Address;
  // What a new agent wallet is funded with (the embedded default), or null where there is no
  // funder (CDP on Base mainnet).
  readonly defaultFunding: Funding | null;

  // Idempotent: the same agent always gets the same wallet.
  createWallet(agentId: string): Promise<CreatedWallet>;
  fund(address: Address, amounts: Funding): Promise<Funded>;
  balance(address: Address): Promise<Balance>;

  signTransfer(request: SignTransferRequest): Promise<Signed>;
  signDeployToken(request: DeployTokenRequest): Promise<SignedDeployment>;
  broadcast(rawTransaction: Hex): Promise<Broadcast>;
  receipt(txHash: Hex): Promise<Receipt>;
  // Polls until confirmed or failed, or until timeoutMs: then the last status.
  waitForReceipt(txHash: Hex, options?: { timeoutMs?: number }): Promise<Receipt>;

  // Sign, broadcast and wait: for callers that do not record the signed transaction first.
  deployToken(request: DeployTokenRequest): Promise<DeployedToken>;
  totalSupply(tokenAddress: Address): Promise<TokenSupply>;

  close(): Promise<void>;
}
