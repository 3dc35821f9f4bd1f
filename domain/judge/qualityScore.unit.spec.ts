import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { qualityScore } from './qualityScore.ts';

const clean = 'Sunrise hike done. Who else is up early? #hiking #morning';

describe('qualityScore', () => {
  it('given clean text and no model score, is 1 with no findings', () => {
    assert.deepEqual(qualityScore(clean), { score: 1, findings: [] });
  });

  it('given clean text, takes the model score as is', () => {
    assert.equal(qualityScore(clean, 0.83).score, 0.83);
  });

  it('given a failed check, caps the score at 0.8 and reports it as info', () => {
    const shouting = qualityScore('THIS IS THE BEST MORNING OF MY LIFE, COME HIKE WITH ME');
    assert.equal(shouting.score, 0.8);
    assert.deepEqual(shouting.findings.map((f) => [f.rule, f.severity]), [['all_caps', 'info']]);
  });

  it('keeps a model score below the cap, and the cap below a higher model score', () => {
    const shouting = 'THIS IS THE BEST MORNING OF MY LIFE';
    assert.equal(qualityScore(shouting, 0.5).score, 0.5);
    assert.equal(qualityScore(shouting, 0.95).score, 0.8);
  });

  it('lowers the cap by 0.2 per failed check', () => {
    const text = `AS AN AI LANGUAGE MODEL I LOVE THIS!!!!!!! ${Array.from({ length: 11 }, (_, i) => `#TAG${i}`).join(' ')}`;
    const { score, findings } = qualityScore(text);
    assert.deepEqual(findings.map((f) => f.rule), ['all_caps', 'repeated_characters', 'hashtag_overuse', 'assistant_boilerplate']);
    assert.equal(score, 0.2);
  });

  it('does not call short acronyms or ten hashtags a failure', () => {
    assert.deepEqual(qualityScore('NYC vibes! OMG').findings, []);
    assert.deepEqual(qualityScore(Array.from({ length: 10 }, (_, i) => `#t${i}`).join(' ')).findings, []);
  });

  it('catches a refusal in the persona voice', () => {
    assert.deepEqual(qualityScore("I’m sorry, but I'm unable to help with that request.").findings.map((f) => f.rule), ['assistant_boilerplate']);
  });

  it('clamps a model score outside 0..1', () => {
    assert.equal(qualityScore(clean, 1.4).score, 1);
    assert.equal(qualityScore(clean, -0.2).score, 0);
  });
});
