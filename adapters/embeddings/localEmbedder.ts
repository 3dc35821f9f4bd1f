import type * as Ort from 'onnxruntime-node';
import { EmbedderUnavailable, type Embedder, type EmbedderHealth } from './embedder.ts';
import { l2Normalised } from './l2Normalised.ts';
import { readModelFolder, type ModelFolder } from './modelFolder.ts';
import { WordPieceTokenizer, type TokenizedText } from './wordPieceTokenizer.ts';

// all-MiniLM-L6-v2 (int8 ONNX) run in this process by ONNX Runtime: tokenised by our WordPiece
// tokenizer, mean-pooled over the attention mask as its 1_Pooling/config.json says, then
// L2-normalised, as sentence-transformers does. The files come from the install step
// (scripts/fetchModel.mjs); nothing is fetched here.

export const LOCAL_MODEL_ID = 'sentence-transformers/all-MiniLM-L6-v2';
export const LOCAL_DIMENSION = 384;
// Texts per inference run: one call's texts are padded to the longest of their run, so a bound
// keeps one long text from inflating a large call's work and memory.
const MAX_BATCH = 32;
const INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;

export type LocalEmbedderOptions = {
  modelDir: string;
  // ONNX Runtime's intra-op threads (default 1, the faster for one short sentence on 2 cores).
  intraOpNumThreads?: number;
  // Tokens per text, [CLS] and [SEP] included; only lowers the model's max_seq_length (256).
  maxTokens?: number;
};

type Loaded = { ort: typeof Ort; session: Ort.InferenceSession; tokenizer: WordPieceTokenizer; folder: ModelFolder; outputName: string };
type State = { kind: 'idle' } | { kind: 'loading'; loading: Promise<Loaded> } | { kind: 'ready'; loaded: Loaded } | { kind: 'closed' };

export class LocalEmbedder implements Embedder {
  readonly modelId = LOCAL_MODEL_ID;
  readonly dimension = LOCAL_DIMENSION;
  private state: State = { kind: 'idle' };
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly options: LocalEmbedderOptions) {}

  // Loads the model now rather than on the first embed() (start-up, or a benchmark). A failed
  // load is not remembered: the next call tries again (the files may have been fetched since).
  async load(): Promise<void> {
    await this.loaded();
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const loaded = await this.loaded();
    if (texts.length === 0) return [];
    const run = this.inferAll(loaded, texts);
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  async health(): Promise<EmbedderHealth> {
    try {
      const loaded = await this.loaded();
      await this.embed(['ping']);
      const threads = this.options.intraOpNumThreads ?? 1;
      return { status: 'up', model_id: this.modelId, detail: `${loaded.folder.variant} in ${loaded.folder.dir}, ${threads} thread(s)` };
    } catch (error) {
      return { status: 'down', model_id: this.modelId, detail: error instanceof EmbedderUnavailable ? error.reason : String(error) };
    }
  }

  async close(): Promise<void> {
    const previous = this.state;
    this.state = { kind: 'closed' };
    // Runs under way finish first: releasing the session under a run would crash the process.
    await Promise.allSettled([...this.running]);
    const loaded = previous.kind === 'ready' ? previous.loaded : previous.kind === 'loading' ? await previous.loading.catch(() => null) : null;
    await loaded?.session.release();
  }

  private async loaded(): Promise<Loaded> {
    switch (this.state.kind) {
      case 'closed':
        throw this.unavailable('the embedder is closed');
      case 'ready':
        return this.state.loaded;
      case 'loading':
        return this.state.loading;
      case 'idle': {
        const loading = this.open();
        this.state = { kind: 'loading', loading };
        try {
          const loaded = await loading;
          if (this.isClosed()) {
            await loaded.session.release();
            throw this.unavailable('the embedder is closed');
          }
          this.state = { kind: 'ready', loaded };
          return loaded;
        } catch (error) {
          if (this.state.kind === 'loading' && this.state.loading === loading) this.state = { kind: 'idle' };
          throw error;
        }
      }
    }
  }

  private async open(): Promise<Loaded> {
    const reading = await readModelFolder(this.options.modelDir);
    if (!reading.ok) throw this.unavailable(reading.reason);
    const folder = reading.folder;
    if (folder.modelId !== this.modelId || folder.dimension !== this.dimension) {
      throw this.unavailable(`${folder.dir} holds ${folder.modelId} (${folder.dimension} dimensions), not ${this.modelId} (${this.dimension})`);
    }
    const maxTokens = Math.min(folder.maxSeqLength, this.options.maxTokens ?? folder.maxSeqLength);
    const tokenizer = WordPieceTokenizer.fromVocabText(folder.vocabText, maxTokens);
    let ort: typeof Ort;
    try {
      ort = await import('onnxruntime-node');
    } catch (error) {
      throw this.unavailable(`onnxruntime-node cannot be loaded (${messageOf(error)})`);
    }
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(folder.onnxFile, {
        intraOpNumThreads: this.options.intraOpNumThreads ?? 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      });
    } catch (error) {
      throw this.unavailable(`${folder.onnxFile} cannot be loaded (${messageOf(error)})`);
    }
    const missing = session.inputNames.filter((name) => !(INPUTS as readonly string[]).includes(name));
    const outputName = session.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : session.outputNames[0];
    if (missing.length > 0 || outputName === undefined) {
      await session.release();
      throw this.unavailable(`${folder.onnxFile} has inputs ${session.inputNames.join(', ')} and outputs ${session.outputNames.join(', ')}, not a BERT encoder's`);
    }
    return { ort, session, tokenizer, folder, outputName };
  }

  private async inferAll(loaded: Loaded, texts: readonly string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += MAX_BATCH) {
      const batch = texts.slice(start, start + MAX_BATCH).map((text) => loaded.tokenizer.encode(text));
      vectors.push(...(await this.infer(loaded, batch)));
    }
    return vectors;
  }

  // One run over a batch padded to its longest text; the padding is masked out of attention and
  // of the mean.
  private async infer(loaded: Loaded, batch: TokenizedText[]): Promise<Float32Array[]> {
    const length = Math.max(...batch.map((t) => t.input_ids.length));
    const feeds: Record<string, Ort.Tensor> = {};
    for (const name of loaded.session.inputNames as readonly (typeof INPUTS)[number][]) {
      const data = new BigInt64Array(batch.length * length);
      batch.forEach((t, row) => t[name].forEach((v, i) => (data[row * length + i] = BigInt(v))));
      feeds[name] = new loaded.ort.Tensor('int64', data, [batch.length, length]);
    }
    let output: Ort.Tensor | undefined;
    try {
      output = (await loaded.session.run(feeds))[loaded.outputName];
    } catch (error) {
      throw this.unavailable(`inference failed (${messageOf(error)})`);
    }
    const dims = output?.dims ?? [];
    const data = output?.data;
    const tokenLevel = dims.length === 3 && dims[0] === batch.length && dims[1] === length && dims[2] === this.dimension;
    const sentenceLevel = dims.length === 2 && dims[0] === batch.length && dims[1] === this.dimension;
    if (!(data instanceof Float32Array) || !(tokenLevel || sentenceLevel)) {
      throw this.unavailable(`the model answered a ${output?.type ?? 'missing'} tensor of shape [${dims.join(', ')}], not [${batch.length}, ${length}, ${this.dimension}]`);
    }
    return batch.map((t, row) => {
      const vector = l2Normalised(tokenLevel ? meanPooled(data, row, length, this.dimension, t.attention_mask) : data.subarray(row * this.dimension, (row + 1) * this.dimension));
      if (vector === null) throw this.unavailable('the model answered a zero or non-finite vector');
      return vector;
    });
  }

  // A method, so that the compiler does not carry its narrowing of `state` across an await.
  private isClosed(): boolean {
    return this.state.kind === 'closed';
  }

  private unavailable(reason: string): EmbedderUnavailable {
    return new EmbedderUnavailable(this.modelId, reason);
  }
}

// The mean of a row's token vectors over its attention mask (sentence-transformers' pooling).
function meanPooled(data: Float32Array, row: number, length: number, dimension: number, mask: readonly number[]): Float64Array {
  const sum = new Float64Array(dimension);
  let tokens = 0;
  mask.forEach((m, i) => {
    if (m === 0) return;
    tokens++;
    const offset = (row * length + i) * dimension;
    for (let d = 0; d < dimension; d++) sum[d]! += data[offset + d]!;
  });
  for (let d = 0; d < dimension; d++) sum[d]! /= Math.max(tokens, 1);
  return sum;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
