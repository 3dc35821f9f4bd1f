import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trainBank, type TrainingExample } from './classifierTraining.ts';
import { defaultCategoryRules, type PolicyCategory } from './policyTaxonomy.ts';
import { checkBank, classifySegments, type ClassifierBank } from './semanticClassifier.ts';
import { segmentsOf } from './textSegments.ts';

// Unit vectors in 4 dimensions stand in for sentence embeddings: axis 0 is "violence", axis 1
// "politics", axes 2–3 ordinary talk. Noise keeps the classes from being trivially separable.
function vector(axis: number, seed: number): number[] {
  const v = [0, 0, 0, 0].map((_, i) => (i === axis ? 1 : 0) + 0.25 * Math.sin(seed * (i + 1) * 1.7));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

const examples: TrainingExample[] = [
  ...Array.from({ length: 40 }, (_, i): TrainingExample => ({ vector: vector(0, i), labels: ['violence'] })),
  ...Array.from({ length: 40 }, (_, i): TrainingExample => ({ vector: vector(1, i + 100), labels: ['politics'] })),
  ...Array.from({ length: 120 }, (_, i): TrainingExample => ({ vector: vector(2 + (i % 2), i + 200), labels: [] })),
];

const categories: PolicyCategory[] = ['violence', 'politics'];
const train = () =>
  trainBank(examples, { bankId: 'toy', modelId: 'toy-model', dimension: 4, categories, setHash: 'h', sets: ['toy'], trainedAt: '2026-12-03T00:00:00Z', epochs: 150 });

describe('trainBank', () => {
  it('learns each category and keeps its out-of-fold benign false alarms within the budget', () => {
    const bank = train();
    assert.deepEqual(bank.categories.map((c) => c.category), categories);
    for (const c of bank.categories) {
      assert.equal(c.weights.length, 4);
      assert.equal(c.positives, 40);
      assert.ok(c.cv_recall >= 0.9, `${c.category} cv recall ${c.cv_recall}`);
      assert.ok(c.cv_benign_fpr <= 0.005 + 1e-9, `${c.category} cv benign fpr ${c.cv_benign_fpr}`);
    }
  });

  it('chooses the neighbour thresholds so that, with the linear classifier, benign examples stay within the budget', () => {
    const bank = trainBank(examples, {
      bankId: 'toy', modelId: 'toy-model', dimension: 4, categories, setHash: 'h', sets: ['toy'], trainedAt: '2026-12-03T00:00:00Z', epochs: 150,
      neighbours: { k: 5, power: 4, benignBudget: 0.02 },
    });
    const exemplars = bank.exemplars!;
    assert.ok(exemplars.loo_benign_flagged <= 0.02, `benign flagged ${exemplars.loo_benign_flagged}`);
    assert.ok(exemplars.loo_labelled_recall >= 0.9, `labelled found ${exemplars.loo_labelled_recall}`);
    assert.ok(exemplars.labelled_threshold === null || exemplars.labelled_threshold >= exemplars.share_threshold);
  });

  it('is deterministic: the same examples make the same bank', () => {
    assert.deepEqual(train(), train());
  });
});

describe('classifySegments', () => {
  const bank = train();
  const text = 'Big sale on all winter coats this weekend. Everyone bring a crowbar to the rally tonight.';
  const segments = segmentsOf(text);

  it('finds the category in the segment that carries it and quotes that segment', () => {
    // whole text, then each sentence: only the second sentence points at "violence"
    const vectors = [vector(2, 1), vector(3, 2), vector(0, 3)];
    assert.equal(segments.length, 3);
    const findings = classifySegments(bank, text, segments, vectors, 'content', { categories: defaultCategoryRules });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding!.category, 'violence');
    assert.equal(finding!.severity, 'critical');
    assert.equal(finding!.detector, 'semantic');
    assert.equal(finding!.evidence, 'Everyone bring a crowbar to the rally tonight.');
    assert.equal(text.slice(finding!.span!.start, finding!.span!.end), finding!.evidence);
    assert.ok(finding!.score! >= bank.categories[0]!.threshold);
  });

  it('finds nothing in ordinary talk', () => {
    assert.deepEqual(classifySegments(bank, text, segments, [vector(2, 5), vector(3, 6), vector(2, 7)], 'content', { categories: defaultCategoryRules }), []);
  });

  it('follows the policy: a switched-off category is not reported, a threshold of the policy wins', () => {
    const vectors = [vector(2, 1), vector(3, 2), vector(0, 3)];
    const off = { ...defaultCategoryRules, violence: { ...defaultCategoryRules.violence, enabled: false } };
    assert.deepEqual(classifySegments(bank, text, segments, vectors, 'content', { categories: off }), []);
    const linearOnly = { ...bank, exemplars: null };
    assert.equal(classifySegments(linearOnly, text, segments, vectors, 'content', { categories: defaultCategoryRules }).length, 1);
    assert.deepEqual(classifySegments(linearOnly, text, segments, vectors, 'content', { categories: defaultCategoryRules, thresholds: { violence: 0.9999 } }), []);
  });

  it('reads a post by its nearest labelled examples too', () => {
    assert.ok(bank.exemplars, 'the bank keeps its examples');
    assert.ok(bank.exemplars.loo_labelled_recall >= 0.9, `leave-one-out recall ${bank.exemplars.loo_labelled_recall}`);
    const noLinear = { ...bank, categories: bank.categories.map((c) => ({ ...c, bias: -1000 })) };
    const [finding] = classifySegments(noLinear, text, segments, [vector(2, 1), vector(3, 2), vector(0, 3)], 'content', { categories: defaultCategoryRules });
    assert.equal(finding?.category, 'violence');
    assert.match(finding!.reason, /nearest labelled examples/);
  });

  it('answers only for the model it was trained on', () => {
    assert.deepEqual(checkBank(bank, 'toy-model', 4), { ok: true });
    const other = checkBank(bank, 'sentence-transformers/all-MiniLM-L6-v2', 384);
    assert.equal(other.ok, false);
    assert.equal(!other.ok && other.error.code, 'classifier_model_mismatch');
    const broken: ClassifierBank = { ...bank, categories: [{ ...bank.categories[0]!, weights: [1, 2] }] };
    assert.equal(checkBank(broken, 'toy-model', 4).ok, false);
  });
});

describe('segmentsOf', () => {
  it('reads a one-sentence post whole', () => {
    assert.deepEqual(segmentsOf('  Our autumn coats are in!  '), [{ text: 'Our autumn coats are in!', start: 2, end: 26 }]);
  });

  it('cuts a longer post into its sentences after the whole, joining short fragments to the one before', () => {
    const text = 'Big news: our winter coats land at noon today! She posted our prices again, so you know what to do. Tag her. All of you.';
    const segments = segmentsOf(text);
    assert.equal(segments[0]!.text, text);
    for (const s of segments) assert.equal(text.slice(s.start, s.end), s.text);
    assert.deepEqual(segments.slice(1).map((s) => s.text), ['Big news: our winter coats land at noon today!', 'She posted our prices again, so you know what to do. Tag her. All of you.']);
  });

  it('keeps a long caption to a bounded number of segments', () => {
    const text = Array.from({ length: 30 }, (_, i) => `This is sentence number ${i} of the caption.`).join(' ');
    const segments = segmentsOf(text, 8);
    assert.ok(segments.length <= 8 && segments.length >= 5, `${segments.length} segments`);
    assert.equal(segments[1]!.start, 0);
    assert.equal(segments.at(-1)!.end, text.length);
  });

  it('gives nothing for blank text', () => {
    assert.deepEqual(segmentsOf(' \n '), []);
  });
});
