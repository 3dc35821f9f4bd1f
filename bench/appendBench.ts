// The append-with-OCC benchmark, side by side: Chimera's event store, Emmett's PostgreSQL event
// store and a plain INSERT per event (the floor), on the same PostgreSQL server, at
// concurrency 1, 8 and 32, plus Chimera on PGlite at 32.
//
//   node --import tsx bench/appendBench.ts [--quick] [--concurrency N ...] [--rounds N] [--url postgres://...]
//
// With --concurrency, only those concurrencies on the server (no PGlite).
//
// The server comes from --url, else BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL, else
// the services.sh default. Each target gets a fresh database (dropped afterwards). The targets
// take turns in rounds and each figure is the median of its rounds: on this 2-core VM the same
// measurement moves by ±20% from one minute to the next, and interleaving puts a slow spell on
// all targets alike. Each round waits for a quiet machine (at least 85% idle for a second, or
// 2 minutes) and the table says how much CPU others took meanwhile (bench/machineLoad.ts).
// Quick: 1 round of 2 s after 0.5 s of warm-up; full: 3 rounds of 5 s after 1 s.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chimeraPglite, chimeraServer, emmettServer, rawInsertServer, type AppendTarget } from './appendTargets.ts';
import { runAppendWorkload, type AppendWorkloadResult } from './appendWorkload.ts';
import { median } from './percentiles.ts';
import { startLoadMeter, waitForQuietMachine, type LoadMeter } from './machineLoad.ts';

// One target at one concurrency: the median over the rounds of events/s, p50 and p99, and the
// figures of each round. othersCores: the most CPU (cores) any round lost to everything but this
// process and the target's server sessions (server background processes, the kernel, whatever
// else runs on the machine); undefined where /proc is not available, or on PGlite.
export type AppendBenchRow = {
  target: string;
  concurrency: number;
  result: AppendWorkloadResult;
  rounds: number[];
  othersCores?: number | undefined;
};

export type AppendBenchOptions = {
  connectionString: string;
  // Measured window and warm-up of each round.
  durationMs: number;
  warmupMs: number;
  // Rounds per target and concurrency (default 3). The targets take turns, round after round,
  // in a rotating order, so that a slow spell of the machine falls on all of them alike.
  rounds?: number;
  concurrencies?: number[];
  pgliteConcurrency?: number;
  log?: (line: string) => void;
};

export const appendBenchTiming = (quick: boolean) =>
  quick ? { durationMs: 2_000, warmupMs: 500, rounds: 1 } : { durationMs: 5_000, warmupMs: 1_000, rounds: 3 };


// Runs every measurement one after another and returns the rows in order: for each
// concurrency, Chimera, Emmett and the INSERT floor on fresh databases of their own, interleaved
// round by round; then Chimera on PGlite.
export async function runAppendBench(options: AppendBenchOptions): Promise<AppendBenchRow[]> {
  const { connectionString, durationMs, warmupMs } = options;
  const concurrencies = options.concurrencies ?? [1, 8, 32];
  const rounds = Math.max(1, options.rounds ?? 3);
  const log = options.log ?? (() => {});
  const rows: AppendBenchRow[] = [];

  const measureOnce = async (target: AppendTarget, concurrency: number) => {
    // Others' work on a 2-core machine moves these figures by tens of per cent: wait for quiet.
    const idle = await waitForQuietMachine();
    if (idle !== undefined && idle < 0.85) log(`(machine still busy: ${Math.round(idle * 100)}% idle; measuring anyway)`);
    let meter: Promise<LoadMeter | undefined> | undefined;
    const warmedUp = setTimeout(() => {
      meter = startLoadMeter(connectionString, target.database).catch(() => undefined);
    }, warmupMs);
    const result = await runAppendWorkload({ concurrency, durationMs, warmupMs, append: target.append, readVersion: target.readVersion });
    clearTimeout(warmedUp);
    const othersCores = target.database ? (await (await meter)?.stop())?.othersCores : undefined;
    log(
      `${target.name} c=${concurrency}: ${Math.round(result.eventsPerSecond)} ev/s, p50 ${result.p50Ms.toFixed(2)} ms, ` +
        `p99 ${result.p99Ms.toFixed(2)} ms (${result.appends} appends, ${result.conflicts} conflicts)` +
        (othersCores === undefined ? '' : `, others' CPU ${othersCores.toFixed(2)} cores`),
    );
    return { result, othersCores };
  };

  const measureTogether = async (concurrency: number, opens: Array<() => Promise<AppendTarget>>) => {
    const targets: AppendTarget[] = [];
    try {
      for (const open of opens) targets.push(await open());
      const runs = targets.map(() => [] as Array<{ result: AppendWorkloadResult; othersCores: number | undefined }>);
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < targets.length; k++) {
          const i = (k + r) % targets.length;
          runs[i]!.push(await measureOnce(targets[i]!, concurrency));
        }
      }
      targets.forEach((target, i) => {
        const own = runs[i]!;
        const eps = own.map((run) => run.result.eventsPerSecond);
        const cores = own.map((run) => run.othersCores).filter((c): c is number => c !== undefined);
        rows.push({
          target: target.name,
          concurrency,
          rounds: eps,
          othersCores: cores.length > 0 ? Math.max(...cores) : undefined,
          result: {
            eventsPerSecond: median(eps),
            appends: own.reduce((sum, run) => sum + run.result.appends, 0),
            conflicts: own.reduce((sum, run) => sum + run.result.conflicts, 0),
            p50Ms: median(own.map((run) => run.result.p50Ms)),
            p99Ms: median(own.map((run) => run.result.p99Ms)),
          },
        });
      });
    } finally {
      for (const target of targets) await target.close();
    }
  };

  for (const c of concurrencies) {
    await measureTogether(c, [() => chimeraServer(connectionString, c), () => emmettServer(connectionString, c), () => rawInsertServer(connectionString, c)]);
  }
  if (options.pgliteConcurrency !== 0) await measureTogether(options.pgliteConcurrency ?? 32, [() => chimeraPglite()]);
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
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, url: { type: 'string' }, concurrency: { type: 'string', multiple: true }, rounds: { type: 'string' } } });
  const connectionString =
    values.url ??
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    process.env.DATABASE_URL ??
    'postgres://postgres@127.0.0.1:55432/chimera';
  const quick = values.quick ?? false;
  const timing = appendBenchTiming(quick);
  const { durationMs, warmupMs } = timing;
  const rounds = values.rounds ? Number(values.rounds) : timing.rounds;
  const concurrencies = values.concurrency?.map(Number);
  console.error(
    `append benchmark (${quick ? 'quick' : 'full'}: ${rounds} × ${durationMs / 1000} s after ${warmupMs / 1000} s warm-up) on ${new URL(connectionString).host}`,
  );
  const rows = await runAppendBench({
    connectionString,
    durationMs,
    warmupMs,
    rounds,
    ...(concurrencies ? { concurrencies, pgliteConcurrency: 0 } : {}),
    log: (line) => console.error(line),
  });
  console.log(formatAppendBench(rows));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
