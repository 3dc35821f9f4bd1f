import type { ChimeraConfig } from '../../config.ts';
import type { Embedder } from './embedder.ts';
import { LOCAL_DIMENSION, LocalEmbedder } from './localEmbedder.ts';
import { OpenAiEmbedder } from './openAiEmbedder.ts';

// Which embedder the Judge uses: the OpenAI-compatible server when a URL is configured, else the
// local model. Neither loads nor calls anything here; the local model loads on first use.
// Throws on a configuration that cannot work: better to stop at start-up than to fail every call.
export function selectEmbedder(config: ChimeraConfig['embeddings']): Embedder {
  if (config.url === undefined) {
    return new LocalEmbedder({ modelDir: config.modelDir, intraOpNumThreads: positiveWhole(config.threads, 'CHIMERA_EMBEDDINGS_THREADS') });
  }
  return new OpenAiEmbedder({
    baseUrl: config.url,
    model: config.model,
    timeoutMs: positiveWhole(config.timeoutMs, 'CHIMERA_EMBEDDINGS_TIMEOUT_MS'),
    // The vectors are compared with banks of the local model's vectors: same model, same size.
    dimension: LOCAL_DIMENSION,
    ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
  });
}

function positiveWhole(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name}=${value} is not a positive whole number`);
  return value;
}
