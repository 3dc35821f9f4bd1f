import assert from 'node:assert/strict';
import { generateKeyPairSync, sign as ed25519Sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { agentStreamDecider, type AgentStreamCommand, type AgentStreamEvent } from '../agentStream.ts';
import { canonicalJson } from '../judge/commitHash.ts';
import { DEFAULT_CFO_POLICY } from './cfoPolicy.ts';
import type { SpendApproved } from './moneyEvents.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const sign = (message: string) => ed25519Sign(null, Buffer.from(message), privateKey).toString('base64');
const at = '2026-11-25T10:00:00.000Z'; // a Wednesday
const hoursLater = (h: number) => new Date(Date.parse(at) + h * 3_600_000).toISOString();

const created: AgentStreamEvent = {
  type: 'AgentCreated',
  data: { agent_id: 'nova', name: 'Nova', persona_name: 'Nova', soul_md: '#', policy_version: 'v1', social_accounts: {}, budget: { daily_usd: 100, total_usd: 1000 }, at },
};
const wallet: AgentStreamEvent = { type: 'WalletCreated', data: { address: '0xaaa', network: 'local', key_reference: 'hd:7', at } };

let n = 0;
const spend = (amount_usd: number, extra: Partial<Extract<AgentStreamCommand, { type: 'RequestSpend' }>['data']> = {}, now = at): AgentStreamCommand => ({
  type: 'RequestSpend',
  data: {
    transfer_id: `t-${++n}`,
    approval_id: `a-${n}`,
    review_id: `r-${n}`,
    kind: 'transfer',
    to_address: '0xbbb',
    asset: 'USDC',
    amount: String(amount_usd),
    amount_usd,
    campaign_id: null,
    purpose: 'paid a designer',
    projected_roi: 2,
    global_refusal: null, token: null,
    ...extra,
  },
  now,
  policy: DEFAULT_CFO_POLICY,
  sign,
});

function run(history: AgentStreamEvent[], command: AgentStreamCommand) {
  const state = history.reduce(agentStreamDecider.evolve, agentStreamDecider.initialState());
  const decision = agentStreamDecider.decide(command, state);
  if (!decision.ok) assert.fail(`refused: ${decision.error.code}`);
  return decision.events;
}
const only = (events: AgentStreamEvent[]) => {
  assert.equal(events.length, 1);
  return events[0]! as Extract<AgentStreamEvent, { type: 'SpendApproved' | 'SpendRefused' | 'SpendHeld' }>;
};

describe('the CFO Judge', () => {
  it('approves a spend within budget with a signature anyone with the public key can verify', () => {
    const approved = only(run([created, wallet], spend(10)));
    assert.equal(approved.type, 'SpendApproved');
    const { approval_signature, ...decision } = approved.data as SpendApproved;
    assert.ok(verify(null, Buffer.from(canonicalJson(decision)), publicKey, Buffer.from(approval_signature, 'base64')));
    assert.equal(verify(null, Buffer.from(canonicalJson({ ...decision, amount_usd: 1000 })), publicKey, Buffer.from(approval_signature, 'base64')), false);
    assert.deepEqual(approved.data.budget_remaining, { daily: 90, weekly: null, monthly: null, total: 990, campaign: null });
  });

  it('refuses over the largest transaction, under the ROI hurdle, and beyond a budget (E1001), on the record', () => {
    const big = only(run([created, wallet], spend(10_001)));
    assert.deepEqual([big.type, (big.data as { code: string }).code], ['SpendRefused', 'amount_too_large']);
    const roi = only(run([created, wallet], spend(10, { projected_roi: 1.4 })));
    assert.deepEqual([roi.type, (roi.data as { code: string }).code], ['SpendRefused', 'roi_too_low']);
    const over = only(run([created, wallet], spend(100.01)));
    assert.equal((over.data as { code: string }).code, 'budget_exceeded');
    assert.match((over.data as { reason: string }).reason, /daily budget \(\$100\).*E1001/);
  });

  it('approves exactly what the budget covers out of many requests, and never more', () => {
    let history: AgentStreamEvent[] = [created, wallet];
    const outcomes: string[] = [];
    for (let i = 0; i < 100; i++) {
      const events = run(history, spend(10));
      outcomes.push(events[0]!.type);
      history = [...history, ...events];
    }
    assert.equal(outcomes.filter((t) => t === 'SpendApproved').length, 10);
    assert.equal(outcomes.filter((t) => t === 'SpendRefused').length, 90);
    const spent = history.filter((e) => e.type === 'SpendApproved').reduce((sum, e) => sum + (e.data as SpendApproved).amount_usd, 0);
    assert.ok(spent <= 100);
  });

  it('counts the day, week and month in UTC calendar windows, and a failed transfer not at all', () => {
    const withLimits = [created, wallet, { type: 'BudgetsSet', data: { daily_usd: 50, weekly_usd: 70, monthly_usd: null, at } } as AgentStreamEvent];
    const monday = run(withLimits, spend(40, {}, '2026-11-23T09:00:00.000Z'));
    const tuesday = run([...withLimits, ...monday], spend(40, {}, '2026-11-24T09:00:00.000Z'));
    assert.equal((only(tuesday).data as { code: string }).code, 'budget_exceeded', 'the week has 30 left');
    const thirty = only(run([...withLimits, ...monday], spend(30, {}, '2026-11-24T09:00:00.000Z')));
    assert.equal(thirty.type, 'SpendApproved');
    const nextMonday = only(run([...withLimits, ...monday], spend(50, {}, '2026-11-30T09:00:00.000Z')));
    assert.equal(nextMonday.type, 'SpendApproved');
    const failed: AgentStreamEvent = { type: 'TransferFailed', data: { transfer_id: (monday[0]!.data as SpendApproved).transfer_id, tx_hash: null, reason: 'reverted', at } };
    assert.equal(only(run([...withLimits, ...monday, failed], spend(50, {}, '2026-11-23T12:00:00.000Z'))).type, 'SpendApproved');
  });

  it('records a refusal of the global budget, after its own rules', () => {
    const global = only(run([created, wallet], spend(10, { global_refusal: 'the global daily budget ($5) (E1001)' })));
    assert.deepEqual([global.type, (global.data as { code: string }).code], ['SpendRefused', 'budget_exceeded']);
    const big = only(run([created, wallet], spend(20_000, { global_refusal: 'the global daily budget ($5) (E1001)' })));
    assert.equal((big.data as { code: string }).code, 'amount_too_large');
  });

  it('keeps a campaign within its own budget', () => {
    const campaign: AgentStreamEvent = {
      type: 'CampaignAdded',
      data: { campaign: { campaign_id: 'c-1', name: 'Ads', description: null, status: 'active', budget_limit: 15, budget_remaining: 15 }, at },
    };
    const first = run([created, wallet, campaign], spend(10, { campaign_id: 'c-1' }));
    const second = only(run([created, wallet, campaign, ...first], spend(10, { campaign_id: 'c-1' })));
    assert.match((second.data as { reason: string }).reason, /campaign budget \(\$5\)/);
  });

  it('limits how many spends fit in the sliding window', () => {
    let history: AgentStreamEvent[] = [{ ...created, data: { ...(created.data as object), budget: { daily_usd: 1_000_000, total_usd: 1_000_000 } } } as AgentStreamEvent, wallet];
    for (let i = 0; i < DEFAULT_CFO_POLICY.rate_limit; i++) history = [...history, ...run(history, spend(1, {}, hoursLater(i / 100)))];
    const limited = only(run(history, spend(1, {}, hoursLater(0.9))));
    assert.equal((limited.data as { code: string }).code, 'rate_limit_exceeded');
    assert.equal(only(run(history, spend(1, {}, hoursLater(1.6)))).type, 'SpendApproved', 'an hour later the window has moved on');
  });

  it('sends a risky spend to a moderator, whose decision is recorded and signed', () => {
    const held = only(run([created, wallet], spend(80, { projected_roi: null, purpose: null, to_address: '0xnew' })));
    assert.equal(held.type, 'SpendHeld');
    assert.ok(held.data.risk_score > DEFAULT_CFO_POLICY.risk_hitl_threshold);
    const decide = (approve: boolean): AgentStreamCommand => ({ type: 'DecideHeldSpend', data: { transfer_id: held.data.transfer_id, approve, moderator: 'mod-1', reason: null }, now: hoursLater(1), sign });
    const approved = only(run([created, wallet, held], decide(true)));
    assert.equal(approved.type, 'SpendApproved');
    assert.equal((approved.data as SpendApproved).approved_by, 'mod-1');
    const rejected = only(run([created, wallet, held], decide(false)));
    assert.deepEqual([rejected.type, (rejected.data as { code: string }).code], ['SpendRefused', 'rejected_by_moderator']);
    // Held, the spend already counts against the budget: no second spend slips past it.
    assert.equal((only(run([created, wallet, held], spend(30))).data as { code: string }).code, 'budget_exceeded');
  });

  it('records one signed transaction per approved spend, at the wallet\'s next nonce', () => {
    const approved = run([created, wallet], spend(10));
    const transferId = (approved[0]!.data as SpendApproved).transfer_id;
    const signedAt = (nonce: number, tx_hash = '0xh1'): AgentStreamCommand => ({ type: 'RecordTransferSigned', data: { transfer_id: transferId, tx_hash, raw_transaction: '0xraw', nonce, from_address: '0xaaa' }, now: at });
    const state = [...[created, wallet], ...approved].reduce(agentStreamDecider.evolve, agentStreamDecider.initialState());
    const wrongNonce = agentStreamDecider.decide(signedAt(3), state);
    assert.equal(wrongNonce.ok ? null : wrongNonce.error.code, 'nonce_taken');
    const signed = run([created, wallet, ...approved], signedAt(0));
    assert.equal(signed[0]!.type, 'TransferSigned');
    assert.deepEqual(run([created, wallet, ...approved, ...signed], signedAt(0)), [], 'the same transaction again is a no-op');
    const other = agentStreamDecider.decide(signedAt(0, '0xh2'), [created, wallet, ...approved, ...signed].reduce(agentStreamDecider.evolve, agentStreamDecider.initialState()));
    assert.equal(other.ok ? null : other.error.code, 'transfer_already_signed');
  });

  it('records the cost of a spend once it happened: on chain with its gas when confirmed, off chain when approved', () => {
    const approved = run([created, wallet], spend(12.5));
    const transferId = (approved[0]!.data as SpendApproved).transfer_id;
    const signed = run([created, wallet, ...approved], { type: 'RecordTransferSigned', data: { transfer_id: transferId, tx_hash: '0xh1', raw_transaction: '0xraw', nonce: 0, from_address: '0xaaa' }, now: at });
    const confirm: AgentStreamCommand = { type: 'RecordTransferConfirmed', data: { transfer_id: transferId, tx_hash: '0xh1', block_number: 3, contract_address: null, fee_wei: '42000000000000', fee_usd: 0.126 }, now: hoursLater(0.1) };
    const confirmed = run([created, wallet, ...approved, ...signed], confirm);
    assert.deepEqual(confirmed.map((e) => e.type), ['TransferConfirmed', 'CostIncurred']);
    assert.deepEqual(confirmed[1]!.data, { cost_id: transferId, task_id: null, campaign_id: null, category: 'transactions', tool_name: 'wallet.transfer', tier: null, amount: 12.626, currency: 'USD', estimate: 12.5, at: hoursLater(0.1) });
    assert.deepEqual(run([created, wallet, ...approved, ...signed, ...confirmed], confirm), [], 'confirmed once, costed once');

    const offChain = run([created, wallet], spend(40, { kind: 'off_chain', asset: null, to_address: 'Meta Ads' }));
    assert.deepEqual(offChain.map((e) => e.type), ['SpendApproved', 'CostIncurred']);
    assert.equal((offChain[1]!.data as { amount: number }).amount, 40);
    assert.deepEqual(run([created, wallet], spend(40, { kind: 'off_chain', asset: null, projected_roi: 1 })).map((e) => e.type), ['SpendRefused'], 'a refusal costs nothing');
    const held = run([created, wallet], spend(80, { kind: 'off_chain', asset: null, projected_roi: null, purpose: null, to_address: 'a stranger' }));
    assert.equal(held[0]!.type, 'SpendHeld');
    const released = run([created, wallet, ...held], { type: 'DecideHeldSpend', data: { transfer_id: (held[0]!.data as { transfer_id: string }).transfer_id, approve: true, moderator: 'mod-1', reason: null }, now: hoursLater(1), sign });
    assert.deepEqual(released.map((e) => e.type), ['SpendApproved', 'CostIncurred']);
  });
});
