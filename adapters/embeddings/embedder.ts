// The sentence-embedding port: what the Judge asks of an embedding model. Two adapters implement
// it: the local int8 ONNX model (the embedded default; its files are fetched at install time by
// scripts/fetchModel.mjs) and any OpenAI-compatible /v1/embeddings endpoint.

export interface Embedder {
  // The model the vectors come from; vectors of different models are not comparable.
  readonly modelId: string;
  readonly dimension: number;
  // One L2-normalised vector per text, in order, so that cosine similarity is a dot product.
  // Rejects with EmbedderUnavailable when the model cannot answer.
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  health(): Promise<EmbedderHealth>;
  close(): Promise<void>;
}

export type EmbedderHealth = { status: 'up' | 'down'; model_id: string; detail: string | null };

// The model could not answer (files missing, closed, unreachable, timed out, or an answer that
// is not one vector per text). Callers fail closed on it: a detector without its model is an
// unavailable detector, never a "nothing found".
export class EmbedderUnavailable extends Error {
  override readonly name = 'EmbedderUnavailable';
  constructor(
    readonly modelId: string,
    readonly reason: string,
  ) {
    super(`embedding model ${modelId} unavailable: ${reason}`);
  }
}
