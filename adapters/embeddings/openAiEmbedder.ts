import { z } from 'zod';
import { withoutTrailingSlash } from '../models/chatClient.ts';
import { EmbedderUnavailable, type Embedder, type EmbedderHealth } from './embedder.ts';
import { l2Normalised } from './l2Normalised.ts';

// Any OpenAI-compatible embeddings endpoint (`POST /v1/embeddings`: OpenAI, gateways, Hugging
// Face TEI, vLLM, Ollama...). The base URL may end in /v1 or not, as for OpenAiChat. One
// attempt per call, no retries: the Judge's detector has a latency budget and fails closed.

const EmbeddingsAnswer = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
  model: z.string().optional(),
});

export type OpenAiEmbedderOptions = {
  baseUrl: string;
  // The model name the server is asked for; also the vectors' model id.
  model: string;
  apiKey?: string;
  // Budget of one embed() call, answer included.
  timeoutMs: number;
  // What every vector must have. The Judge's banks hold all-MiniLM-L6-v2 vectors (384), so the
  // server must serve that model; another model's vectors are refused rather than compared.
  dimension: number;
  // Budget of health()'s probe (default 1 s, at most timeoutMs).
  healthTimeoutMs?: number;
};

export class OpenAiEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimension: number;
  // Where requests go (shown in diagnostics; never carries the key).
  readonly endpoint: string;
  // Aborts the requests under way when the embedder is closed.
  private readonly closing = new AbortController();

  constructor(private readonly options: OpenAiEmbedderOptions) {
    this.modelId = options.model;
    this.dimension = options.dimension;
    const base = withoutTrailingSlash(options.baseUrl);
    this.endpoint = base.endsWith('/v1') ? `${base}/embeddings` : `${base}/v1/embeddings`;
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return this.request(texts, this.options.timeoutMs);
  }

  async health(): Promise<EmbedderHealth> {
    try {
      await this.request(['ping'], Math.min(this.options.healthTimeoutMs ?? 1_000, this.options.timeoutMs));
      return { status: 'up', model_id: this.modelId, detail: this.endpoint };
    } catch (error) {
      return { status: 'down', model_id: this.modelId, detail: error instanceof EmbedderUnavailable ? error.reason : String(error) };
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
  }

  private async request(texts: readonly string[], timeoutMs: number): Promise<Float32Array[]> {
    if (this.closing.signal.aborted) throw this.unavailable('the embedder is closed');
    if (texts.length === 0) return [];
    const deadline = AbortSignal.timeout(timeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
        body: JSON.stringify({ model: this.options.model, input: texts }),
        signal: AbortSignal.any([deadline, this.closing.signal]),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (this.closing.signal.aborted) throw this.unavailable('the embedder was closed during the call');
      if (deadline.aborted) throw this.unavailable(`${this.endpoint} did not answer within ${timeoutMs} ms`);
      throw this.unavailable(`cannot reach ${this.endpoint} (${networkProblem(error)})`);
    }
    if (status < 200 || status > 299) throw this.unavailable(`${this.endpoint} answered HTTP ${status}: ${serverMessage(text)}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.unavailable(`${this.endpoint} answered something that is not JSON: ${text.slice(0, 200)}`);
    }
    return this.vectorsOf(json, texts.length);
  }

  // One unit vector per text, in the order of the texts (the answer's order is its `index`).
  private vectorsOf(json: unknown, count: number): Float32Array[] {
    const parsed = EmbeddingsAnswer.safeParse(json);
    if (!parsed.success) throw this.unavailable(`unexpected answer shape (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'})`);
    const byIndex = new Map(parsed.data.data.map((item) => [item.index, item.embedding]));
    if (parsed.data.data.length !== count || byIndex.size !== count) {
      throw this.unavailable(`the answer has ${parsed.data.data.length} embedding(s) (${byIndex.size} distinct indexes) for ${count} text(s)`);
    }
    const vectors: Float32Array[] = [];
    for (let i = 0; i < count; i++) {
      const embedding = byIndex.get(i);
      if (embedding === undefined) throw this.unavailable(`the answer has no embedding with index ${i}`);
      if (embedding.length !== this.dimension) throw this.unavailable(`embedding ${i} has ${embedding.length} dimensions, not ${this.dimension}`);
      const vector = l2Normalised(embedding);
      if (vector === null) throw this.unavailable(`embedding ${i} is a zero or non-finite vector`);
      vectors.push(vector);
    }
    return vectors;
  }

  private unavailable(reason: string): EmbedderUnavailable {
    return new EmbedderUnavailable(this.modelId, reason);
  }
}

// OpenAI and most compatible servers put a readable message at error.message.
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string };
    if (typeof body.error === 'string') return body.error;
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON: the raw text
  }
  return text.slice(0, 200) || '(empty body)';
}

function networkProblem(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
