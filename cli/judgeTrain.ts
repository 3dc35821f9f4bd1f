import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Embedder } from '../adapters/embeddings/embedder.ts';
import { bankPath } from '../commands/judge/classifierBanks.ts';
import { trainBank, type TrainingExample } from '../domain/judge/classifierTraining.ts';
import { POLICY_CATEGORIES, policyCategorySchema, type PolicyCategory } from '../domain/judge/policyTaxonomy.ts';
import { bankReading, type ClassifierBank } from '../domain/judge/semanticClassifier.ts';
import { readEvalSet } from './judgeEval.ts';

const TRAINING_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../domain/judge/classifier');
// Banks are trained on folded text: look-alikes, leetspeak and spacing undone.
const BANK_INPUT = 'folded' as const;
export const DEFAULT_TRAINING_SET = path.join(TRAINING_DIR, 'trainingSet.jsonl');

// Every labelled training file beside the banks, in name order.
export function trainingSetFiles(dir = TRAINING_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => path.join(dir, f));
}

const lineSchema = z.strictObject({ text: z.string().min(1), labels: z.array(policyCategorySchema) });

export type LabelledText = { text: string; labels: PolicyCategory[] };

export function readTrainingSet(file: string): LabelledText[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = lineSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}

// The tune split of an evaluation set as training text (the holdout split is never read here).
// A goal-context case's label belongs to its goal, not to the harmless-looking post.
export function tuneSplitOf(file: string): LabelledText[] {
  return readEvalSet(file)
    .filter((c) => (c.split ?? 'tune') === 'tune')
    .map((c) => (c.kind === 'goal_context' && c.goal ? { text: c.goal, labels: c.labels } : { text: c.text, labels: c.labels }));
}

export type TrainRun = { bank: ClassifierBank; file: string; seconds: number };

// `chimera judge train`: embeds every labelled text with the configured embedder and writes the
// bank the policy names, so the classifier is always what the labelled sets in the repo make.
export async function trainClassifier(embedder: Embedder, sets: Array<{ name: string; texts: LabelledText[] }>, bankId: string, dir?: string): Promise<TrainRun> {
  const started = Date.now();
  const texts = sets.flatMap((s) => s.texts);
  const vectors: Float32Array[] = [];
  // What the detector will embed for this bank (bankReading).
  const read = bankReading(BANK_INPUT);
  const embedded = texts.map((t) => read(t.text));
  for (let i = 0; i < embedded.length; i += 32) vectors.push(...(await embedder.embed(embedded.slice(i, i + 32))));
  const examples: TrainingExample[] = texts.map((t, i) => ({ vector: vectors[i]!, labels: t.labels }));
  const hash = createHash('sha256');
  for (const t of texts) hash.update(`${JSON.stringify(t)}\n`);
  const bank = trainBank(examples, {
    bankId,
    modelId: embedder.modelId,
    dimension: embedder.dimension,
    categories: POLICY_CATEGORIES,
    setHash: hash.digest('hex'),
    sets: sets.map((s) => s.name),
    trainedAt: new Date().toISOString(),
    input: BANK_INPUT,
  });
  const file = bankPath(bankId, dir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(bank)}\n`);
  renameSync(`${file}.tmp`, file);
  return { bank, file, seconds: (Date.now() - started) / 1000 };
}
