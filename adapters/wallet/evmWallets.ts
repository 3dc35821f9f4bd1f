import {
  type Address,
  type Hex,
  type PublicClient,
  type TransactionSerializableEIP1559,
  encodeFunctionData,
  erc20Abi,
  getAddress,
  getContractAddress,
  isAddress,
  keccak256,
  parseTransaction,
  recoverTransactionAddress,
  type TransactionSerialized,
} from 'viem';
import { erc20DeployData } from '../chain/contracts.ts';
import { KeyedLock } from '../chain/keyedLock.ts';
import { broadcastOnce, receiptOf, waitForReceipt } from '../chain/rawTransactions.ts';
import { formatAmount, parseAmount } from './amounts.ts';
import type {
  Balance,
  Broadcast,
  CreatedWallet,
  DeployTokenRequest,
  DeployedToken,
  Funded,
  Funding,
  Receipt,
  SignRefusal,
  SignTransferRequest,
  Signed,
  SignedDeployment,
  TokenSupply,
  WalletPort,
} from './walletPort.ts';

// The wallet port on any EVM chain, given where keys live (WalletSigner), who funds new wallets
// (WalletFunder) and how fees are chosen. The dev chain and CDP differ only in those.
//
// Agent transfers are signed here with viem rather than sent with AgentKit's actions: AgentKit's
// native_transfer and ERC-20 transfer sign and send in one call, and the exactly-once design
// needs the signed transaction in hand (recorded) before anything is sent.

export type WalletSigner = {
  createWallet(agentId: string): Promise<{ address: Address; keyReference: string }>;
  addressOf(keyReference: string): Promise<Address>;
  signTransaction(keyReference: string, transaction: TransactionSerializableEIP1559): Promise<Hex>;
};

export type WalletFunder = {
  defaultFunding: Funding | null;
  fund(address: Address, amounts: Funding): Promise<Funded>;
};

export type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

export type EvmWalletsSetup = {
  network: string;
  chainId: number;
  client: PublicClient;
  usdc: { address: Address; decimals: number };
  signer: WalletSigner;
  funder: WalletFunder;
  // Fixed fees (the dev chain) make signing repeatable: the same inputs and nonce give the same
  // transaction. A live chain's fees come from the chain at signing time.
  fees: () => Promise<Fees>;
  // How the USDC balance is read (the dev chain asks AgentKit's erc20 get_balance action).
  usdcBalance?: (address: Address) => Promise<bigint>;
  pollMs?: number;
  close?: () => Promise<void>;
};

// Enough for a transfer of the dev token (35–52k gas) and of Base's USDC (40–65k); unused gas is
// refunded. Fixed rather than estimated, so that signing again gives the same transaction.
const ERC20_TRANSFER_GAS = 100_000n;
const NATIVE_TRANSFER_GAS = 21_000n;

export class EvmWallets implements WalletPort {
  readonly network: string;
  readonly chainId: number;
  readonly usdcAddress: Address;
  readonly defaultFunding: Funding | null;
  readonly #setup: EvmWalletsSetup;
  readonly #nonces = new KeyedLock();
  // The next nonce of each account, as far as this process has signed.
  readonly #nextNonce = new Map<string, number>();

  constructor(setup: EvmWalletsSetup) {
    this.#setup = setup;
    this.network = setup.network;
    this.chainId = setup.chainId;
    this.usdcAddress = setup.usdc.address;
    this.defaultFunding = setup.funder.defaultFunding;
  }

  async createWallet(agentId: string): Promise<CreatedWallet> {
    const { address, keyReference } = await this.#setup.signer.createWallet(agentId);
    return { address, keyReference, network: this.network };
  }

  fund(address: Address, amounts: Funding): Promise<Funded> {
    return this.#setup.funder.fund(address, amounts);
  }

  async balance(address: Address): Promise<Balance> {
    const { client, usdc } = this.#setup;
    const [wei, units] = await Promise.all([client.getBalance({ address }), this.#usdcBalance(address)]);
    return {
      eth: { wei: wei.toString(), formatted: formatAmount(wei, 18) },
      usdc: { units: units.toString(), formatted: formatAmount(units, usdc.decimals) },
    };
  }

  async signTransfer(request: SignTransferRequest): Promise<Signed> {
    const { keyReference, asset, amount } = request;
    // Mixed case must be a valid EIP-55 checksum: a mistyped address is refused, not paid.
    if (!isAddress(request.to)) return refusal('invalid_address', `${JSON.stringify(request.to)} is not an address (or its checksum is wrong)`);
    const to = getAddress(request.to);
    const decimals = asset === 'ETH' ? 18 : this.#setup.usdc.decimals;
    const parsed = parseAmount(amount, decimals);
    if (!parsed.ok) return refusal('invalid_amount', parsed.message);
    const from = await this.#setup.signer.addressOf(keyReference);
    const fees = await this.#setup.fees();
    const call =
      asset === 'ETH'
        ? { to, value: parsed.units, gas: await this.#nativeTransferGas(from, to, parsed.units) }
        : {
            to: this.usdcAddress,
            data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, parsed.units] }),
            gas: ERC20_TRANSFER_GAS,
          };
    const shortfall = await this.#shortfall(from, call.gas * fees.maxFeePerGas, asset === 'ETH' ? parsed.units : 0n, asset === 'USDC' ? parsed.units : 0n);
    if (shortfall) return refusal('insufficient_funds', shortfall);
    return { ok: true, ...(await this.#sign(keyReference, from, { ...call, ...fees }, request.nonce)) };
  }

  async signDeployToken(request: DeployTokenRequest): Promise<SignedDeployment> {
    const decimals = request.decimals ?? 18;
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36) return refusal('invalid_amount', `${decimals} decimals is out of range`);
    const supply = parseAmount(request.supply, decimals);
    if (!supply.ok) return refusal('invalid_amount', supply.message);
    const from = await this.#setup.signer.addressOf(request.keyReference);
    const data = erc20DeployData({ name: request.name, symbol: request.symbol, decimals, supply: request.supply });
    const fees = await this.#setup.fees();
    const empty = await this.#shortfall(from, 1n, 0n, 0n);
    if (empty) return refusal('insufficient_funds', empty);
    // Creating the same contract from the same account costs the same: repeatable.
    const estimate = await this.#setup.client.estimateGas({ account: from, data });
    const gas = (estimate * 12n) / 10n;
    const shortfall = await this.#shortfall(from, gas * fees.maxFeePerGas, 0n, 0n);
    if (shortfall) return refusal('insufficient_funds', shortfall);
    const signed = await this.#sign(request.keyReference, from, { data, gas, ...fees }, request.nonce);
    return { ok: true, ...signed, contractAddress: getContractAddress({ from, nonce: BigInt(signed.nonce) }) };
  }

  async broadcast(rawTransaction: Hex): Promise<Broadcast> {
    const sent = await broadcastOnce(this.#setup.client, rawTransaction);
    // A transaction the chain refused leaves its nonce unused: the next signature may take it.
    if (!sent.ok && sent.reason !== 'nonce_taken') await this.#release(rawTransaction);
    return sent;
  }

  receipt(txHash: Hex): Promise<Receipt> {
    return receiptOf(this.#setup.client, txHash);
  }

  waitForReceipt(txHash: Hex, options: { timeoutMs?: number } = {}): Promise<Receipt> {
    return waitForReceipt(this.#setup.client, txHash, { ...options, pollMs: this.#setup.pollMs ?? 50 });
  }

  async deployToken(request: DeployTokenRequest): Promise<DeployedToken> {
    const signed = await this.signDeployToken(request);
    if (!signed.ok) return signed;
    const sent = await this.broadcast(signed.rawTransaction);
    if (!sent.ok) return { ok: false, reason: 'broadcast_failed', txHash: sent.txHash, message: `${sent.reason}: ${sent.message}` };
    const receipt = await this.waitForReceipt(sent.txHash, { timeoutMs: 120_000 });
    if (receipt.status !== 'confirmed') {
      return { ok: false, reason: 'reverted', txHash: sent.txHash, message: `the deployment is ${receipt.status}` };
    }
    return { ok: true, address: receipt.contractAddress ?? signed.contractAddress, txHash: sent.txHash, blockNumber: receipt.blockNumber };
  }

  async totalSupply(tokenAddress: Address): Promise<TokenSupply> {
    const { client } = this.#setup;
    const [supply, decimals] = await Promise.all([
      client.readContract({ address: tokenAddress, abi: erc20Abi, functionName: 'totalSupply' }),
      client.readContract({ address: tokenAddress, abi: erc20Abi, functionName: 'decimals' }),
    ]);
    return { units: supply.toString(), decimals, formatted: formatAmount(supply, decimals) };
  }

  async close(): Promise<void> {
    await this.#setup.close?.();
  }

  #usdcBalance(address: Address): Promise<bigint> {
    const { client, usdc, usdcBalance } = this.#setup;
    return usdcBalance ? usdcBalance(address) : client.readContract({ address: usdc.address, abi: erc20Abi, functionName: 'balanceOf', args: [address] });
  }

  // A transfer to an account without code costs exactly 21,000 gas; a contract's receive
  // function may cost more, so that case is estimated.
  async #nativeTransferGas(from: Address, to: Address, value: bigint): Promise<bigint> {
    const code = await this.#setup.client.getCode({ address: to });
    if (!code || code === '0x') return NATIVE_TRANSFER_GAS;
    return ((await this.#setup.client.estimateGas({ account: from, to, value })) * 12n) / 10n;
  }

  // What the wallet lacks to pay for a transaction, from its balances now (transactions signed
  // but not yet mined are not counted: the chain refuses what they leave short).
  async #shortfall(from: Address, maxGasCost: bigint, wei: bigint, usdcUnits: bigint): Promise<string | undefined> {
    const [eth, usdc] = await Promise.all([this.#setup.client.getBalance({ address: from }), usdcUnits > 0n ? this.#usdcBalance(from) : 0n]);
    if (usdc < usdcUnits) return `${from} holds ${formatAmount(usdc, this.#setup.usdc.decimals)} USDC, ${formatAmount(usdcUnits, this.#setup.usdc.decimals)} asked`;
    if (eth < wei + maxGasCost) return `${from} holds ${formatAmount(eth, 18)} ETH, ${formatAmount(wei + maxGasCost, 18)} needed with gas`;
    return undefined;
  }

  async #sign(
    keyReference: string,
    from: Address,
    call: Omit<TransactionSerializableEIP1559, 'nonce' | 'chainId' | 'type'>,
    nonce: number | undefined,
  ): Promise<{ rawTransaction: Hex; txHash: Hex; nonce: number; from: Address }> {
    const chosen = nonce ?? (await this.#allocateNonce(from));
    if (nonce !== undefined) this.#nextNonce.set(from.toLowerCase(), Math.max(this.#nextNonce.get(from.toLowerCase()) ?? 0, nonce + 1));
    const rawTransaction = await this.#setup.signer.signTransaction(keyReference, { ...call, nonce: chosen, chainId: this.chainId, type: 'eip1559' });
    return { rawTransaction, txHash: keccak256(rawTransaction), nonce: chosen, from };
  }

  // The larger of the chain's count (pending transactions included) and what this process has
  // signed: concurrent transfers from one wallet get consecutive nonces.
  #allocateNonce(from: Address): Promise<number> {
    const key = from.toLowerCase();
    return this.#nonces.run(key, async () => {
      const onChain = await this.#setup.client.getTransactionCount({ address: from, blockTag: 'pending' });
      const next = Math.max(onChain, this.#nextNonce.get(key) ?? 0);
      this.#nextNonce.set(key, next + 1);
      return next;
    });
  }

  async #release(rawTransaction: Hex): Promise<void> {
    const from = await recoverTransactionAddress({ serializedTransaction: rawTransaction as TransactionSerialized });
    const nonce = parseTransaction(rawTransaction).nonce ?? 0;
    const key = from.toLowerCase();
    await this.#nonces.run(key, async () => {
      // Only the last one signed: an earlier gap is left for the caller to fill (sign again
      // with that nonce); taking it back would hand later nonces out twice.
      if (this.#nextNonce.get(key) === nonce + 1) this.#nextNonce.set(key, nonce);
    });
  }
}

function refusal(reason: SignRefusal['reason'], message: string): SignRefusal {
  return { ok: false, reason, message };
}
