import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalModel } from './localModel.ts';
import type { Persona } from './modelPort.ts';

// LocalModel.score: rule-based quality and word-overlap relevance.
const model = new LocalModel();
const nova: Persona = { agentId: 'agent-nova', personaName: 'Nova', soulMd: 'Tone: warm. Use emoji and hashtags.', policyVersion: 'v1' };
const plain: Persona = { ...nova, soulMd: 'Professional. No emoji, no hashtags.' };
const GOAL = 'Promote our summer collection on Twitter and Instagram to Gen Z, 3 posts about sustainable fabrics';

describe('LocalModel.score relevance', () => {
  it('rates on-goal content higher than off-goal content', async () => {
    const on = await model.score({ content: 'Our summer collection is made from sustainable fabrics ✨ #Summer', persona: nova, goals: [GOAL] });
    const partly = await model.score({ content: 'Summer is here ✨ #Summer', persona: nova, goals: [GOAL] });
    const off = await model.score({ content: 'Happy Monday, grab a coffee and relax ✨ #Monday', persona: nova, goals: [GOAL] });
    assert.ok(on.relevance >= 0.75, `${on.relevance}`);
    assert.ok(on.relevance > partly.relevance && partly.relevance > off.relevance, `${on.relevance} ${partly.relevance} ${off.relevance}`);
    assert.equal(off.relevance, 0);
    assert.match(on.reasoning, /sustainable/);
  });

  it('judges against the goal the content serves best, and is neutral without goals', async () => {
    const content = 'Coffee tasting notes from our new roastery ✨ #Coffee';
    const one = await model.score({ content, persona: nova, goals: [GOAL] });
    const two = await model.score({ content, persona: nova, goals: [GOAL, 'Grow the coffee roastery audience'] });
    assert.ok(two.relevance > one.relevance);
    const none = await model.score({ content, persona: nova, goals: [] });
    assert.equal(none.relevance, 0.5);
  });

  it('finds what it writes for a plan relevant to the plan’s goal', async () => {
    const plan = await model.decompose({ goal: GOAL, persona: nova, platforms: [] });
    for (const item of plan.items) {
      const written = await model.write({ persona: nova, brief: item.brief, platform: item.platform, kind: 'post', maxChars: 280 });
      const score = await model.score({ content: written.text, persona: nova, goals: [GOAL] });
      assert.ok(score.relevance >= 0.75, `${score.relevance}: ${written.text}`);
      assert.ok(score.quality >= 0.9, `${score.quality}: ${score.reasoning}`);
    }
  });
});

describe('LocalModel.score quality', () => {
  it('marks shouting, too-short text and empty text down', async () => {
    const calm = await model.score({ content: 'Our summer collection is here, come and see ✨ #Summer', persona: nova, goals: [GOAL] });
    const shouting = await model.score({ content: 'OUR SUMMER COLLECTION IS HERE, COME AND SEE!!! ✨ #Summer', persona: nova, goals: [GOAL] });
    const short = await model.score({ content: 'Hi ✨ #Summer', persona: nova, goals: [GOAL] });
    const empty = await model.score({ content: '  ✨ ', persona: nova, goals: [GOAL] });
    assert.equal(calm.quality, 1);
    assert.ok(shouting.quality < calm.quality - 0.3 + 1e-9, `${shouting.quality}`);
    assert.match(shouting.reasoning, /shouting/);
    assert.ok(short.quality < calm.quality);
    assert.equal(empty.quality, 0);
  });

  it('checks the SOUL.md cues for emoji and hashtags both ways', async () => {
    const bare = 'Our summer collection is here, come and see';
    const dressed = `${bare} ✨ #Summer`;
    const forNova = [await model.score({ content: bare, persona: nova, goals: [] }), await model.score({ content: dressed, persona: nova, goals: [] })];
    const forPlain = [await model.score({ content: bare, persona: plain, goals: [] }), await model.score({ content: dressed, persona: plain, goals: [] })];
    assert.ok(forNova[1]!.quality > forNova[0]!.quality);
    assert.ok(forPlain[0]!.quality > forPlain[1]!.quality);
    assert.match(forPlain[1]!.reasoning, /emoji the persona avoids/);
  });
});
