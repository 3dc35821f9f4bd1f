import { randomUUID } from 'node:crypto';
import type { Actor, EventStore } from '../../adapters/eventstore/eventStore.ts';
import type { CfoPolicy } from '../../domain/money/cfoPolicy.ts';
import type { GlobalLimits } from '../../domain/money/globalBudget.ts';
import type { MoneyCommand } from '../../domain/money/moneyCommands.ts';
import type { Asset, BudgetRemaining } from '../../domain/money/moneyEvents.ts';
import type { WalletPort } from '../../adapters/wallet/walletPort.ts';
import type { SpendRecord } from '../../domain/money/moneyState.ts';
import type { AgentStates } from '../agentStates.ts';
import { handleAgentCommand, type CommandResult } from '../handleAgentCommand.ts';
import type { CfoSigner } from './cfoSigner.ts';
import type { GlobalBudget } from './globalBudgetStream.ts';
import { KeyedQueue } from './keyedQueue.ts';

// What the treasury needs of the wallets (adapters/wallet/walletPort.ts): transactions signed
// before they are sent, so the very same one can be sent again after a crash, sent at most
// once, and their receipts.
export type TransferWallets = Pick<WalletPort, 'signTransfer' | 'signDeployToken' | 'broadcast' | 'receipt'>;

// What is asked of the CFO: a payment on our chain, a token deployment (its cost is gas), or a
// payment made elsewhere (ads, an invoice: kind off_chain, in USD), which the CFO's approval is
// the whole of here.
export type SpendRequest = {
  agentId: string;
  purpose: string | null;
  projectedRoi: number | null;
  campaignId: string | null;
} & (
  | { kind: 'transfer'; to: string; asset: Asset; amount: string }
  | { kind: 'deploy_token'; token: { name: string; symbol: string; decimals: number; supply: string } }
  | { kind: 'off_chain'; recipient: string; amountUsd: string }
);

export type Settlement = { txHash: string | null; status: 'pending' | 'confirmed' | 'failed'; blockNumber: number | null; contractAddress?: string | null };

export type TransferOutcome =
  | ({ decision: 'approved'; transferId: string; approvalId: string; reason: string; approvalSignature: string; budgetRemaining: BudgetRemaining } & Settlement)
  | { decision: 'held'; transferId: string; approvalId: string; reviewId: string; reason: string; riskScore: number; budgetRemaining: BudgetRemaining }
  | { decision: 'refused'; transferId: string; approvalId: string; code: string; reason: string; budgetRemaining: BudgetRemaining | null };

export type TreasuryOptions = {
  policy: CfoPolicy;
  globalLimits: GlobalLimits;
  // USD per ETH, for budgets (the dev chain has no market): CHIMERA_ETH_USD.
  ethUsd: number;
  now?: () => Date;
  actor?: Actor;
  // Fault injection for tests: runs after the CFO's approval is recorded, before signing.
  afterApproval?: (transferId: string) => void | Promise<void>;
};

// The CFO Judge's side of a transfer and the way of an approved one to the chain: reserve in
// the global budget, decide on the agent's budgets (recorded either way), then sign at the
// wallet's next nonce, record the signed transaction, send it, and record its receipt. A
// crash anywhere leaves a state `settle` continues from, sending the same transaction.
export class Treasury {
  private readonly queue = new KeyedQueue();
  // Settlements started in the background (approvals answered before they are mined).
  private readonly settling = new Set<Promise<unknown>>();
  private readonly now: () => Date;
  private readonly actor: Actor;

  constructor(
    private readonly store: EventStore,
    private readonly states: AgentStates,
    private readonly wallets: TransferWallets | null,
    private readonly global: GlobalBudget,
    private readonly signer: CfoSigner,
    private readonly options: TreasuryOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.actor = options.actor ?? { sub: 'chimera-cfo', role: 'service' };
  }

  // The CFO's decision, and for an approved on-chain spend its way to the chain, awaited when
  // this process has wallets.
  async requestTransfer(request: SpendRequest, correlationId: string): Promise<TransferOutcome> {
    const decided = await this.decide(request, correlationId);
    // Without wallets here, a process that has them settles it (the cfo role's sweeper).
    if (decided.decision !== 'approved' || request.kind === 'off_chain' || !this.wallets) return decided;
    await this.options.afterApproval?.(decided.transferId);
    const settled = await this.settle(request.agentId, decided.transferId, correlationId);
    return { ...decided, ...settled };
  }

  // The CFO's decision, answered at once; an approved on-chain spend is settled in the
  // background here if this process has wallets (else by one that has: the settlement sweeper).
  async validate(request: SpendRequest, correlationId: string, onError: (error: unknown) => void): Promise<TransferOutcome> {
    const decided = await this.decide(request, correlationId);
    if (decided.decision === 'approved' && request.kind !== 'off_chain' && this.wallets) {
      const settling = this.settle(request.agentId, decided.transferId, correlationId).catch(onError);
      this.settling.add(settling);
      void settling.finally(() => this.settling.delete(settling));
    }
    return decided;
  }

  // Waits for the settlements started in the background (at shutdown).
  async drain(): Promise<void> {
    while (this.settling.size > 0) await Promise.allSettled([...this.settling]);
  }

  // The CFO's decision alone (recorded), without sending anything.
  async decide(request: SpendRequest, correlationId: string): Promise<TransferOutcome> {
    const transferId = randomUUID();
    const approvalId = randomUUID();
    const amountUsd = Math.round(Number(amountOf(request)) * (request.kind === 'transfer' && request.asset === 'ETH' ? this.options.ethUsd : 1) * 100) / 100;
    const decided = await this.queue.run(request.agentId, async () => {
      const reserved = await this.global.handle(
        { type: 'ReserveGlobalSpend', data: { transfer_id: transferId, agent_id: request.agentId, amount_usd: amountUsd }, now: this.now().toISOString(), limits: this.options.globalLimits },
        this.actor,
        correlationId,
      );
      if (!reserved.ok && reserved.error.code !== 'budget_exceeded') return { failed: reserved.error };
      const result = await this.send(request.agentId, {
        type: 'RequestSpend',
        data: {
          transfer_id: transferId,
          approval_id: approvalId,
          review_id: randomUUID(),
          kind: request.kind,
          to_address: request.kind === 'transfer' ? request.to : request.kind === 'off_chain' ? request.recipient : null,
          asset: request.kind === 'transfer' ? request.asset : null,
          amount: amountOf(request),
          amount_usd: amountUsd,
          campaign_id: request.campaignId,
          purpose: request.purpose,
          projected_roi: request.projectedRoi,
          token: request.kind === 'deploy_token' ? request.token : null,
          global_refusal: reserved.ok ? null : reserved.error.message,
        },
        now: this.now().toISOString(),
        policy: this.options.policy,
        sign: this.signer.sign,
      } as MoneyCommand, correlationId);
      return { result, reserved: reserved.ok };
    });
    if ('failed' in decided) throw Object.assign(new Error(decided.failed!.message), { domainError: decided.failed });
    const { result } = decided;
    if (!result!.ok) {
      if (decided.reserved) await this.release(transferId, result!.error.code, correlationId);
      throw Object.assign(new Error(result!.error.message), { domainError: result!.error });
    }
    const event = result!.events[0]!;
    if (event.type === 'SpendRefused') {
      if (decided.reserved) await this.release(transferId, event.data.code, correlationId);
      return { decision: 'refused', transferId, approvalId, code: event.data.code, reason: event.data.reason, budgetRemaining: event.data.budget_remaining };
    }
    if (event.type === 'SpendHeld') {
      return { decision: 'held', transferId, approvalId, reviewId: event.data.review_id, reason: event.data.reason, riskScore: event.data.risk_score, budgetRemaining: event.data.budget_remaining };
    }
    if (event.type !== 'SpendApproved') throw new Error(`the CFO answered ${event.type}`);
    const approved = event.data;
    return { decision: 'approved', transferId, approvalId, reason: approved.reason, approvalSignature: approved.approval_signature, txHash: null, status: 'pending', blockNumber: null, budgetRemaining: approved.budget_remaining };
  }

  get publicKeyPem(): string {
    return this.signer.publicKeyPem;
  }

  // What the fleet's global budget has left, as this process last saw its stream.
  globalRemaining() {
    return this.global.remaining(this.options.globalLimits, this.now().toISOString());
  }

  // A moderator's decision on a held spend (HITL financial); an approval goes on to the chain.
  async decideHeld(agentId: string, transferId: string, approve: boolean, moderator: string, reason: string | null, correlationId: string): Promise<CommandResult> {
    const result = await this.send(agentId, { type: 'DecideHeldSpend', data: { transfer_id: transferId, approve, moderator, reason }, now: this.now().toISOString(), sign: this.signer.sign }, correlationId);
    if (!result.ok) return result;
    if (!approve) await this.release(transferId, 'rejected by a moderator', correlationId);
    else if (this.wallets) await this.settle(agentId, transferId, correlationId);
    return result;
  }

  // Takes an approved transfer as far as the chain lets it: signs it (once), sends the
  // signed transaction (again, harmlessly, after a crash) and records the receipt.
  async settle(agentId: string, transferId: string, correlationId: string): Promise<Settlement> {
    let spend = await this.spendOf(agentId, transferId);
    if (spend.kind === 'off_chain') return { txHash: null, status: 'confirmed', blockNumber: null };
    if (spend.status === 'approved') {
      spend = await this.queue.run(agentId, async () => {
        const { state } = await this.states.load(agentId);
        const current = state.money.spends[transferId]!;
        if (current.status !== 'approved') return current;
        if (!this.wallets) throw new Error('no wallets in this process to sign with');
        const keyReference = state.money.wallet!.key_reference;
        const signed = current.token
          ? await this.wallets.signDeployToken({ keyReference, ...current.token, nonce: state.money.next_nonce })
          : await this.wallets.signTransfer({ keyReference, to: current.to_address! as `0x${string}`, asset: current.asset!, amount: current.amount, nonce: state.money.next_nonce });
        if (!signed.ok) {
          // Nothing was sent: the spend did not happen, and its budget is released.
          await this.send(agentId, { type: 'RecordTransferFailed', data: { transfer_id: transferId, tx_hash: null, reason: `${signed.reason}: ${signed.message}` }, now: this.now().toISOString() }, correlationId);
          await this.release(transferId, signed.reason, correlationId);
          return { ...current, status: 'failed' as const };
        }
        const recorded = await this.send(agentId, { type: 'RecordTransferSigned', data: { transfer_id: transferId, tx_hash: signed.txHash, raw_transaction: signed.rawTransaction, nonce: signed.nonce, from_address: signed.from }, now: this.now().toISOString() }, correlationId);
        if (!recorded.ok) throw new Error(`transfer ${transferId} not signed: ${recorded.error.code}`);
        return recorded.state.money.spends[transferId]!;
      });
    }
    if (spend.status === 'signed' || spend.status === 'broadcast') {
      if (!this.wallets) throw new Error('no wallets in this process to send with');
      const sent = await this.wallets.broadcast(spend.raw_transaction! as `0x${string}`);
      if (!sent.ok) {
        await this.send(agentId, { type: 'RecordTransferFailed', data: { transfer_id: transferId, tx_hash: spend.tx_hash, reason: `${sent.reason}: ${sent.message}` }, now: this.now().toISOString() }, correlationId);
        await this.release(transferId, sent.reason, correlationId);
        return { txHash: spend.tx_hash, status: 'failed', blockNumber: null };
      }
      if (spend.status === 'signed') await this.send(agentId, { type: 'RecordTransferBroadcast', data: { transfer_id: transferId, tx_hash: spend.tx_hash! }, now: this.now().toISOString() }, correlationId);
      const receipt = await this.waitForReceipt(spend.tx_hash!);
      if (receipt.status === 'confirmed') {
        const feeWei = BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice);
        const feeUsd = Math.round((Number(feeWei) / 1e18) * this.options.ethUsd * 10_000) / 10_000;
        await this.send(
          agentId,
          { type: 'RecordTransferConfirmed', data: { transfer_id: transferId, tx_hash: spend.tx_hash!, block_number: receipt.blockNumber, contract_address: receipt.contractAddress, fee_wei: feeWei.toString(), fee_usd: feeUsd }, now: this.now().toISOString() },
          correlationId,
        );
        return { txHash: spend.tx_hash, status: 'confirmed', blockNumber: receipt.blockNumber, contractAddress: receipt.contractAddress };
      }
      if (receipt.status === 'failed') {
        await this.send(agentId, { type: 'RecordTransferFailed', data: { transfer_id: transferId, tx_hash: spend.tx_hash, reason: 'the transaction reverted' }, now: this.now().toISOString() }, correlationId);
        await this.release(transferId, 'reverted', correlationId);
        return { txHash: spend.tx_hash, status: 'failed', blockNumber: receipt.blockNumber };
      }
      return { txHash: spend.tx_hash, status: 'pending', blockNumber: null };
    }
    return { txHash: spend.tx_hash, status: spend.status === 'confirmed' ? 'confirmed' : spend.status === 'failed' ? 'failed' : 'pending', blockNumber: null };
  }

  private async waitForReceipt(txHash: string, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const receipt = await this.wallets!.receipt(txHash as `0x${string}`);
      if ((receipt.status !== 'pending' && receipt.status !== 'unknown') || Date.now() > deadline) return receipt;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async spendOf(agentId: string, transferId: string): Promise<SpendRecord> {
    const { state } = await this.states.load(agentId);
    const spend = state.money.spends[transferId];
    if (!spend) throw new Error(`transfer ${transferId} of agent ${agentId} does not exist`);
    return spend;
  }

  private async release(transferId: string, reason: string, correlationId: string): Promise<void> {
    await this.global.handle({ type: 'ReleaseGlobalSpend', data: { transfer_id: transferId, reason }, now: this.now().toISOString() }, this.actor, correlationId);
  }

  private send(agentId: string, command: MoneyCommand, correlationId: string): Promise<CommandResult> {
    return handleAgentCommand(this.store, agentId, command, { actor: this.actor, correlationId }, { maxRetries: 50 }, this.states);
  }
}

const amountOf = (request: SpendRequest): string => (request.kind === 'transfer' ? request.amount : request.kind === 'off_chain' ? request.amountUsd : '0');
