// The semantic detector's rules, learned from the labelled sets in the repo (`chimera judge
// train`) and stored as a bank with the model it was trained for: a linear classifier per policy
// category over sentence embeddings, and the labelled examples themselves (exemplarBank.ts), read
// by their nearest neighbours. A category is found when either says so. Pure: the embeddings come
// in with the segments they are of (textSegments.ts); the caller computes them with the embedder.
import { z } from 'zod';
import type { DomainError } from '../decider.ts';
import { foldText } from './foldText.ts';
import {
  policyCategorySchema,
  type CategoryRule,
  type FindingSource,
  type PolicyCategory,
  type PolicyFinding,
  evidenceOf,
} from './policyTaxonomy.ts';
import { exemplarBankSchema, exemplarsOf, neighbourShares, type Exemplars } from './exemplarBank.ts';
import type { TextSegment } from './textSegments.ts';

export const classifierBankSchema = z.strictObject({
  bank_id: z.string().min(1),
  // The embedding model the weights are for; another model's vectors mean nothing to them.
  model_id: z.string().min(1),
  dimension: z.int().positive(),
  trained_at: z.string(),
  training: z.strictObject({
    examples: z.int().nonnegative(),
    // SHA-256 of the training examples as read, so a bank names the data it came from.
    set_hash: z.string(),
    sets: z.array(z.string()),
    epochs: z.int().positive(),
    l2: z.number().nonnegative(),
    benign_budget: z.number().min(0).max(1),
  }),
  categories: z.array(
    z.strictObject({
      category: policyCategorySchema,
      weights: z.array(z.number()),
      bias: z.number(),
      // A segment scoring at or above it is a finding.
      threshold: z.number().min(0).max(1),
      positives: z.int().nonnegative(),
      // Out-of-fold recall and false-positive rate on benign examples at that threshold.
      cv_recall: z.number().min(0).max(1),
      cv_benign_fpr: z.number().min(0).max(1),
    }),
  ),
  exemplars: exemplarBankSchema.nullable().default(null),
  // What was embedded: the text as written, or folded (foldText.ts) so that "d0ubl3 ur
  // cr.y.p.t.o" and Cyrillic look-alikes read as the words they imitate.
  input: z.enum(['raw', 'folded']).default('raw'),
});
export type ClassifierBank = z.infer<typeof classifierBankSchema>;

// The text a bank's vectors are of: what training embeds and what the detector embeds must agree.
export function bankReading(input: ClassifierBank['input']): (text: string) => string {
  return input === 'folded' ? foldText : (text) => text;
}

export type BankCheck = { ok: true } | { ok: false; error: DomainError };

// A bank answers only for the embedder it was trained on.
export function checkBank(bank: ClassifierBank, modelId: string, dimension: number): BankCheck {
  if (bank.model_id !== modelId || bank.dimension !== dimension) {
    return {
      ok: false,
      error: {
        code: 'classifier_model_mismatch',
        message: `classifier ${bank.bank_id} was trained for ${bank.model_id} (${bank.dimension} dimensions), the embedder is ${modelId} (${dimension})`,
      },
    };
  }
  const short = bank.categories.find((c) => c.weights.length !== bank.dimension);
  if (short) return { ok: false, error: { code: 'classifier_invalid', message: `classifier ${bank.bank_id}: ${short.category} has ${short.weights.length} weights` } };
  return { ok: true };
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function scoreVector(weights: readonly number[], bias: number, vector: ArrayLike<number>): number {
  let sum = bias;
  for (let i = 0; i < weights.length; i++) sum += weights[i]! * vector[i]!;
  return sigmoid(sum);
}

export type SemanticOptions = {
  categories: Readonly<Record<PolicyCategory, CategoryRule>>;
  // A policy version's own thresholds for the linear classifier, over the bank's.
  thresholds?: Partial<Record<PolicyCategory, number>>;
};

// One finding per category: the segment that scored highest, by the linear classifier or by
// its neighbours, when either reaches its threshold. A segment whose neighbours are mostly
// labelled, though no one category has enough of them, is a finding of the likeliest category.
export function classifySegments(
  bank: ClassifierBank,
  text: string,
  segments: readonly TextSegment[],
  vectors: readonly ArrayLike<number>[],
  source: FindingSource,
  options: SemanticOptions,
): PolicyFinding[] {
  const best = new Map<PolicyCategory, { score: number; at: number; by: string }>();
  const consider = (category: PolicyCategory, score: number, at: number, by: string) => {
    const seen = best.get(category);
    if (!seen || score > seen.score) best.set(category, { score, at, by });
  };
  for (const entry of bank.categories) {
    if (!options.categories[entry.category]?.enabled) continue;
    const threshold = options.thresholds?.[entry.category] ?? entry.threshold;
    segments.forEach((_, i) => {
      const score = scoreVector(entry.weights, entry.bias, vectors[i]!);
      if (score >= threshold) consider(entry.category, score, i, `the ${bank.model_id} classifier scores it ${round(score)} (threshold ${threshold})`);
    });
  }
  const exemplars = exemplarsFor(bank);
  if (exemplars && bank.exemplars) {
    const threshold = bank.exemplars.share_threshold;
    const labelledThreshold = bank.exemplars.labelled_threshold;
    segments.forEach((_, i) => {
      const { shares, labelled } = neighbourShares(exemplars, vectors[i]!);
      const enabled = [...shares].filter(([c]) => options.categories[c]?.enabled).sort((a, b) => b[1] - a[1]);
      const near = (share: number, of: number) => `${Math.round(share * 100)}% of its ${exemplars.k} nearest labelled examples (threshold ${Math.round(of * 100)}%)`;
      for (const [category, share] of enabled) if (share >= threshold) consider(category, share, i, `it reads like ${near(share, threshold)}`);
      const top = enabled[0];
      if (top && labelledThreshold !== null && labelled >= labelledThreshold && top[1] < threshold) {
        consider(top[0], labelled, i, `it reads like flagged examples (${near(labelled, labelledThreshold)}), most of them ${top[0]}`);
      }
    });
  }
  const findings: PolicyFinding[] = [];
  for (const entry of bank.categories) {
    const found = best.get(entry.category);
    if (!found) continue;
    const rule = options.categories[entry.category]!;
    const segment = segments[found.at]!;
    findings.push({
      category: entry.category,
      severity: rule.severity,
      detector: 'semantic',
      source,
      ...evidenceOf(text, segment.start, segment.end),
      score: round(found.score),
      reason: `${rule.label}: ${found.by}.`,
    });
  }
  return findings;
}

// Decoded once per bank object.
const decoded = new WeakMap<ClassifierBank, Exemplars | null>();
function exemplarsFor(bank: ClassifierBank): Exemplars | null {
  if (!decoded.has(bank)) decoded.set(bank, bank.exemplars ? exemplarsOf(bank.exemplars, bank.dimension) : null);
  return decoded.get(bank)!;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
