// The append-with-OCC benchmark, side by side: Chimera's event store, Emmett's PostgreSQL event
// store and a plain INSERT per event (the floor), on the same PostgreSQL server, at
// concurrency 1, 8 and 32, plus Chimera on PGlite at 32.
//
//   node --import tsx bench/appendBench.ts [--quick] [--url postgres://...]
//
// The server comes from --url, else BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL, else
// the services.sh default. Each measurement gets a fresh database (dropped afterwards) and runs
// alone, once the machine is quiet (at least 85% idle for a second, or after 2 minutes); the
// table says how much CPU others took meanwhile (see bench/machineLoad.ts): a figure measured
// while others took a good part of the 2 cores is not worth much. Quick: 2 s measured after
// 0.5 s of warm-up; full: 8 s after 2 s.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chimeraPglite, chimeraServer, emmettServer, rawInsertServer, type AppendTarget } from './appendTargets.ts';
import { runAppendWorkload, type AppendWorkloadResult } from './appendWorkload.ts';
import { startLoadMeter, waitForQuietMachine, type LoadMeter } from './machineLoad.ts';

// othersCores: CPU (cores) used during the measured window by everything but this process and
// the target's server sessions: the server's background processes, the kernel, and whatever
// else runs on the machine (undefined where /proc is not available, or on PGlite).
export type AppendBenchRow = { target: string; concurrency: number; result: AppendWorkloadResult; othersCores?: number | undefined };

export type AppendBenchOptions = {
  connectionString: string;
  durationMs: number;
  warmupMs: number;
  concurrencies?: number[];
  pgliteConcurrency?: number;
  // A measurement during which others took more than `busyCores` of CPU is taken again, up to
  // `retries` times; the least disturbed attempt is kept (defaults: 0.25 cores, 2 retries).
  busyCores?: number;
  retries?: number;
  log?: (line: string) => void;
};

// Runs every measurement one after another and returns the rows in order.
export async function runAppendBench(options: AppendBenchOptions): Promise<AppendBenchRow[]> {
  const { connectionString, durationMs, warmupMs } = options;
  const concurrencies = options.concurrencies ?? [1, 8, 32];
  const log = options.log ?? (() => {});
  const rows: AppendBenchRow[] = [];
  const busyCores = options.busyCores ?? 0.25;
  const retries = options.retries ?? 2;
  const attempt = async (concurrency: number, open: () => Promise<AppendTarget>): Promise<AppendBenchRow> => {
    // Others' work on a 2-core machine moves these figures by tens of per cent: wait for quiet.
    const idle = await waitForQuietMachine();
    if (idle !== undefined && idle < 0.85) log(`(machine still busy: ${Math.round(idle * 100)}% idle; measuring anyway)`);
    const target = await open();
    try {
      let meter: Promise<LoadMeter | undefined> | undefined;
      const warmedUp = setTimeout(() => {
        meter = startLoadMeter(connectionString, target.database).catch(() => undefined);
      }, warmupMs);
      const result = await runAppendWorkload({
        concurrency,
        durationMs,
        warmupMs,
        append: target.append,
        readVersion: target.readVersion,
      });
      clearTimeout(warmedUp);
      const load = target.database ? await (await meter)?.stop() : undefined;
      const othersCores = load?.othersCores;
      log(
        `${target.name} c=${concurrency}: ${Math.round(result.eventsPerSecond)} ev/s, p50 ${result.p50Ms.toFixed(2)} ms, ` +
          `p99 ${result.p99Ms.toFixed(2)} ms (${result.appends} appends, ${result.conflicts} conflicts)` +
          (othersCores === undefined ? '' : `, others' CPU ${othersCores.toFixed(2)} cores`),
      );
      return { target: target.name, concurrency, result, othersCores };
    } finally {
      await target.close();
    }
  };
  const measure = async (concurrency: number, open: () => Promise<AppendTarget>) => {
    let best = await attempt(concurrency, open);
    for (let i = 0; i < retries && (best.othersCores ?? 0) > busyCores; i++) {
      log('  (disturbed by other work on the machine: measuring again)');
      const again = await attempt(concurrency, open);
      if ((again.othersCores ?? 0) < (best.othersCores ?? 0)) best = again;
    }
    rows.push(best);
  };
  for (const c of concurrencies) {
    await measure(c, () => chimeraServer(connectionString, c));
    await measure(c, () => emmettServer(connectionString, c));
    await measure(c, () => rawInsertServer(connectionString, c));
  }
  if (options.pgliteConcurrency !== 0) await measure(options.pgliteConcurrency ?? 32, () => chimeraPglite());
  return rows;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');

export function formatAppendBench(rows: AppendBenchRow[]): string {
  const lines = [
    "| target | concurrency | events/s | p50 ms | p99 ms | conflicts | others' CPU (cores) |",
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      ({ target, concurrency, result: r, othersCores }) =>
        `| ${target} | ${concurrency} | ${fmt(r.eventsPerSecond)} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ${r.conflicts} | ` +
        `${othersCores === undefined ? 'n/a' : fmt(othersCores, 2)} |`,
    ),
  ];
  const find = (target: string, c: number) => rows.find((r) => r.target === target && r.concurrency === c)?.result.eventsPerSecond;
  const ratios = [...new Set(rows.map((r) => r.concurrency))]
    .map((c) => {
      const chimera = find('chimera', c);
      const emmett = find('emmett', c);
      const raw = find('raw insert', c);
      if (chimera === undefined || (emmett === undefined && raw === undefined)) return null;
      const ratio = (other: number | undefined) => (other ? `${fmt(chimera / other, 2)}×` : 'n/a');
      return `| ${c} | ${ratio(emmett)} | ${ratio(raw)} |`;
    })
    .filter((line): line is string => line !== null);
  if (ratios.length > 0) lines.push('', '| concurrency | chimera / emmett | chimera / raw insert |', '|---:|---:|---:|', ...ratios);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, url: { type: 'string' } } });
  const connectionString =
    values.url ??
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    process.env.DATABASE_URL ??
    'postgres://postgres@127.0.0.1:55432/chimera';
  const quick = values.quick ?? false;
  const durationMs = quick ? 2_000 : 8_000;
  const warmupMs = quick ? 500 : 2_000;
  console.error(`append benchmark (${quick ? 'quick' : 'full'}: ${durationMs / 1000} s after ${warmupMs / 1000} s warm-up) on ${new URL(connectionString).host}`);
  const rows = await runAppendBench({ connectionString, durationMs, warmupMs, log: (line) => console.error(line) });
  console.log(formatAppendBench(rows));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
