import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

// The append-with-OCC workload: `concurrency` workers, each owning a disjoint share of the
// streams (so there are no conflicts by design), each appending one small event at a time,
// round-robin over its streams, at the exact expected version it tracks.

// Appends ONE event to `stream` at exactly `expectedVersion` (versions count events: 0 before
// the first). Resolves true if appended, false on a version conflict; rejects on other errors.
export type AppendFn = (stream: string, expectedVersion: number) => Promise<boolean>;

export type AppendWorkloadOptions = {
  concurrency: number;
  // How many streams are shared out among the workers (default 100; at least `concurrency`).
  streams?: number;
  // Length of the measured window, after the warm-up.
  durationMs: number;
  warmupMs: number;
  append: AppendFn;
  // The stream's current version in the store. Used to retry after a conflict (there should be
  // none) and to check at the end that every stream holds exactly the events counted.
  // Without it a conflict is an error, and the final check is skipped.
  readVersion?: (stream: string) => Promise<number>;
};

export type AppendWorkloadResult = {
  // Successful appends (= events) in the measured window, per second of that window.
  eventsPerSecond: number;
  // Successful appends that completed in the measured window.
  appends: number;
  // Version conflicts over the whole run, warm-up included (0 expected).
  conflicts: number;
  // Latency of the successful appends completed in the measured window.
  p50Ms: number;
  p99Ms: number;
};

const PADDING = 'x'.repeat(32);

// The event data every target appends: about 200 bytes of JSON.
export function benchEventData(stream: string, expectedVersion: number): Record<string, unknown> {
  return {
    kind: 'BenchmarkEventAppended',
    stream,
    sequence: expectedVersion + 1,
    correlationId: randomUUID(),
    at: '2025-01-01T00:00:00.000Z',
    note: PADDING,
  };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export async function runAppendWorkload(options: AppendWorkloadOptions): Promise<AppendWorkloadResult> {
  const { concurrency, durationMs, warmupMs, append, readVersion } = options;
  const streamCount = options.streams ?? 100;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError(`bad concurrency: ${concurrency}`);
  if (!Number.isSafeInteger(streamCount) || streamCount < concurrency) {
    throw new RangeError(`need at least one stream per worker (streams ${streamCount}, concurrency ${concurrency})`);
  }
  if (!(durationMs > 0) || !(warmupMs >= 0)) throw new RangeError('durationMs must be > 0 and warmupMs >= 0');

  // Fresh names for every run; the part before the first '-' is the stream type for stores
  // that derive one from the name (Emmett).
  const runId = randomUUID().slice(0, 8);
  const names = Array.from({ length: streamCount }, (_, i) => `bench-${runId}-${i}`);
  const versions = new Map(names.map((n) => [n, 0]));

  const start = performance.now();
  const measureFrom = start + warmupMs;
  const measureTo = measureFrom + durationMs;

  let latencies = new Float64Array(1 << 16);
  let appends = 0;
  let conflicts = 0;
  const record = (ms: number) => {
    if (appends === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[appends++] = ms;
  };

  const worker = async (w: number) => {
    const own = names.filter((_, i) => i % concurrency === w);
    for (let i = 0; ; i = (i + 1) % own.length) {
      const stream = own[i]!;
      const expected = versions.get(stream)!;
      const t0 = performance.now();
      if (t0 >= measureTo) return;
      const ok = await append(stream, expected);
      const t1 = performance.now();
      if (ok) {
        versions.set(stream, expected + 1);
        if (t1 >= measureFrom && t1 <= measureTo) record(t1 - t0);
        continue;
      }
      conflicts++;
      if (!readVersion) throw new Error(`unexpected version conflict on ${stream} at ${expected} (streams are not shared)`);
      const actual = await readVersion(stream);
      if (actual === expected) throw new Error(`append to ${stream} at ${expected} reported a conflict, but the stream is at ${actual}`);
      versions.set(stream, actual);
    }
  };

  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));

  if (readVersion) {
    for (const [stream, expected] of versions) {
      const actual = await readVersion(stream);
      if (actual !== expected) throw new Error(`${stream}: the store is at version ${actual}, the workload counted ${expected}`);
    }
  }

  const sorted = latencies.subarray(0, appends).sort();
  return {
    eventsPerSecond: appends / (durationMs / 1000),
    appends,
    conflicts,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}
