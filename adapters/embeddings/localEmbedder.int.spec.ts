import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readConfig } from '../../config.ts';
import { dot } from './dot.ts';
import { EmbedderUnavailable } from './embedder.ts';
import { LocalEmbedder } from './localEmbedder.ts';

// The local model as installed by scripts/fetchModel.mjs (npm ci runs it): real ONNX Runtime,
// real files.

const modelDir = readConfig().embeddings.modelDir;

async function unavailable(promise: Promise<unknown>): Promise<EmbedderUnavailable> {
  const error = await promise.then(
    () => assert.fail('expected EmbedderUnavailable'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof EmbedderUnavailable, String(error));
  return error;
}

function norm(v: Float32Array): number {
  return Math.sqrt(dot(v, v));
}

describe('LocalEmbedder (all-MiniLM-L6-v2, int8 ONNX)', () => {
  const embedder = new LocalEmbedder({ modelDir });
  before(() => embedder.load());
  after(() => embedder.close());

  it('is up, with the model id and dimension of the manifest', async () => {
    const health = await embedder.health();
    assert.equal(health.status, 'up', health.detail ?? '');
    assert.equal(health.model_id, 'sentence-transformers/all-MiniLM-L6-v2');
    assert.equal(embedder.modelId, 'sentence-transformers/all-MiniLM-L6-v2');
    assert.equal(embedder.dimension, 384);
  });

  it('gives one 384-dimensional unit vector per text, in order, the same every time', async () => {
    const texts = ['Hello, world!', '', 'Limited offer: buy now, 50% off!!! 🚀', 'x'.repeat(5000)];
    const first = await embedder.embed(texts);
    const second = await embedder.embed(texts);
    assert.equal(first.length, texts.length);
    first.forEach((v, i) => {
      assert.equal(v.length, 384);
      assert.ok(Math.abs(norm(v) - 1) < 1e-5, `norm of vector ${i} is ${norm(v)}`);
      assert.deepEqual(v, second[i]);
    });
    assert.deepEqual(await embedder.embed([]), []);
  });

  it('embeds a batch as it embeds each text alone (padding is masked out)', async () => {
    const texts = [
      'Short.',
      'The cat sat on the mat.',
      'A much longer sentence, with many more words in it than the others, so that the rest of the batch is padded.',
      'Ünïcödé and 中文 and emoji 😍',
      'Another one',
      'Interest rates rose again this quarter.',
    ];
    const batch = await embedder.embed(texts);
    for (const [i, text] of texts.entries()) {
      const [alone] = await embedder.embed([text]);
      const worst = Math.max(...batch[i]!.map((x, d) => Math.abs(x - alone![d]!)));
      assert.ok(worst < 1e-4, `text ${i}: largest difference ${worst}`);
    }
  });

  it('places related sentences closer than unrelated ones', async () => {
    const [cat, kitten, rates] = await embedder.embed(['The cat sat on the mat.', 'A kitten is resting on the rug.', 'Interest rates rose again this quarter.']);
    const near = dot(cat!, kitten!);
    const far = dot(cat!, rates!);
    assert.ok(near > far + 0.3, `cat~kitten ${near}, cat~rates ${far}`);
  });

  it('refuses calls once closed', async () => {
    const closing = new LocalEmbedder({ modelDir });
    await closing.embed(['warm']);
    await closing.close();
    const error = await unavailable(closing.embed(['after close']));
    assert.match(error.reason, /closed/);
    assert.equal((await closing.health()).status, 'down');
  });
});

describe('LocalEmbedder without its files', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'chimera-embedder-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('is down, and embed rejects with EmbedderUnavailable, when the folder does not exist', async () => {
    const missing = new LocalEmbedder({ modelDir: path.join(scratch, 'nowhere') });
    const health = await missing.health();
    assert.equal(health.status, 'down');
    assert.match(health.detail ?? '', /nowhere.*fetchModel/);
    const error = await unavailable(missing.embed(['hello']));
    assert.match(error.reason, /manifest\.json is missing/);
    assert.match(error.message, /sentence-transformers\/all-MiniLM-L6-v2 unavailable/);
    await missing.close();
  });

  it('names the missing file when the folder is incomplete, and a corrupt model when it cannot load', async () => {
    const dir = path.join(scratch, 'partial');
    cpSync(modelDir, dir, { recursive: true });
    unlinkSync(path.join(dir, 'vocab.txt'));
    const partial = new LocalEmbedder({ modelDir: dir });
    assert.match((await unavailable(partial.embed(['hello']))).reason, /vocab\.txt is missing/);

    cpSync(path.join(modelDir, 'vocab.txt'), path.join(dir, 'vocab.txt'));
    writeFileSync(path.join(dir, 'model.onnx'), 'not a model');
    const corrupt = new LocalEmbedder({ modelDir: dir });
    assert.match((await unavailable(corrupt.embed(['hello']))).reason, /model\.onnx cannot be loaded/);
    const health = await corrupt.health();
    assert.equal(health.status, 'down');
    assert.match(health.detail ?? '', /cannot be loaded/);

    // A failed load is not remembered: once the files are right, the same embedder works.
    cpSync(path.join(modelDir, 'model.onnx'), path.join(dir, 'model.onnx'));
    assert.equal((await corrupt.embed(['hello']))[0]!.length, 384);
    await Promise.all([partial.close(), corrupt.close()]);
  });
});
