import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
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
