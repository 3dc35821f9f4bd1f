import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultContentPolicy } from './contentPolicy.ts';
import { withMinorsRule } from './minorsRule.ts';
import type { PolicyFinding } from './policyTaxonomy.ts';

const sexual = (evidence: string): PolicyFinding => ({
  category: 'sexual',
  severity: 'high',
  detector: 'semantic',
  source: 'content',
  evidence,
  span: null,
  score: 0.8,
  reason: 'Sexual content: the classifier scores it 0.8.',
});

describe('withMinorsRule', () => {
  it('makes a sexual finding in a text that names a minor a critical finding of sexual content involving minors', () => {
    const text = 'Tееn gymnast compilation, slowed down for the good parts 😉';
    const findings = withMinorsRule([sexual(text)], { content: text }, defaultContentPolicy);
    assert.deepEqual(findings.map((f) => [f.category, f.severity, f.detector]), [['sexual_minors', 'critical', 'semantic'], ['sexual', 'high', 'semantic']]);
    // Quoted as written, Cyrillic look-alikes and all.
    assert.equal(findings[0]!.evidence, 'Tееn');
    assert.equal(text.slice(findings[0]!.span!.start, findings[0]!.span!.end), 'Tееn');
  });

  it('leaves a sexual finding alone where no minor is named, or where the text keeps minors out', () => {
    const adult = 'Our new lace set, for grown-ups only 😉';
    assert.deepEqual(withMinorsRule([sexual(adult)], { content: adult }, defaultContentPolicy).map((f) => f.category), ['sexual']);
    const gated = 'Spicy content in bio, minors DNI, teens go away';
    assert.deepEqual(withMinorsRule([sexual(gated)], { content: gated }, defaultContentPolicy).map((f) => f.category), ['sexual']);
  });

  it('does nothing without a sexual finding, or with the category switched off', () => {
    const kids = 'Back-to-school sale on kids backpacks';
    assert.deepEqual(withMinorsRule([], { content: kids }, defaultContentPolicy), []);
    const off = { ...defaultContentPolicy, categories: { ...defaultContentPolicy.categories, sexual_minors: { ...defaultContentPolicy.categories.sexual_minors, enabled: false } } };
    assert.deepEqual(withMinorsRule([sexual(kids)], { content: kids }, off).map((f) => f.category), ['sexual']);
  });
});
