import { performance } from 'node:perf_hooks';
import type { Embedder } from '../../adapters/embeddings/embedder.ts';
import type { ContentPolicy } from '../../domain/judge/contentPolicy.ts';
import type { DetectorReport, FindingSource, PolicyFinding } from '../../domain/judge/policyTaxonomy.ts';
import { bankReading, checkBank, classifySegments, type ClassifierBank } from '../../domain/judge/semanticClassifier.ts';
import { segmentsOf, type TextSegment } from '../../domain/judge/textSegments.ts';

export type ScreenedText = { text: string; source: FindingSource };

export type SemanticDetectorOptions = {
  // The bank a policy names (by id), or why there is none.
  bankOf: (bankId: string) => ClassifierBank | Error;
  // How long the embedder may take for one result, before it counts as down for it.
  timeoutMs: number;
  // Segment vectors kept for texts seen again (goals, redelivered results).
  cacheSize?: number;
};

// The semantic detector: the result's texts, cut into segments, embedded in one call and read by
// the policy's classifier bank. Whatever keeps it from answering (a bank for another model, an
// embedder that is down, late or answers vectors that are not unit vectors of the right size)
// is a report that says so, never an empty list of findings: the judge then fails closed.
export class SemanticDetector {
  private readonly cache = new Map<string, Float32Array>();

  constructor(
    private readonly embedder: Embedder,
    private readonly options: SemanticDetectorOptions,
  ) {}

  get modelId(): string {
    return this.embedder.modelId;
  }

  async report(texts: readonly ScreenedText[], policy: ContentPolicy): Promise<DetectorReport> {
    const started = performance.now();
    const done = (status: DetectorReport['status'], findings: PolicyFinding[], detail: string | null): DetectorReport => ({
      detector: 'semantic',
      status,
      findings,
      detail,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
    });
    const bank = this.options.bankOf(policy.classifierBank);
    if (bank instanceof Error) return done('unavailable', [], bank.message);
    const fits = checkBank(bank, this.embedder.modelId, this.embedder.dimension);
    if (!fits.ok) return done('unavailable', [], fits.error.message);

    // Segments keep the offsets of the text as written; what is embedded is what the bank was
    // trained on (folded: look-alikes, leetspeak and spacing undone).
    const read = bankReading(bank.input);
    const pieces = texts.map((t) => ({ ...t, segments: segmentsOf(t.text).map((s) => ({ ...s, key: read(s.text) })) }));
    const wanted = [...new Set(pieces.flatMap((p) => p.segments.map((s) => s.key)))].filter((s) => !this.cache.has(s));
    if (wanted.length > 0) {
      const answer = await withTimeout(this.embedder.embed(wanted), this.options.timeoutMs);
      if (answer.kind === 'timeout') return done('timeout', [], `the embedder gave no answer within ${this.options.timeoutMs} ms`);
      if (answer.kind === 'error') return done('unavailable', [], describe(answer.error));
      const problem = invalidVectors(answer.value, wanted.length, this.embedder.dimension);
      if (problem) return done('invalid', [], problem);
      wanted.forEach((segment, i) => this.remember(segment, answer.value[i]!));
    }
    const findings = pieces.flatMap(({ text, source, segments }) =>
      classifySegments(bank, text, segments, vectorsOf(segments, this.cache), source, {
        categories: policy.categories,
        thresholds: policy.semanticThresholds,
      }),
    );
    return done('ok', findings, `${bank.bank_id} on ${bank.model_id}`);
  }

  private remember(segment: string, vector: Float32Array): void {
    if (this.cache.size >= (this.options.cacheSize ?? 5000)) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(segment, vector);
  }
}

function vectorsOf(segments: ReadonlyArray<TextSegment & { key: string }>, cache: Map<string, Float32Array>): Float32Array[] {
  return segments.map((s) => cache.get(s.key)!);
}

type Timed<T> = { kind: 'value'; value: T } | { kind: 'timeout' } | { kind: 'error'; error: unknown };

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<Timed<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Timed<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
  });
  try {
    return await Promise.race([promise.then((value): Timed<T> => ({ kind: 'value', value }), (error: unknown): Timed<T> => ({ kind: 'error', error })), late]);
  } finally {
    clearTimeout(timer);
  }
}

// Unit vectors of the embedder's dimension, one per segment; anything else is nonsense.
function invalidVectors(vectors: readonly Float32Array[], count: number, dimension: number): string | null {
  if (!Array.isArray(vectors) || vectors.length !== count) return `the embedder answered ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${count} texts`;
  for (const vector of vectors) {
    if (vector.length !== dimension) return `the embedder answered a vector of ${vector.length} dimensions, not ${dimension}`;
    let norm = 0;
    for (const x of vector) {
      if (!Number.isFinite(x)) return 'the embedder answered a vector with a non-finite value';
      norm += x * x;
    }
    if (Math.abs(Math.sqrt(norm) - 1) > 0.01) return `the embedder answered a vector of norm ${Math.sqrt(norm).toFixed(3)}, not a unit vector`;
  }
  return null;
}

function describe(error: unknown): string {
  const reason = (error as { reason?: unknown }).reason;
  if (typeof reason === 'string') return reason;
  return error instanceof Error ? error.message : String(error);
}
