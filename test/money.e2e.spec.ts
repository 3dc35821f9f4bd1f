import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, it } from 'node:test';
import { canonicalJson } from '../domain/judge/commitHash.ts';
import { startTestChimera, type TestChimera } from './support/testChimera.ts';

// Issue 6's acceptance over HTTP on the embedded default: every new agent gets a funded
// wallet on the local dev chain; a transfer the CFO approves is mined; a budget that covers
// ten of a hundred racing transfers approves exactly ten.
let chimera: TestChimera;
before(async () => {
  chimera = await startTestChimera();
});
after(async () => {
  await chimera?.close();
});

const createAgent = async (agentId: string, dailyUsd: number) => {
  const r = await chimera.request('POST', '/agents', { body: { agent_id: agentId, name: agentId, soul_md: '#', budget: { daily_usd: dailyUsd, total_usd: dailyUsd * 10 } } });
  assert.equal(r.status, 201);
  return chimera.until(async () => {
    const b = await chimera.request('GET', `/wallet/${agentId}/balance`, { as: 'viewer' });
    return b.status === 200 && b.body.balances[1].amount > 0 && b.body;
  }, 60_000, `the wallet of ${agentId}`);
};
const usdc = (balance: any) => balance.balances.find((b: any) => b.currency === 'USDC').amount_exact as string;
const eth = (balance: any) => balance.balances.find((b: any) => b.currency === 'ETH').amount_exact as string;
const balanceOf = async (agentId: string) => (await chimera.request('GET', `/wallet/${agentId}/balance`, { as: 'viewer' })).body;

it('mines a transfer within budget, and both balances change by the amount', { timeout: 120_000 }, async () => {
  const payer = await createAgent('payer', 100);
  const payee = await createAgent('payee', 100);
  assert.match(payer.wallet_address, /^0x[0-9a-fA-F]{40}$/);
  assert.notEqual(payer.wallet_address, payee.wallet_address);
  const transfer = await chimera.request('POST', '/wallet/payer/transfer', { body: { to_address: payee.wallet_address, amount: 12.5, currency: 'USDC', purpose: 'paid a designer', projected_roi: 2 } });
  assert.equal(transfer.status, 200, JSON.stringify(transfer.body));
  assert.equal(transfer.body.status, 'confirmed');
  assert.match(transfer.body.transaction_hash, /^0x[0-9a-f]{64}$/);
  assert.ok(transfer.body.block_number > 0);
  const [afterPayer, afterPayee] = [await balanceOf('payer'), await balanceOf('payee')];
  assert.equal(Number(usdc(payer)) - Number(usdc(afterPayer)), 12.5);
  assert.equal(Number(usdc(afterPayee)) - Number(usdc(payee)), 12.5);

  const ethTransfer = await chimera.request('POST', '/wallet/payer/transfer', { body: { to_address: payee.wallet_address, amount: '0.001', currency: 'ETH', purpose: 'gas money', projected_roi: 2 } });
  assert.equal(ethTransfer.status, 200, JSON.stringify(ethTransfer.body));
  const payeeEth = await balanceOf('payee');
  assert.equal(Math.round((Number(eth(payeeEth)) - Number(eth(afterPayee))) * 1e6) / 1e6, 0.001);

  const recorded = await chimera.until(async () => {
    const rows = await chimera.running.database.db.selectFrom('wallet_transactions').selectAll().where('agent_id', '=', 'payer').execute();
    return rows.length === 2 && rows.every((r) => r.status === 'confirmed') && rows;
  }, 20_000, 'both transactions confirmed in the read model');
  assert.deepEqual(recorded.map((r) => r.transaction_type).sort(), ['erc20_transfer', 'native_transfer']);
});

it('approves exactly the ten of a hundred racing transfers that the budget covers, and never spends more', { timeout: 240_000 }, async () => {
  await createAgent('burst', 100);
  const payee = await createAgent('sink', 100);
  const before = Number(usdc(payee));
  const responses = await Promise.all(
    Array.from({ length: 100 }, () =>
      chimera.request('POST', '/wallet/burst/transfer', { body: { to_address: payee.wallet_address, amount: 10, currency: 'USDC', purpose: 'ad spend', projected_roi: 2 } }),
    ),
  );
  const byStatus = responses.reduce<Record<number, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});
  assert.deepEqual(byStatus, { 200: 10, 422: 90 }, JSON.stringify(responses.find((r) => r.status !== 200 && r.status !== 422)?.body));
  assert.ok(responses.filter((r) => r.status === 422).every((r) => r.body.error.code === 'budget_exceeded'));
  assert.ok(responses.filter((r) => r.status === 200).every((r) => r.body.status === 'confirmed'));
  assert.equal(Number(usdc(await balanceOf('sink'))) - before, 100, 'the recipient got exactly the budget');
  const events = (await chimera.running.store.readStream('agent-burst')).events;
  assert.equal(events.filter((e) => e.type === 'SpendApproved').length, 10);
  assert.equal(events.filter((e) => e.type === 'SpendRefused').length, 90);
  assert.equal(events.filter((e) => e.type === 'TransferConfirmed').length, 10);
});

it('deploys a real ERC-20 from the agent wallet, whose totalSupply reads back as asked', { timeout: 120_000 }, async () => {
  await createAgent('minter', 50);
  const deployed = await chimera.request('POST', '/wallet/minter/deploy-token', { body: { token_name: 'Minter Fan Token', token_symbol: 'MINT', total_supply: 1_000_000 } });
  assert.equal(deployed.status, 201, JSON.stringify(deployed.body));
  assert.match(deployed.body.token_address, /^0x[0-9a-fA-F]{40}$/);
  assert.equal(deployed.body.status, 'confirmed');
  assert.equal(deployed.body.total_supply, '1000000');
  assert.equal(deployed.body.decimals, 18);
  const events = (await chimera.running.store.readStream('agent-minter')).events.map((e) => e.type);
  assert.deepEqual(events.filter((t) => t.startsWith('Spend') || t.startsWith('Transfer')), ['SpendApproved', 'TransferSigned', 'TransferBroadcast', 'TransferConfirmed']);
  const viewer = await chimera.request('POST', '/wallet/minter/deploy-token', { as: 'viewer', body: { token_name: 'X', token_symbol: 'X', total_supply: 1 } });
  assert.equal(viewer.status, 403);
});

it('mines a held spend once a moderator approves it, and records its cost with the gas', { timeout: 120_000 }, async () => {
  await createAgent('patron', 100);
  const artist = await createAgent('artist', 100);
  // No purpose, no projected ROI, a first payment to this address, most of the day's budget:
  // risk above 0.7, so a moderator decides.
  const held = await chimera.request('POST', '/wallet/patron/transfer', { body: { to_address: artist.wallet_address, amount: 80, currency: 'USDC' } });
  assert.equal(held.status, 202, JSON.stringify(held.body));
  assert.equal(Number(usdc(await balanceOf('artist'))), Number(usdc(artist)), 'nothing moves while it is held');
  await chimera.until(async () => {
    const queue = await chimera.request('GET', '/dashboard/hitl-queue?filter=financial', { as: 'moderator' });
    return (queue.body.items as Array<{ review_id: string }>).some((i) => i.review_id === held.body.review_id);
  }, 20_000, 'the spend in the financial queue');
  const operator = await chimera.request('POST', `/dashboard/hitl-queue/${held.body.review_id}/approve`, { body: { reviewer_id: 'op-1' } });
  assert.equal(operator.status, 403, 'only moderators decide');
  const approved = await chimera.request('POST', `/dashboard/hitl-queue/${held.body.review_id}/approve`, { as: 'moderator', body: { reviewer_id: 'moderator-1' } });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(Number(usdc(await balanceOf('artist'))) - Number(usdc(artist)), 80, 'paid once approved');
  const types = (await chimera.running.store.readStream('agent-patron')).events.map((e) => e.type).filter((t) => t.startsWith('Spend') || t.startsWith('Transfer') || t === 'CostIncurred');
  assert.deepEqual(types, ['SpendHeld', 'SpendApproved', 'TransferSigned', 'TransferBroadcast', 'TransferConfirmed', 'CostIncurred']);
  const row = await chimera.until(async () => {
    const r = await chimera.running.database.db.selectFrom('wallet_transactions').selectAll().where('transaction_id', '=', held.body.transaction_id).executeTakeFirst();
    return r?.status === 'confirmed' && r;
  }, 20_000, 'the transaction confirmed in the read model');
  assert.equal(row.cfo_approval_id, held.body.cfo_approval_id);
  const cost = await chimera.until(
    () => chimera.running.database.db.selectFrom('cost_events').selectAll().where('event_id', '=', held.body.transaction_id).executeTakeFirst(),
    20_000,
    'the cost event',
  );
  assert.equal(cost.cost_category, 'transactions');
  assert.equal(Number(cost.cost_estimate), 80);
  assert.ok(Number(cost.cost_amount) > 80 && Number(cost.cost_amount) < 81, `80 USDC and the gas: ${cost.cost_amount}`);
});

it('validates an on-chain spend (seed 000 §2.3.3): the approval is signed, verifiable with the public key, and then mined', { timeout: 120_000 }, async () => {
  await createAgent('buyer', 100);
  const seller = await createAgent('seller', 100);
  const validated = await chimera.request('POST', '/judge/cfo/validate-transaction', {
    as: 'service',
    body: {
      transaction_request: { agent_id: 'buyer', amount: 15, currency: 'USDC', purpose: 'stock footage', recipient: seller.wallet_address, on_chain: true, projected_roi: 2 },
      budget_context: { agent_budget_remaining: 100, global_budget_remaining: 1000 },
    },
  });
  assert.equal(validated.status, 200, JSON.stringify(validated.body));
  assert.equal(validated.body.approved, true);
  assert.equal(validated.body.budget_updates.agent_budget_remaining, 85);
  const row = await chimera.until(async () => {
    const r = await chimera.running.database.db.selectFrom('wallet_transactions').selectAll().where('transaction_id', '=', validated.body.transaction_id).executeTakeFirst();
    return r?.status === 'confirmed' && r;
  }, 30_000, 'the approved spend mined');
  assert.equal(row.cfo_approval_id, validated.body.approval_id);
  assert.equal(Number(usdc(await balanceOf('seller'))) - Number(usdc(seller)), 15);

  const key = await chimera.request('GET', '/judge/cfo/public-key', { as: 'viewer' });
  assert.equal(key.status, 200);
  const event = (await chimera.running.store.readStream('agent-buyer')).events.find((e) => e.type === 'SpendApproved')!;
  const { approval_signature, ...decision } = event.data as { approval_signature: string };
  assert.equal(approval_signature, validated.body.approval_signature);
  const publicKey = createPublicKey(key.body.public_key_pem);
  assert.ok(verify(null, Buffer.from(canonicalJson(decision)), publicKey, Buffer.from(approval_signature, 'base64')), 'the signature verifies');
  assert.equal(verify(null, Buffer.from(canonicalJson({ ...decision, amount: '150' })), publicKey, Buffer.from(approval_signature, 'base64')), false, 'and only for what was approved');
});
