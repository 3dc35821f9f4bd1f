import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readConfig } from '../../config.ts';
import { LocalEmbedder } from './localEmbedder.ts';
import { OpenAiEmbedder } from './openAiEmbedder.ts';
import { selectEmbedder } from './selectEmbedder.ts';

// Which embedder the configuration picks; nothing is loaded or called.

describe('selectEmbedder', () => {
  it('picks the local model when no URL is configured, in the default cache folder', () => {
    const config = readConfig({}).embeddings;
    assert.equal(config.modelDir, path.join(os.homedir(), '.cache/chimera/models/all-MiniLM-L6-v2-int8'));
    assert.deepEqual([config.url, config.model, config.timeoutMs, config.threads], [undefined, 'sentence-transformers/all-MiniLM-L6-v2', 2000, 1]);
    const embedder = selectEmbedder(config);
    assert.ok(embedder instanceof LocalEmbedder);
    assert.deepEqual([embedder.modelId, embedder.dimension], ['sentence-transformers/all-MiniLM-L6-v2', 384]);
  });

  it('takes the model folder from CHIMERA_MODEL_DIR, else XDG_CACHE_HOME', () => {
    assert.equal(readConfig({ CHIMERA_MODEL_DIR: '/opt/models/minilm' }).embeddings.modelDir, '/opt/models/minilm');
    assert.equal(readConfig({ XDG_CACHE_HOME: '/var/cache' }).embeddings.modelDir, '/var/cache/chimera/models/all-MiniLM-L6-v2-int8');
  });

  it('picks the OpenAI-compatible server when a URL is configured', () => {
    const embedder = selectEmbedder(
      readConfig({ CHIMERA_EMBEDDINGS_URL: 'http://embeddings.internal:8080', CHIMERA_EMBEDDINGS_MODEL: 'all-minilm', CHIMERA_EMBEDDINGS_API_KEY: 'k', CHIMERA_EMBEDDINGS_TIMEOUT_MS: '500' }).embeddings,
    );
    assert.ok(embedder instanceof OpenAiEmbedder);
    assert.deepEqual([embedder.modelId, embedder.dimension, embedder.endpoint], ['all-minilm', 384, 'http://embeddings.internal:8080/v1/embeddings']);
  });

  it('refuses settings that cannot work', () => {
    assert.throws(() => selectEmbedder(readConfig({ CHIMERA_EMBEDDINGS_THREADS: 'two' }).embeddings), /CHIMERA_EMBEDDINGS_THREADS=NaN/);
    assert.throws(() => selectEmbedder(readConfig({ CHIMERA_EMBEDDINGS_URL: 'http://x', CHIMERA_EMBEDDINGS_TIMEOUT_MS: '0' }).embeddings), /CHIMERA_EMBEDDINGS_TIMEOUT_MS=0/);
  });
});
