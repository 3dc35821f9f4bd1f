import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { handleAgentCommand } from '../commands/handleAgentCommand.ts';
import { startTestChimera, type TestChimera } from '../test/support/testChimera.ts';

// Issue 6, the CFO Judge's decisions over HTTP (what needs no chain): who may ask, what is
// refused and recorded, what goes to the moderators' financial queue.
let chimera: TestChimera;
const to = '0x00000000000000000000000000000000000000b0';
before(async () => {
  chimera = await startTestChimera({}, ['api', 'projector', 'forwarder']);
  const created = await chimera.request('POST', '/agents', { body: { agent_id: 'vault', name: 'Vault', soul_md: '#', budget: { daily_usd: 100, total_usd: 1000 } } });
  assert.equal(created.status, 201);
  // The wallet as the wallet issuer records it (the chain is not needed for decisions).
  const wallet = await handleAgentCommand(chimera.running.store, 'vault', { type: 'CreateWallet', data: { address: '0x00000000000000000000000000000000000000a0', network: 'local', key_reference: 'hd:1' }, now: new Date().toISOString() }, { actor: { sub: 'spec', role: 'service' }, correlationId: 'spec' });
  assert.ok(wallet.ok);
});
after(async () => {
  await chimera?.close();
});

const stream = async () => (await chimera.running.store.readStream('agent-vault')).events.map((e) => e.type);

it('lets only operators and services ask for a transfer', async () => {
  const before = await stream();
  const viewer = await chimera.request('POST', '/wallet/vault/transfer', { as: 'viewer', body: { to_address: to, amount: 1, currency: 'USDC' } });
  assert.equal(viewer.status, 403);
  assert.equal(viewer.body.error.code, 'forbidden');
  assert.deepEqual(await stream(), before, 'nothing recorded');
});

it('refuses beyond the budget (E1001) and under the ROI hurdle, records the refusal, sends nothing', async () => {
  const over = await chimera.request('POST', '/wallet/vault/transfer', { body: { to_address: to, amount: 150, currency: 'USDC', purpose: 'ads', projected_roi: 3 } });
  assert.equal(over.status, 422);
  assert.equal(over.body.error.code, 'budget_exceeded');
  assert.match(over.body.error.message, /E1001/);
  const roi = await chimera.request('POST', '/wallet/vault/transfer', { body: { to_address: to, amount: 5, currency: 'USDC', purpose: 'ads', projected_roi: 1.2 } });
  assert.equal(roi.status, 422);
  assert.equal(roi.body.error.details.reason, 'roi_too_low');
  const huge = await chimera.request('POST', '/wallet/vault/transfer', { body: { to_address: to, amount: 4, currency: 'ETH', purpose: 'ads', projected_roi: 3 } });
  assert.equal(huge.body.error.details.reason, 'amount_too_large', '4 ETH at $3,000 is above $10,000');
  const events = await stream();
  assert.equal(events.filter((t) => t === 'SpendRefused').length, 3);
  assert.equal(events.filter((t) => t.startsWith('Transfer')).length, 0, 'nothing signed or sent');
  const ledger = await chimera.until(async () => {
    const rows = await chimera.running.database.db.selectFrom('cfo_ledger').select(['decision', 'code']).where('agent_id', '=', 'vault').execute();
    return rows.length === 3 && rows;
  }, 10_000, 'three ledger rows');
  assert.deepEqual(ledger.map((r) => r.code).sort(), ['amount_too_large', 'budget_exceeded', 'roi_too_low']);
  assert.equal((await chimera.request('POST', '/wallet/vault/transfer', { body: { to_address: to, amount: 1, currency: 'USDC', requires_cfo_approval: false } })).status, 400);
});

it('holds a risky spend for a moderator, who can reject it', async () => {
  const held = await chimera.request('POST', '/wallet/vault/transfer', { body: { to_address: '0x00000000000000000000000000000000000000c0', amount: 90, currency: 'USDC' } });
  assert.equal(held.status, 202, JSON.stringify(held.body));
  assert.equal(held.body.status, 'held');
  const item = await chimera.until(async () => {
    const r = await chimera.request('GET', '/dashboard/hitl-queue?filter=financial', { as: 'moderator' });
    return (r.body.items as any[]).find((i) => i.review_id === held.body.review_id);
  }, 10_000, 'the financial item');
  assert.equal(item.hitl_category, 'financial');
  assert.ok(item.risk_score > 0.7);
  const rejected = await chimera.request('POST', `/dashboard/hitl-queue/${held.body.review_id}/reject`, { as: 'moderator', body: { reviewer_id: 'moderator-1', reason: 'unknown recipient' } });
  assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
  assert.equal((await chimera.request('POST', `/dashboard/hitl-queue/${held.body.review_id}/reject`, { as: 'moderator', body: { reviewer_id: 'moderator-1', reason: 'again' } })).status, 409);
  const events = await stream();
  assert.equal(events.at(-1), 'SpendRefused');
  assert.equal(events.filter((t) => t.startsWith('Transfer')).length, 0, 'a refused spend is never sent');
});

it('validates an off-chain spend (seed 000 §2.3.3): approved, refused or held on the record, and its cost recorded when approved', async () => {
  await chimera.request('POST', '/agents', { body: { agent_id: 'adbuyer', name: 'Ad buyer', soul_md: '#', budget: { daily_usd: 50, total_usd: 500 } } });
  const ask = (amount: number, extra: Record<string, unknown> = {}, as: 'service' | 'viewer' | 'operator' = 'service') =>
    chimera.request('POST', '/judge/cfo/validate-transaction', {
      as,
      body: { transaction_request: { agent_id: 'adbuyer', amount, currency: 'USD', purpose: 'boost the launch post', recipient: 'Meta Ads', on_chain: false, projected_roi: 2.5, ...extra } },
    });
  const approved = await ask(20);
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.deepEqual([approved.body.approved, approved.body.decision, approved.body.budget_updates.agent_budget_remaining], [true, 'approved', 30]);
  assert.match(approved.body.approval_id, /^[0-9a-f-]{36}$/);
  const over = await ask(40);
  assert.equal(over.status, 200);
  assert.deepEqual([over.body.approved, over.body.code, over.body.budget_updates.agent_budget_remaining], [false, 'budget_exceeded', 30]);
  assert.match(over.body.reason, /E1001/);
  const low = await ask(5, { projected_roi: 1.1 });
  assert.deepEqual([low.body.approved, low.body.code], [false, 'roi_too_low']);
  const risky = await ask(25, { projected_roi: undefined, recipient: 'a new agency' });
  assert.equal(risky.status, 202, JSON.stringify(risky.body));
  assert.equal(risky.body.decision, 'held');

  const before = await chimera.running.store.readStream('agent-adbuyer');
  for (const [status, response] of [
    [400, await ask(5, { currency: 'ETH' })],
    [400, await ask(5, { on_chain: true, currency: 'USDC', recipient: 'not an address' })],
    [400, await ask(-5)],
    [400, await ask(5, { purpose: '' })],
    [403, await ask(5, {}, 'viewer')],
    [404, await chimera.request('POST', '/judge/cfo/validate-transaction', { body: { transaction_request: { agent_id: 'nobody', amount: 1, currency: 'USD', purpose: 'p', recipient: 'r', on_chain: false } } })],
  ] as const) {
    assert.equal(response.status, status, JSON.stringify(response.body));
    assert.ok(response.body.error.code && response.body.error.message, 'the seed error format');
  }
  assert.equal((await chimera.running.store.readStream('agent-adbuyer')).events.length, before.events.length, 'bad requests change nothing');
  const types = before.events.map((e) => e.type).filter((t) => t.startsWith('Spend') || t === 'CostIncurred');
  assert.deepEqual(types, ['SpendApproved', 'CostIncurred', 'SpendRefused', 'SpendRefused', 'SpendHeld']);

  const cost = await chimera.until(async () => {
    const r = await chimera.request('GET', '/dashboard/cost-metrics?agent_id=adbuyer', { as: 'viewer' });
    return r.body.total_cost > 0 && r.body;
  }, 10_000, 'the approved spend in the cost metrics');
  assert.equal(cost.cost_by_category.transactions, 20);
  assert.equal(cost.total_cost, 20, 'refused and held spends cost nothing');
});

it('keeps an agent within the weekly and monthly budgets an operator sets', async () => {
  await chimera.request('POST', '/agents', { body: { agent_id: 'weekly', name: 'Weekly', soul_md: '#', budget: { daily_usd: 100, total_usd: 1000 } } });
  const set = await chimera.request('PUT', '/agents/weekly/budget', { body: { weekly_usd: 30, monthly_usd: 500 } });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.deepEqual(set.body.budget, { daily_usd: 100, weekly_usd: 30, monthly_usd: 500, total_usd: 1000 });
  assert.equal((await chimera.request('PUT', '/agents/weekly/budget', { as: 'viewer', body: { weekly_usd: 1 } })).status, 403);
  assert.equal((await chimera.request('PUT', '/agents/weekly/budget', { body: { weekly_usd: -1 } })).status, 400);
  assert.equal((await chimera.request('PUT', '/agents/weekly/budget', { body: { weekly_usd: 30, input_state_version: 1 } })).status, 409, 'a stale version');
  const ask = (amount: number) =>
    chimera.request('POST', '/judge/cfo/validate-transaction', {
      as: 'service',
      body: { transaction_request: { agent_id: 'weekly', amount, currency: 'USD', purpose: 'sponsored story', recipient: 'Meta Ads', on_chain: false, projected_roi: 2 } },
    });
  assert.equal((await ask(5)).body.approved, true);
  const first = await ask(20);
  assert.equal(first.body.approved, true, JSON.stringify(first.body));
  assert.equal(first.body.budget_updates.agent_budget_remaining, 5, 'the week is the tightest window now');
  const over = await ask(10);
  assert.deepEqual([over.body.approved, over.body.code], [false, 'budget_exceeded']);
  assert.match(over.body.reason, /weekly budget \(\$5\)/);
  const lifted = await chimera.request('PUT', '/agents/weekly/budget', { body: { weekly_usd: null } });
  assert.deepEqual(lifted.body.budget, { daily_usd: 100, weekly_usd: null, monthly_usd: 500, total_usd: 1000 });
  assert.equal((await ask(10)).body.approved, true, 'no weekly limit any more');
});
