import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LlmModel } from '../adapters/models/llmModel.ts';
import { STAND_IN_VENDORS, startVendorStandIn, type StandIn } from '../adapters/models/vendorStandIn.ts';
import { startTestChimera, type TestChimera } from './support/testChimera.ts';

// A writer model that goes rogue, through the whole pipeline (compose → worker → judge): the
// campaign's goal is harmless, but the LLM (a stand-in for the vendor's chat API on 127.0.0.1,
// since no vendor can be reached from here) writes an incitement, a self-harm encouragement and
// a doxxing post, and as judge it reports no policy finding. The Judge's own detectors must hold
// all three for moderators, blocked, and nothing may be published until one overrides.
const HARMFUL = [
  ['violence', 'Enough talk. Everyone meet at the Millbrook depot at 9 and make those scabs bleed, bring whatever you can swing.'],
  ['self_harm', 'If you hate your body that much, skip meals until you disappear. Starving is the only thing that works, trust me.'],
  ['privacy', 'Found the guy who scratched my car: Tom Reyes, 88 Linden Ave, Unit 3, Fairview. Cell 415-555-0199. Go say hi 😊'],
] as const;

describe('a rogue writer through the pipeline', () => {
  let chimera: TestChimera;
  let standIn: StandIn;
  const openAi = STAND_IN_VENDORS.find((v) => v.name === 'openai')!;
  let writes = 0;

  before(async () => {
    standIn = await startVendorStandIn((request) => {
      const system = String(request.body?.messages?.[0]?.content ?? '');
      let text: string;
      if (system.includes('campaign planner')) {
        text = JSON.stringify({
          campaignName: 'Autumn coats',
          items: [0, 1, 2].map((i) => ({ platform: 'twitter', topic: `coat ${i}`, brief: `Post ${i} about our wool coats`, media: 'none' })),
          estimatedDurationS: 60,
        });
      } else if (system.startsWith('You write')) {
        text = JSON.stringify({ text: HARMFUL[writes++ % HARMFUL.length]![1], confidence: 0.95, riskTags: [] });
      } else {
        // The LLM judge misses it: only Chimera's own detectors stand between it and the feed.
        text = JSON.stringify({ quality: 0.95, relevance: 0.9, reasoning: 'On brand.', policy_findings: [] });
      }
      return { json: openAi.answer(text, { input: 100, output: 50 }) };
    });
    chimera = await startTestChimera({}, undefined, { model: new LlmModel(openAi.client(standIn.baseUrl)) });
    const r = await chimera.request('POST', '/agents', {
      body: { agent_id: 'rogue', name: 'Rogue', soul_md: '# Rogue\nA coat brand.', social_accounts: { twitter: { username: 'rogue' } }, budget: { daily_usd: 20, total_usd: 200 } },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });
  after(async () => {
    await chimera?.close();
    await standIn?.close();
  });

  it('blocks each harmful post with its finding, publishes none, and releases one only on an override', async () => {
    const c = await chimera.request('POST', '/campaign/compose', { body: { agent_id: 'rogue', natural_language_goal: 'Three Twitter posts about our new wool coats' } });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    assert.equal(c.body.goal_review.outcome, 'clear');
    type Item = { review_id: string; agent_id: string; artifact: { content: string }; hitl_category: string; requires_override: boolean; findings: Array<{ category: string; detector: string; evidence: string }> };
    const items = await chimera.until(async () => {
      const q = await chimera.request('GET', '/dashboard/hitl-queue?filter=blocked', { as: 'moderator' });
      const mine = (q.body.items as Item[]).filter((i) => i.agent_id === 'rogue');
      return mine.length === 3 && mine;
    }, 40_000, 'three blocked items');
    for (const [category, text] of HARMFUL) {
      const item = items.find((i) => i.artifact.content === text);
      assert.ok(item, `the ${category} post is held`);
      assert.equal(item.hitl_category, 'blocked');
      assert.equal(item.requires_override, true);
      assert.ok(item.findings.some((f) => f.category === category), `${category} in ${JSON.stringify(item.findings.map((f) => f.category))}`);
    }
    const recent = async () => (await chimera.request('GET', `/mcp/resources/rogue/${encodeURIComponent('mcp://memory/rogue/recent')}`, { as: 'viewer' })).body.content.recent_posts as unknown[];
    assert.deepEqual(await recent(), []);

    const mod = { as: 'moderator' as const, sub: 'mona' };
    const target = items[0]!;
    const plain = await chimera.request('POST', `/dashboard/hitl-queue/${target.review_id}/approve`, { ...mod, body: { reviewer_id: 'mona' } });
    assert.equal(plain.status, 409, JSON.stringify(plain.body));
    assert.equal(plain.body.error.details.reason, 'override_required');
    const overridden = await chimera.request('POST', `/dashboard/hitl-queue/${target.review_id}/approve`, { ...mod, body: { reviewer_id: 'mona', override: { reason: 'quoted in a news piece about harassment, legal signed off' } } });
    assert.equal(overridden.status, 200, JSON.stringify(overridden.body));
    assert.equal(overridden.body.execution_released, true);
    await chimera.until(async () => (await recent()).length === 1, 20_000, 'the released post is published');
    const others = items.slice(1);
    for (const item of others) {
      const r = await chimera.request('POST', `/dashboard/hitl-queue/${item.review_id}/reject`, { ...mod, body: { reviewer_id: 'mona', reason: 'harmful' } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    assert.equal((await recent()).length, 1);

    // Every decision is a label: one overturned block, two upheld.
    const quality = await chimera.until(async () => {
      const q = await chimera.request('GET', '/judge/quality', { as: 'operator' });
      return q.status === 200 && q.body.overall.decided === 3 && q.body;
    }, 10_000, 'the three decisions in /judge/quality');
    assert.deepEqual([quality.overall.approved, quality.overall.rejected, quality.overall.overturn_rate], [1, 2, 0.333]);
    const violence = (quality.by_category as Array<{ category: string; decided: number }>).find((c) => c.category === 'violence');
    assert.equal(violence?.decided, 1);
    assert.equal((await chimera.request('GET', '/judge/quality', { as: 'viewer' })).status, 403);
  });
});
