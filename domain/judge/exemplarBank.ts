// The semantic detector's memory of labelled examples: every training text's embedding with its
// labels, so that a post is read by the examples nearest to it (k nearest by cosine, weighted by
// similarity to a power). What a linear classifier averages away (a look-alike next to the harm
// it resembles) the neighbours keep apart. Stored int8-quantised (base64), one row per example.
import { z } from 'zod';
import { policyCategorySchema, type PolicyCategory } from './policyTaxonomy.ts';

export const exemplarBankSchema = z.strictObject({
  k: z.int().positive(),
  power: z.number().positive(),
  // The category index space of `labels`.
  categories: z.array(policyCategorySchema),
  // Row-major int8 (value × 127) unit vectors, base64.
  vectors: z.string(),
  labels: z.array(z.array(z.int().nonnegative())),
  // A category is found when its share of the neighbours' weight reaches this.
  share_threshold: z.number().min(0).max(1),
  // A segment whose neighbours are labelled to this share, though no one category reaches its
  // threshold, is a finding of the likeliest category; null: never.
  labelled_threshold: z.number().min(0).max(1).nullable().default(null),
  // Leave-one-out figures on the examples at those thresholds, with the linear classifier's
  // out-of-fold findings: labelled examples found, benign examples flagged.
  loo_labelled_recall: z.number().min(0).max(1),
  loo_benign_flagged: z.number().min(0).max(1),
});
export type ExemplarBank = z.infer<typeof exemplarBankSchema>;

export type Exemplars = { dimension: number; rows: Int8Array; labels: number[][]; categories: PolicyCategory[]; k: number; power: number };

export function exemplarsOf(bank: ExemplarBank, dimension: number): Exemplars {
  const bytes = Buffer.from(bank.vectors, 'base64');
  const rows = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { dimension, rows, labels: bank.labels, categories: bank.categories, k: bank.k, power: bank.power };
}

export function encodeVectors(vectors: readonly ArrayLike<number>[]): string {
  const dimension = vectors[0]?.length ?? 0;
  const out = new Int8Array(vectors.length * dimension);
  vectors.forEach((v, i) => {
    for (let d = 0; d < dimension; d++) out[i * dimension + d] = Math.max(-127, Math.min(127, Math.round(v[d]! * 127)));
  });
  return Buffer.from(out.buffer).toString('base64');
}

// Each category's share of the k nearest examples' weight (and the share of any label at all).
export function neighbourShares(exemplars: Exemplars, vector: ArrayLike<number>, exclude = -1): { shares: Map<PolicyCategory, number>; labelled: number } {
  const { dimension, rows, k, power } = exemplars;
  const count = rows.length / dimension;
  const best: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    if (i === exclude) continue;
    let dot = 0;
    const base = i * dimension;
    for (let d = 0; d < dimension; d++) dot += rows[base + d]! * vector[d]!;
    const similarity = dot / 127;
    if (best.length < k) {
      best.push([similarity, i]);
      best.sort((a, b) => b[0] - a[0]);
    } else if (similarity > best[k - 1]![0]) {
      best[k - 1] = [similarity, i];
      best.sort((a, b) => b[0] - a[0]);
    }
  }
  const shares = new Map<PolicyCategory, number>();
  let total = 0;
  let labelled = 0;
  for (const [similarity, i] of best) {
    const weight = Math.max(0, similarity) ** power;
    total += weight;
    const labels = exemplars.labels[i]!;
    if (labels.length > 0) labelled += weight;
    for (const c of labels) shares.set(exemplars.categories[c]!, (shares.get(exemplars.categories[c]!) ?? 0) + weight);
  }
  if (total === 0) return { shares: new Map(), labelled: 0 };
  for (const [c, w] of shares) shares.set(c, w / total);
  return { shares, labelled: labelled / total };
}
