import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalModel } from './localModel.ts';
import type { Persona, WriteInput } from './modelPort.ts';

const model = new LocalModel();
const nova: Persona = {
  agentId: 'agent-nova',
  personaName: 'Nova',
  soulMd: ['# Voice', 'Tone: warm, playful, never sarcastic.', 'Use emoji sparingly; hashtags welcome, e.g. #SlowFashion', "## Don't", '- be rude'].join('\n'),
  policyVersion: 'v1',
};
const GOAL = 'Promote our summer collection on Twitter and Instagram to Gen Z, 3 posts about sustainable fabrics';
const withoutDuration = <T extends { call: { durationMs: number } }>(answer: T) => ({ ...answer, call: { ...answer.call, durationMs: 0 } });
describe('LocalModel determinism', () => {
  it('answers identical input identically, with the same promptHash, for every purpose', async () => {
    const decompose = { goal: GOAL, persona: nova, platforms: ['threads' as const] };
    const write: WriteInput = { persona: nova, brief: 'A first look at linen shirts', platform: 'instagram', kind: 'post', maxChars: 200 };
    const score = { content: 'Linen shirts for summer ✨', persona: nova, goals: [GOAL] };
    assert.deepEqual(withoutDuration(await model.decompose(decompose)), withoutDuration(await new LocalModel().decompose({ ...decompose })));
    assert.deepEqual(withoutDuration(await model.write(write)), withoutDuration(await new LocalModel().write({ ...write })));
    assert.deepEqual(withoutDuration(await model.score(score)), withoutDuration(await new LocalModel().score({ ...score })));
    const a = await model.write(write);
    const b = await model.write({ ...write, brief: 'A first look at wool coats' });
    assert.match(a.call.promptHash, /^[0-9a-f]{64}$/);
    assert.notEqual(a.call.promptHash, b.call.promptHash);
    assert.deepEqual(
      { provider: a.call.provider, model: a.call.model, purpose: a.call.purpose, costUsd: a.call.costUsd },
      { provider: 'local', model: 'chimera-local-1', purpose: 'write', costUsd: 0 },
    );
    assert.equal(a.call.output, JSON.stringify({ text: a.text, confidence: a.confidence, riskTags: a.riskTags }));
    assert.ok(a.call.inputTokens > 0 && a.call.outputTokens > 0);
  });

  it('hashes the input, not the order its properties were written in', async () => {
    const one = await model.score({ content: 'x y z', persona: nova, goals: ['g'] });
    const two = await model.score({ goals: ['g'], persona: { policyVersion: 'v1', soulMd: nova.soulMd, personaName: 'Nova', agentId: 'agent-nova' }, content: 'x y z' });
    assert.equal(one.call.promptHash, two.call.promptHash);
  });
});

describe('LocalModel.decompose', () => {
  it('reads count, platforms, audience and topic from the goal', async () => {
    const plan = await model.decompose({ goal: GOAL, persona: nova, platforms: ['tiktok'] });
    assert.equal(plan.items.length, 3);
    assert.deepEqual(plan.items.map((i) => i.platform), ['twitter', 'instagram', 'twitter']);
    assert.deepEqual(plan.items.map((i) => i.media), ['none', 'image', 'none']);
    for (const item of plan.items) {
      assert.equal(item.topic, 'sustainable fabrics');
      assert.match(item.brief, /sustainable fabrics/);
    }
    assert.ok(plan.items.some((i) => i.brief.includes('Gen Z')));
    assert.equal(plan.campaignName, 'Summer Collection: Sustainable Fabrics');
    assert.equal(plan.estimatedDurationS, 60 + 150 + 60);
  });

  it('uses the given platforms when the goal names none, one item each, capped by maxItems', async () => {
    const plan = await model.decompose({ goal: 'Celebrate our 10k milestone', persona: nova, platforms: ['threads', 'twitter', 'instagram'], maxItems: 2 });
    assert.deepEqual(plan.items.map((i) => i.platform), ['threads', 'twitter']);
    const many = await model.decompose({ goal: 'Share 12 posts about coffee on Twitter', persona: nova, platforms: [] });
    assert.equal(many.items.length, 3);
    const words = await model.decompose({ goal: 'Tease the album for fans, two posts each on X and Threads', persona: nova, platforms: [], maxItems: 10 });
    assert.deepEqual(words.items.map((i) => i.platform), ['twitter', 'threads', 'twitter', 'threads']);
    assert.match(words.items[0]!.brief, /fans/);
  });

  it('picks video for TikTok and video words, image for Instagram and visual words', async () => {
    const tiktok = await model.decompose({ goal: 'Launch the sneaker drop on TikTok', persona: nova, platforms: [] });
    assert.deepEqual(tiktok.items.map((i) => i.media), ['video']);
    const reel = await model.decompose({ goal: 'Announce the tour with a reel', persona: nova, platforms: ['twitter'] });
    assert.deepEqual(reel.items.map((i) => i.media), ['video']);
    const look = await model.decompose({ goal: 'Show the autumn look to students, 2 posts', persona: nova, platforms: ['twitter'] });
    assert.deepEqual(look.items.map((i) => i.media), ['image', 'image']);
    const text = await model.decompose({ goal: 'Announce our opening hours', persona: nova, platforms: ['threads'] });
    assert.deepEqual(text.items.map((i) => i.media), ['none']);
  });

  it('takes an explicit audience over the goal, and estimates more time for media', async () => {
    const plan = await model.decompose({ goal: 'Promote the summer sale to students, 3 posts', persona: nova, platforms: ['twitter'], audience: 'night owls' });
    assert.ok(plan.items.every((i) => !i.brief.includes('students')));
    assert.ok(plan.items.some((i) => i.brief.includes('night owls')));
    const video = await model.decompose({ goal: 'Promote the summer sale, 3 videos', persona: nova, platforms: ['twitter'] });
    assert.ok(video.estimatedDurationS > plan.estimatedDurationS);
  });
});
