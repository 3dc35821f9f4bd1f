// How the semantic classifier learns its bank: one logistic regression per category over the
// examples' embeddings (one-vs-rest, since a text can be harassment and doxxing at once), with
// L2 weight decay and positives weighted up to the negatives. Each threshold is chosen from
// out-of-fold scores (examples the weights did not see): the lowest that flags at most
// `benignBudget` of the benign examples, since eighteen categories' false alarms add up on every
// post and the lexical rules carry recall beside it. Deterministic: same examples, same bank.
import { encodeVectors, exemplarsOf, neighbourShares, type ExemplarBank } from './exemplarBank.ts';
import type { ClassifierBank } from './semanticClassifier.ts';
import { scoreVector, sigmoid } from './semanticClassifier.ts';
import { isHarmCategory, type PolicyCategory } from './policyTaxonomy.ts';

export type TrainingExample = { vector: ArrayLike<number>; labels: readonly PolicyCategory[] };

export type TrainingOptions = {
  bankId: string;
  modelId: string;
  dimension: number;
  categories: readonly PolicyCategory[];
  setHash: string;
  sets: string[];
  trainedAt: string;
  epochs?: number;
  l2?: number;
  // The share of benign (or only sensitive) examples a category's threshold may flag (out of fold).
  benignBudget?: number;
  folds?: number;
  // Nearest neighbours: how many, the weight's power, and the share of benign examples that the
  // linear classifier and the neighbours together may flag (out of fold, leave one out) when the
  // neighbour thresholds are chosen.
  neighbours?: { k: number; power: number; benignBudget: number };
  // Whether the texts were folded (foldText.ts) before they were embedded.
  input?: 'raw' | 'folded';
};

type Model = { weights: Float64Array; bias: number };

export function trainBank(examples: readonly TrainingExample[], options: TrainingOptions): ClassifierBank {
  const epochs = options.epochs ?? 250;
  const l2 = options.l2 ?? 1e-4;
  const benignBudget = options.benignBudget ?? 0.005;
  const folds = options.folds ?? 5;
  const benign = examples.map((e, i) => (e.labels.length === 0 ? i : -1)).filter((i) => i >= 0);
  // Which examples the linear classifier finds out of fold, for the neighbour thresholds.
  const linearFinds = new Array<boolean>(examples.length).fill(false);
  const categories = options.categories.map((category) => {
    const targets = examples.map((e) => (e.labels.includes(category) ? 1 : 0));
    const positives = targets.reduce<number>((n, t) => n + t, 0);
    const model = fit(examples, targets, options.dimension, epochs, l2);
    const oof = outOfFold(examples, targets, options.dimension, epochs, l2, folds);
    // Held to the budget on benign examples and on those that only touch sensitive topics: a harm
    // finding on a post about an election refuses or blocks what only needed a moderator's look.
    const negatives = examples.map((e, i) => (!e.labels.includes(category) && !e.labels.some(isHarmCategory) ? i : -1)).filter((i) => i >= 0);
    const threshold = thresholdFor(negatives.map((i) => oof[i]!), benignBudget);
    const recalled = targets.filter((t, i) => t === 1 && oof[i]! >= threshold).length;
    const flagged = benign.filter((i) => oof[i]! >= threshold).length;
    oof.forEach((score, i) => {
      if (score >= threshold) linearFinds[i] = true;
    });
    return {
      category,
      weights: Array.from(model.weights, (w) => Math.round(w * 1e6) / 1e6),
      bias: Math.round(model.bias * 1e6) / 1e6,
      threshold,
      positives,
      cv_recall: positives === 0 ? 0 : round(recalled / positives),
      cv_benign_fpr: benign.length === 0 ? 0 : round(flagged / benign.length),
    };
  });
  return {
    bank_id: options.bankId,
    model_id: options.modelId,
    dimension: options.dimension,
    trained_at: options.trainedAt,
    training: { examples: examples.length, set_hash: options.setHash, sets: options.sets, epochs, l2, benign_budget: benignBudget },
    categories,
    exemplars: exemplarBankOf(examples, options, linearFinds),
    input: options.input ?? 'raw',
  };
}

// The examples as a neighbour bank. Its thresholds are the pair, on a grid, at which the linear
// classifier's out-of-fold findings and each example's neighbours (itself left out) find the most
// labelled examples while flagging at most the budget of benign ones; of equals, the one that
// flags fewer benign examples.
function exemplarBankOf(examples: readonly TrainingExample[], options: TrainingOptions, linearFinds: readonly boolean[]): ExemplarBank {
  const { k, power, benignBudget } = options.neighbours ?? { k: 10, power: 4, benignBudget: 0.12 };
  const categories = [...options.categories];
  const bank: ExemplarBank = {
    k,
    power,
    categories,
    vectors: encodeVectors(examples.map((e) => e.vector)),
    labels: examples.map((e) => e.labels.map((l) => categories.indexOf(l)).filter((i) => i >= 0)),
    share_threshold: 0.5,
    labelled_threshold: null,
    loo_labelled_recall: 0,
    loo_benign_flagged: 0,
  };
  const exemplars = exemplarsOf(bank, options.dimension);
  const readings = examples.map((e, i) => {
    const { shares, labelled } = neighbourShares(exemplars, e.vector, i);
    return { top: Math.max(0, ...shares.values()), labelled };
  });
  const isBenign = examples.map((e) => e.labels.length === 0);
  const benignCount = isBenign.filter(Boolean).length;
  const labelledCount = examples.length - benignCount;
  const grid = Array.from({ length: 9 }, (_, i) => round(0.2 + i * 0.05));
  let chosen = { share: grid.at(-1)!, labelled: null as number | null, recall: -1, flagged: 1 };
  for (const share of grid) {
    for (const labelled of [...grid.filter((t) => t >= share), null]) {
      let found = 0;
      let flagged = 0;
      readings.forEach((r, i) => {
        const hit = linearFinds[i]! || r.top >= share || (labelled !== null && r.labelled >= labelled);
        if (!hit) return;
        if (isBenign[i]) flagged++;
        else found++;
      });
      const recall = labelledCount === 0 ? 0 : found / labelledCount;
      const benignShare = benignCount === 0 ? 0 : flagged / benignCount;
      if (benignShare > benignBudget) continue;
      if (recall > chosen.recall || (recall === chosen.recall && benignShare < chosen.flagged)) chosen = { share, labelled, recall, flagged: benignShare };
    }
  }
  return {
    ...bank,
    share_threshold: chosen.share,
    labelled_threshold: chosen.labelled,
    loo_labelled_recall: round(Math.max(0, chosen.recall)),
    loo_benign_flagged: round(chosen.flagged),
  };
}

// Full-batch gradient descent with Adam; positives weighted so that each class carries half the loss.
function fit(examples: readonly TrainingExample[], targets: readonly number[], dimension: number, epochs: number, l2: number): Model {
  const n = examples.length;
  const positives = targets.reduce((a, b) => a + b, 0);
  const positiveWeight = positives === 0 ? 1 : Math.min(20, (n - positives) / positives);
  const weights = new Float64Array(dimension);
  let bias = 0;
  const m = new Float64Array(dimension + 1);
  const v = new Float64Array(dimension + 1);
  const gradient = new Float64Array(dimension + 1);
  const [rate, beta1, beta2, eps] = [0.05, 0.9, 0.999, 1e-8];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    gradient.fill(0);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const x = examples[i]!.vector;
      let z = bias;
      for (let d = 0; d < dimension; d++) z += weights[d]! * x[d]!;
      const weight = targets[i] === 1 ? positiveWeight : 1;
      const error = (sigmoid(z) - targets[i]!) * weight;
      for (let d = 0; d < dimension; d++) gradient[d] = gradient[d]! + error * x[d]!;
      gradient[dimension] = gradient[dimension]! + error;
      total += weight;
    }
    for (let d = 0; d <= dimension; d++) {
      const g = gradient[d]! / total + (d < dimension ? l2 * weights[d]! : 0);
      m[d] = beta1 * m[d]! + (1 - beta1) * g;
      v[d] = beta2 * v[d]! + (1 - beta2) * g * g;
      const step = (rate * (m[d]! / (1 - beta1 ** epoch))) / (Math.sqrt(v[d]! / (1 - beta2 ** epoch)) + eps);
      if (d < dimension) weights[d] = weights[d]! - step;
      else bias -= step;
    }
  }
  return { weights, bias };
}

// Each example scored by a model trained without its fold (folds by position, interleaved).
function outOfFold(examples: readonly TrainingExample[], targets: readonly number[], dimension: number, epochs: number, l2: number, folds: number): number[] {
  const scores = new Array<number>(examples.length).fill(0);
  for (let fold = 0; fold < folds; fold++) {
    const train = examples.filter((_, i) => i % folds !== fold);
    const trainTargets = targets.filter((_, i) => i % folds !== fold);
    const model = fit(train, trainTargets, dimension, epochs, l2);
    const weights = Array.from(model.weights);
    examples.forEach((e, i) => {
      if (i % folds === fold) scores[i] = scoreVector(weights, model.bias, e.vector);
    });
  }
  return scores;
}

// Just above the benign score that the budget lets through, within [0.05, 0.95].
function thresholdFor(benignScores: readonly number[], budget: number): number {
  const sorted = [...benignScores].sort((a, b) => b - a);
  if (sorted.length === 0) return 0.5;
  const allowed = Math.floor(sorted.length * budget);
  const threshold = sorted[Math.min(allowed, sorted.length - 1)]! + 1e-3;
  return Math.ceil(Math.min(0.95, Math.max(0.05, threshold)) * 1000) / 1000;
}

const round = (n: number) => Math.floor(n * 1000) / 1000;
