// Looks at where Chimera's append spends its time on the server: runs the append workload on
// a fresh database at one concurrency while sampling pg_stat_activity (what the benchmark's
// backends are doing / waiting on), and can swap in a variant of chimera_append.
//
//   node --import tsx bench/appendProfile.ts [--concurrency 32] [--seconds 6] [--variant file.sql]
//        [--target chimera|emmett|raw] [--unprepared] [--unchecked] [--pool n] [--keep] [--url postgres://...]
//
// --variant: a SQL file that creates a function named chimera_append_variant with the same
// signature and result columns as chimera_append; the store's calls are redirected to it.
// --unprepared: send the store's statements unnamed, parsed and planned on every call (chimera only).
// --unchecked: skip the OCC check and the final version check (for variants that break them on
// purpose, to measure what a part costs).
// --pool: connections for the store (chimera only; default concurrency + 2).
// --keep: leave the database in place (printed) for psql experiments instead of dropping it.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase, type SqlClient } from '../adapters/database/database.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { migrateToLatest } from '../migrations/migrateToLatest.ts';
import { createFreshDatabase, emmettServer, rawInsertServer, verifyOcc, type AppendTarget } from './appendTargets.ts';
import { benchEventData, runAppendWorkload } from './appendWorkload.ts';

async function chimeraVariantTarget(
  connectionString: string,
  concurrency: number,
  variantSql: string | undefined,
  unprepared: boolean,
  keep: boolean,
  unchecked: boolean,
  poolSize: number,
) {
  const fresh = await createFreshDatabase(connectionString, 'profile');
  const database = await openDatabase({ kind: 'postgres', connectionString: fresh.connectionString, maxConnections: poolSize });
  await migrateToLatest(database.db);
  if (variantSql) await database.sql.query(variantSql);
  const rename = (text: string) => (variantSql ? text.replace('chimera_append(', 'chimera_append_variant(') : text);
  let sql: SqlClient = { query: (text, params) => database.sql.query(rename(text), params) };
  let pool: pg.Pool | undefined;
  if (unprepared) {
    // Every statement unnamed (parsed and planned on each call), as the store sent them before
    // database.ts named them: to measure what the named prepared statements bring.
    const p = new pg.Pool({ connectionString: fresh.connectionString, max: poolSize });
    p.on('error', () => {});
    pool = p;
    sql = { query: async (text, params) => (await p.query(rename(text), params)) as never };
  }
  const store = new PostgresEventStore(sql);
  const target: AppendTarget = {
    name: `chimera${variantSql ? ' (variant)' : ''}${unprepared ? ' (unprepared)' : ''}`,
    append: async (stream, v) =>
      (await store.appendToStream(stream, [{ type: 'BenchmarkEventAppended', data: benchEventData(stream, v) }], { expectedRevision: v })).ok,
    readVersion: async (stream) => (await store.readStream(stream, { direction: 'backwards', maxCount: 1 })).currentVersion,
    close: async () => {
      await store.close();
      await pool?.end();
      await database.close();
      if (keep) console.error(`kept database: ${fresh.connectionString}`);
      else await fresh.drop();
    },
  };
  if (!unchecked) await verifyOcc(target, { exact: true });
  return { target, dbName: fresh.name };
}

async function main() {
  const { values } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '32' },
      seconds: { type: 'string', default: '6' },
      variant: { type: 'string' },
      target: { type: 'string', default: 'chimera' },
      keep: { type: 'boolean', default: false },
      unprepared: { type: 'boolean', default: false },
      unchecked: { type: 'boolean', default: false },
      pool: { type: 'string' },
      url: { type: 'string' },
    },
  });
  const connectionString = values.url ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/chimera';
  const concurrency = Number(values.concurrency);
  const durationMs = Number(values.seconds) * 1000;
  const variantSql = values.variant ? fs.readFileSync(values.variant, 'utf8') : undefined;

  let target: AppendTarget;
  let dbName: string;
  if (values.target === 'chimera') {
    ({ target, dbName } = await chimeraVariantTarget(
      connectionString,
      concurrency,
      variantSql,
      values.unprepared ?? false,
      values.keep ?? false,
      values.unchecked ?? false,
      values.pool ? Number(values.pool) : concurrency + 2,
    ));
  } else {
    target = values.target === 'emmett' ? await emmettServer(connectionString, concurrency) : await rawInsertServer(connectionString, concurrency);
    dbName = target.database!;
  }

  // Sample what the benchmark's backends are doing, every 5 ms, after the warm-up.
  const sampler = new pg.Client({ connectionString });
  await sampler.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let sampling = true;
  const warmupMs = 2000;
  const walStats = async () =>
    (await sampler.query<{ records: string; fpi: string; bytes: string; syncs: string }>(
      'SELECT wal_records AS records, wal_fpi AS fpi, wal_bytes AS bytes, wal_sync AS syncs FROM pg_stat_wal',
    )).rows[0]!;
  // CPU time (µs) of the benchmark's backends (from /proc), of this process, and of the machine.
  const cpuSnapshot = async () => {
    const { rows } = await sampler.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
    const tick = 1e6 / 100; // USER_HZ
    let backends = 0;
    for (const { pid } of rows) {
      try {
        const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        backends += (Number(fields[11]) + Number(fields[12])) * tick; // utime, stime
      } catch {
        // gone
      }
    }
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
    const total = cpu.reduce((a, b) => a + b, 0);
    const own = process.cpuUsage();
    return { backends, node: own.user + own.system, busy: (total - idle) * tick, pids: new Set(rows.map((r) => r.pid)) };
  };
  let walBefore: Awaited<ReturnType<typeof walStats>> | undefined;
  let cpuStart: Awaited<ReturnType<typeof cpuSnapshot>> | undefined;
  const sampling$ = (async () => {
    await new Promise((r) => setTimeout(r, warmupMs));
    walBefore = await walStats();
    cpuStart = await cpuSnapshot();
    while (sampling) {
      const { rows } = await sampler.query<{ what: string; n: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') || ' (' || state || ')' AS what, count(*) AS n
           FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() GROUP BY 1`,
        [dbName],
      );
      samples++;
      for (const r of rows) counts.set(r.what, (counts.get(r.what) ?? 0) + Number(r.n));
      await new Promise((r) => setTimeout(r, 5));
    }
  })();

  const cpuBefore = process.cpuUsage();
  const result = await runAppendWorkload({ concurrency, durationMs, warmupMs, append: target.append,
    ...(values.unchecked ? {} : { readVersion: target.readVersion }),
  });
  const cpu = process.cpuUsage(cpuBefore);
  const cpuEnd = await cpuSnapshot();
  sampling = false;
  await sampling$;
  const walAfter = await walStats();
  await sampler.end();
  await target.close();

  console.log(`${target.name} c=${concurrency}: ${Math.round(result.eventsPerSecond)} ev/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, conflicts ${result.conflicts}`);
  if (walBefore) {
    const per = (k: keyof typeof walAfter) => ((Number(walAfter[k]) - Number(walBefore![k])) / result.appends).toFixed(2);
    console.log(`WAL per append (server-wide): ${per('records')} records, ${per('fpi')} full-page images, ${per('bytes')} bytes; ${per('syncs')} WAL syncs`);
  }
  if (cpuStart) {
    const per = (us: number) => (us / result.appends).toFixed(0);
    const backends = cpuEnd.backends - cpuStart.backends;
    const node = cpuEnd.node - cpuStart.node;
    const busy = cpuEnd.busy - cpuStart.busy;
    const samePids = [...cpuEnd.pids].every((pid) => cpuStart!.pids.has(pid));
    console.log(
      `CPU per append: backends ${per(backends)} µs, node ${per(node)} µs, whole machine ${per(busy)} µs ` +
        `(the rest: kernel threads, WAL writer, other processes)${samePids ? '' : ' [backends changed during the run]'}`,
    );
  }
  console.log(`node CPU: ${((cpu.user + cpu.system) / 1000 / (durationMs + warmupMs)).toFixed(2)} cores`);
  console.log(`backend states (average backends over ${samples} samples):`);
  for (const [what, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${(n / samples).toFixed(2).padStart(6)}  ${what}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
