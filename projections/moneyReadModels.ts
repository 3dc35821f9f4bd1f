import type { Transaction } from 'kysely';
import type { DatabaseSchema } from '../adapters/database/databaseSchema.ts';
import type { RecordedEvent } from '../adapters/eventstore/eventStore.ts';
import { agentIdOf, isAgentStream } from '../commands/agentStream.ts';
import { nameBasedUuid } from '../commands/nameBasedUuid.ts';
import { moneyEventSchemas, type MoneyEvent, type SpendApproved, type SpendHeld, type SpendRefused } from '../domain/money/moneyEvents.ts';
import type { Projection } from './projection.ts';

// agent_wallets, wallet_transactions (pending → confirmed / failed from the receipts),
// cfo_ledger (every CFO decision, one row per decision event, never updated) and
// financial_reviews (the HITL financial queue), from the money events of the agent streams.
const MONEY_EVENTS = new Set(Object.keys(moneyEventSchemas));

export const moneyReadModels: Projection = {
  name: 'money_read_models',
  tables: ['financial_reviews', 'cfo_ledger', 'wallet_transactions', 'agent_wallets'],
  handles: (event) => isAgentStream(event.streamId) && MONEY_EVENTS.has(event.type),
  apply: async (trx, events) => {
    for (const event of events) await applyEvent(trx, agentIdOf(event.streamId), event);
  },
};

export const walletIdOf = (agentId: string, network: string): string => nameBasedUuid(`wallet:${agentId}:${network}`);

async function applyEvent(trx: Transaction<DatabaseSchema>, agentId: string, recorded: RecordedEvent): Promise<void> {
  const event = { type: recorded.type, data: recorded.data } as MoneyEvent;
  switch (event.type) {
    case 'WalletCreated': {
      const d = event.data;
      await trx
        .insertInto('agent_wallets')
        .values({ wallet_id: walletIdOf(agentId, d.network), agent_id: agentId, wallet_address: d.address, network: d.network, encrypted_key_ref: d.key_reference, created_at: d.at, updated_at: d.at })
        .onConflict((oc) => oc.column('wallet_id').doNothing())
        .execute();
      return;
    }
    case 'SpendApproved':
      return ledger(trx, agentId, recorded.id, 'approved', event.data, { signature: event.data.approval_signature, decidedBy: event.data.approved_by, code: null });
    case 'SpendRefused':
      await ledger(trx, agentId, recorded.id, 'refused', event.data, { signature: null, decidedBy: event.data.code === 'rejected_by_moderator' ? 'moderator' : 'cfo', code: event.data.code });
      await trx.updateTable('financial_reviews').set({ status: 'rejected', decided_at: event.data.at }).where('transfer_id', '=', event.data.transfer_id).where('status', '=', 'queued').execute();
      return;
    case 'SpendHeld': {
      const d = event.data;
      await ledger(trx, agentId, recorded.id, 'held', d, { signature: null, decidedBy: 'cfo', code: null });
      await trx
        .insertInto('financial_reviews')
        .values({
          review_id: d.review_id,
          transfer_id: d.transfer_id,
          agent_id: agentId,
          kind: d.kind,
          to_address: d.to_address,
          amount: d.amount,
          currency: d.asset,
          amount_usd: d.amount_usd,
          risk_score: d.risk_score,
          reason: d.reason,
          status: 'queued',
          created_at: d.at,
        })
        .onConflict((oc) => oc.column('review_id').doNothing())
        .execute();
      return;
    }
    case 'TransferSigned': {
      const d = event.data;
      const approved = await trx.selectFrom('cfo_ledger').selectAll().where('transfer_id', '=', d.transfer_id).where('decision', '=', 'approved').executeTakeFirst();
      const wallet = await trx.selectFrom('agent_wallets').select(['wallet_id', 'network']).where('agent_id', '=', agentId).executeTakeFirst();
      if (!approved || !wallet) return; // a signature without its approval or wallet does not exist
      const type = approved.request_type === 'deploy_token' ? 'deploy_token' : approved.currency === 'ETH' ? 'native_transfer' : 'erc20_transfer';
      await trx
        .insertInto('wallet_transactions')
        .values({
          transaction_id: d.transfer_id,
          agent_id: agentId,
          wallet_id: wallet.wallet_id,
          transaction_hash: d.tx_hash,
          transaction_type: type,
          from_address: d.from_address,
          to_address: approved.to_address,
          amount: approved.amount,
          currency: approved.currency ?? 'ETH',
          network: wallet.network,
          status: 'pending',
          cfo_approval_id: approved.approval_id,
          purpose: approved.justification,
          nonce: d.nonce,
          created_at: d.at,
        })
        .onConflict((oc) => oc.column('transaction_id').doNothing())
        .execute();
      return;
    }
    case 'TransferConfirmed':
      await trx
        .updateTable('wallet_transactions')
        .set({ status: 'confirmed', block_number: event.data.block_number, contract_address: event.data.contract_address, confirmed_at: event.data.at })
        .where('transaction_id', '=', event.data.transfer_id)
        .execute();
      return;
    case 'TransferFailed':
      await trx.updateTable('wallet_transactions').set({ status: 'failed' }).where('transaction_id', '=', event.data.transfer_id).execute();
      return;
    default:
      return;
  }
}

async function ledger(
  trx: Transaction<DatabaseSchema>,
  agentId: string,
  entryId: string,
  decision: 'approved' | 'refused' | 'held',
  d: SpendApproved | SpendRefused | SpendHeld,
  extra: { signature: string | null; decidedBy: string; code: string | null },
): Promise<void> {
  await trx
    .insertInto('cfo_ledger')
    .values({
      entry_id: entryId,
      approval_id: d.approval_id,
      transfer_id: d.transfer_id,
      agent_id: agentId,
      request_type: d.kind,
      decision,
      code: extra.code,
      to_address: d.to_address,
      amount: d.amount,
      currency: d.asset,
      amount_usd: d.amount_usd,
      campaign_id: d.campaign_id,
      projected_roi: d.projected_roi,
      risk_score: d.risk_score,
      approval_signature: extra.signature,
      decided_by: extra.decidedBy,
      justification: d.purpose,
      reason: d.reason,
      budget_remaining: JSON.stringify(d.budget_remaining),
      created_at: d.at,
    })
    .onConflict((oc) => oc.column('entry_id').doNothing())
    .execute();
  if (decision === 'approved') {
    await trx.updateTable('financial_reviews').set({ status: 'approved', decided_by: extra.decidedBy, decided_at: d.at }).where('transfer_id', '=', d.transfer_id).where('status', '=', 'queued').execute();
  }
}
