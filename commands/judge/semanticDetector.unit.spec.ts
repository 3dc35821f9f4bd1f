import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Embedder, EmbedderHealth } from '../../adapters/embeddings/embedder.ts';
import { defaultContentPolicy } from '../../domain/judge/contentPolicy.ts';
import { trainBank } from '../../domain/judge/classifierTraining.ts';
import type { ClassifierBank } from '../../domain/judge/semanticClassifier.ts';
import { SemanticDetector } from './semanticDetector.ts';

// The detector around the classifier, with an embedder that answers what a test tells it and
// records what it was asked: the texts it embeds, and how it fails closed.
class ScriptedEmbedder implements Embedder {
  readonly modelId = 'toy-model';
  readonly dimension = 2;
  readonly asked: string[] = [];
  constructor(private readonly answer: (texts: readonly string[]) => Promise<Float32Array[]>) {}
  embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.asked.push(...texts);
    return this.answer(texts);
  }
  async health(): Promise<EmbedderHealth> {
    return { status: 'up', model_id: this.modelId, detail: null };
  }
  async close(): Promise<void> {}
}

const unit = (text: string) => Float32Array.from(/burn/.test(text) ? [1, 0] : [0, 1]);
const examples = [
  ...Array.from({ length: 20 }, (_, i) => ({ vector: [Math.cos(i / 100), Math.sin(i / 100)], labels: ['violence' as const] })),
  ...Array.from({ length: 40 }, (_, i) => ({ vector: [Math.sin(i / 100), Math.cos(i / 100)], labels: [] })),
];
const bankFor = (input: 'raw' | 'folded'): ClassifierBank =>
  trainBank(examples, { bankId: 'toy', modelId: 'toy-model', dimension: 2, categories: ['violence'], setHash: 'h', sets: ['toy'], trainedAt: '2026-12-04T00:00:00Z', epochs: 100, input });
const detector = (embedder: Embedder, bank: ClassifierBank, timeoutMs = 1000) => new SemanticDetector(embedder, { bankOf: () => bank, timeoutMs });
const policy = { ...defaultContentPolicy, classifierBank: 'toy' };
// "burn" written with Cyrillic у and о look-alikes is not the word the embedder knows.
const disguised = 'Вurn thе shеltеr dоwn tonight';

describe('SemanticDetector', () => {
  it('embeds the folded text when the bank was trained on folded text, and quotes the text as written', async () => {
    const embedder = new ScriptedEmbedder(async (texts) => texts.map(unit));
    const report = await detector(embedder, bankFor('folded')).report([{ text: disguised, source: 'content' }], policy);
    assert.deepEqual(embedder.asked, ['burn the shelter down tonight']);
    assert.equal(report.status, 'ok');
    assert.deepEqual(report.findings.map((f) => [f.category, f.evidence]), [['violence', disguised]]);
  });

  it('embeds the text as written for a bank trained on raw text', async () => {
    const embedder = new ScriptedEmbedder(async (texts) => texts.map(unit));
    const report = await detector(embedder, bankFor('raw')).report([{ text: disguised, source: 'content' }], policy);
    assert.deepEqual(embedder.asked, [disguised]);
    assert.deepEqual(report.findings, []);
  });

  it('reports an embedder that is late, down or answers nonsense, never an empty "ok"', async () => {
    const late = new ScriptedEmbedder(() => new Promise(() => {}));
    const down = new ScriptedEmbedder(async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')));
    const short = new ScriptedEmbedder(async (texts) => texts.map(() => Float32Array.from([0.5, 0.5])));
    const text = [{ text: 'burn it', source: 'content' as const }];
    assert.equal((await detector(late, bankFor('folded'), 20).report(text, policy)).status, 'timeout');
    assert.equal((await detector(down, bankFor('folded')).report(text, policy)).status, 'unavailable');
    const invalid = await detector(short, bankFor('folded')).report(text, policy);
    assert.deepEqual([invalid.status, invalid.findings], ['invalid', []]);
    assert.match(invalid.detail!, /not a unit vector/);
  });
});
