import assert from 'node:assert/strict';
import { generateKeyPairSync, sign as ed25519Sign } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { Database } from '../adapters/database/database.ts';
import type { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { handleAgentCommand } from '../commands/handleAgentCommand.ts';
import type { AgentStreamCommand } from '../domain/agentStream.ts';
import { DEFAULT_CFO_POLICY } from '../domain/money/cfoPolicy.ts';
import { lastLoggedPosition } from '../test/support/lastLoggedPosition.ts';
import { suiteStore } from '../test/support/suiteStore.ts';
import { describeOn, testDatabaseTargets } from '../test/support/testDatabases.ts';
import { moneyReadModels } from './moneyReadModels.ts';
import { ProjectionRunner, rebuildProjection } from './projectionRunner.ts';

const { privateKey } = generateKeyPairSync('ed25519');
const sign = (m: string) => ed25519Sign(null, Buffer.from(m), privateKey).toString('base64');
const actor = { sub: 'cfo', role: 'service' };
let clock = Date.parse('2026-11-25T08:00:00Z');
const now = () => new Date((clock += 60_000)).toISOString();

async function scenario(store: PostgresEventStore) {
  const send = async (command: AgentStreamCommand) => {
    const r = await handleAgentCommand(store, 'nova', command, { actor, correlationId: 'spec' });
    if (!r.ok) assert.fail(`${command.type}: ${r.error.code}`);
    return r;
  };
  await send({ type: 'CreateAgent', data: { agent_id: 'nova', name: 'Nova', persona_name: 'Nova', soul_md: '#', policy_version: 'v1', social_accounts: {}, budget: { daily_usd: 100, total_usd: 500 } }, now: now() });
  await send({ type: 'CreateWallet', data: { address: '0xaaa', network: 'local', key_reference: 'hd:1' }, now: now() });
  const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const request = (i: number, amount_usd: number, extra: Record<string, unknown> = {}): AgentStreamCommand => ({
    type: 'RequestSpend',
    data: { transfer_id: ids[i]!, approval_id: randomUUID(), review_id: randomUUID(), kind: 'transfer', to_address: '0xbbb', asset: 'USDC', amount: String(amount_usd), amount_usd, campaign_id: null, purpose: 'designer', projected_roi: 2, global_refusal: null, token: null, ...extra },
    now: now(),
    policy: DEFAULT_CFO_POLICY,
    sign,
  });
  await send(request(0, 20));
  await send(request(1, 200));
  await send(request(2, 60, { projected_roi: null, purpose: null, to_address: '0xccc' }));
  await send({ type: 'DecideHeldSpend', data: { transfer_id: ids[2]!, approve: true, moderator: 'mod-1', reason: null }, now: now(), sign });
  await send({ type: 'RecordTransferSigned', data: { transfer_id: ids[0]!, tx_hash: '0xh0', raw_transaction: '0xraw0', nonce: 0, from_address: '0xaaa' }, now: now() });
  await send({ type: 'RecordTransferBroadcast', data: { transfer_id: ids[0]!, tx_hash: '0xh0' }, now: now() });
  await send({ type: 'RecordTransferConfirmed', data: { transfer_id: ids[0]!, tx_hash: '0xh0', block_number: 7, contract_address: null, fee_wei: '42000000000000', fee_usd: 0.126 }, now: now() });
  await send({ type: 'RecordTransferSigned', data: { transfer_id: ids[2]!, tx_hash: '0xh2', raw_transaction: '0xraw2', nonce: 1, from_address: '0xaaa' }, now: now() });
  await send({ type: 'RecordTransferFailed', data: { transfer_id: ids[2]!, tx_hash: '0xh2', reason: 'reverted' }, now: now() });
  return ids;
}

const snapshot = async (database: Database) =>
  JSON.parse(
    JSON.stringify({
      wallets: await database.db.selectFrom('agent_wallets').selectAll().execute(),
      transactions: await database.db.selectFrom('wallet_transactions').selectAll().orderBy('nonce').execute(),
      ledger: await database.db.selectFrom('cfo_ledger').selectAll().orderBy('created_at').execute(),
      reviews: await database.db.selectFrom('financial_reviews').selectAll().execute(),
    }),
  );

for (const target of testDatabaseTargets) {
  describeOn(target, 'money read models', () => {
    const log = suiteStore(target);

    it('keep every CFO decision, the wallet, the transactions from pending to confirmed or failed, and rebuild the same', async () => {
      const ids = await scenario(log.store);
      const runner = new ProjectionRunner(log.database, log.store, moneyReadModels, { batchSize: 3 });
      await runner.start();
      await runner.waitFor(await lastLoggedPosition(log.database));
      await runner.stop();
      const live = await snapshot(log.database);
      assert.deepEqual(live.wallets.map((w: any) => [w.wallet_address, w.encrypted_key_ref]), [['0xaaa', 'hd:1']]);
      assert.deepEqual(live.ledger.map((l: any) => [l.transfer_id, l.decision, l.code]), [
        [ids[0], 'approved', null],
        [ids[1], 'refused', 'budget_exceeded'],
        [ids[2], 'held', null],
        [ids[2], 'approved', null],
      ]);
      assert.ok(live.ledger[0].approval_signature.length > 40);
      assert.deepEqual(live.transactions.map((t: any) => [t.transaction_hash, t.status, t.block_number, t.to_address, t.transaction_type]), [
        ['0xh0', 'confirmed', 7, '0xbbb', 'erc20_transfer'],
        ['0xh2', 'failed', null, '0xccc', 'erc20_transfer'],
      ]);
      assert.deepEqual(live.reviews.map((r: any) => [r.transfer_id, r.status]), [[ids[2], 'approved']]);
      await rebuildProjection(log.database, log.store, moneyReadModels, { batchSize: 100 });
      assert.deepEqual(await snapshot(log.database), live);
    });
  });
}
