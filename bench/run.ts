// `npm run bench [-- --quick]`: every figure of the core, measured in one run on one machine,
// written to bench/results/<date>.json and bench/results/latest.json, printed as a table.
// Needs the PostgreSQL server and the Kafka broker of `npm run services:up`
// (BENCH_DATABASE_URL / BENCH_KAFKA_BROKERS, or the TEST_* ones it exports).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { readConfig } from '../config.ts';
import { startChimera } from '../cli/startChimera.ts';
import { issueToken } from '../api/auth/issueToken.ts';
import { loadSigningKeys } from '../api/auth/signingKeys.ts';
import { appendBenchTiming, runAppendBench } from './appendBench.ts';
import { commandThroughput } from './commandThroughput.ts';
import { commandToRead } from './commandToRead.ts';
import { closedLoopCommands, createLoadAgents } from './commandLoad.ts';
import { startServerProcess } from './chimeraServer.ts';
import { fanoutBench } from './fanoutBench.ts';
import { fleetBench } from './fleetBench.ts';
import { cfoBench } from './cfoBench.ts';
import { judgeBench } from './judgeBench.ts';
import { freshPgliteDatabase, freshServerDatabase } from '../test/support/freshDatabase.ts';
import { rebuildBench } from './rebuildBench.ts';

const quick = process.argv.includes('--quick');
// `--only cmd_to_read,cfo`: those sections alone, written beside the full runs as
// <date>-partial.json (latest.json stays the last whole run).
const SECTIONS = ['append', 'commands', 'cmd_to_read', 'rebuild', 'fanout', 'fleet', 'cfo', 'judge'] as const;
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? (process.argv[onlyArg + 1] ?? '').split(',').filter(Boolean) : null;
if (only && (only.length === 0 || only.some((name) => !(SECTIONS as readonly string[]).includes(name)))) {
  console.error(`--only takes a comma-separated list of: ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const runs = (section: (typeof SECTIONS)[number]) => !only || only.includes(section);
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const brokers = (process.env.BENCH_KAFKA_BROKERS ?? process.env.TEST_KAFKA_BROKERS ?? '').split(',').filter(Boolean);
if (!serverUrl || brokers.length === 0) {
  console.error('bench needs a PostgreSQL server and a Kafka broker: run `eval "$(npm run -s services:up)"` first');
  process.exit(2);
}

const metrics: Record<string, number> = {};
const notes: string[] = [];
const t = (full: number, short: number) => (quick ? short : full);
const log = (line: string) => console.error(`[bench] ${line}`);
const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : n);

async function machine() {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  const settings = await client.query<{ name: string; setting: string }>(
    "SELECT name, setting FROM pg_settings WHERE name IN ('shared_buffers','synchronous_commit','fsync','max_connections')",
  );
  await client.end();
  return {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: rows[0]?.server_version,
    postgres_settings: Object.fromEntries(settings.rows.map((r) => [r.name, r.setting])),
    kafka: 'Apache Kafka 4.1.1, single node (KRaft), same machine',
  };
}

async function main() {
  const started = Date.now();
  const description = await machine();
  log(`machine: ${description.cpus} × ${description.cpu_model}, PostgreSQL ${description.postgres}, ${quick ? 'quick' : 'full'} mode`);

  // 1. Append with OCC: ours, Emmett, plain INSERT, same server, same workload, in turns.
  let appendRows: Awaited<ReturnType<typeof runAppendBench>> = [];
  if (runs('append')) {
    appendRows = await runAppendBench({ connectionString: serverUrl!, ...appendBenchTiming(quick), log });
    const appendKey: Record<string, (c: number) => string> = {
      chimera: (c) => `append_occ_c${c}_eps`,
      emmett: (c) => `emmett_append_occ_c${c}_eps`,
      'raw insert': (c) => `raw_insert_c${c}_eps`,
      'chimera (pglite)': (c) => `append_occ_c${c}_eps_pglite`,
    };
    for (const row of appendRows) {
      const key = appendKey[row.target]?.(row.concurrency);
      if (key) metrics[key] = row.result.eventsPerSecond;
    }
    metrics.append_vs_emmett_c32 = metrics.append_occ_c32_eps! / metrics.emmett_append_occ_c32_eps!;
    metrics.append_vs_raw_insert_c32 = metrics.append_occ_c32_eps! / metrics.raw_insert_c32_eps!;
  }

  // 2. Commands: the pipeline in process (load, decide, append), then through HTTP.
  if (runs('commands')) {
    for (const [name, open] of [
      ['server', () => freshServerDatabase(serverUrl!, 40)],
      ['pglite', () => freshPgliteDatabase()],
    ] as const) {
      const database = await open();
      const r = await commandThroughput(database, { agents: 1000, concurrency: 32, durationMs: t(8000, 2000), warmupMs: t(2000, 500) });
      await database.close();
      metrics[`commands_per_s_${name}`] = r.commandsPerSecond;
      metrics[`command_p99_ms_${name}`] = r.p99Ms;
      log(`commands in process (${name}): ${Math.round(r.commandsPerSecond)}/s, p99 ${r.p99Ms.toFixed(1)} ms`);
    }
    {
      const database = await freshServerDatabase(serverUrl!, 4);
      const server = await startServerProcess('api', { DATABASE_URL: database.connectionString! });
      const versions = await createLoadAgents(server, 256);
      const r = await closedLoopCommands(server, versions, { concurrency: 64, durationMs: t(8000, 2000), warmupMs: t(2000, 500) });
      await server.stop();
      await database.close();
      metrics.http_commands_per_s_server = r.commandsPerSecond;
      metrics.http_command_p99_ms_server = r.p99Ms;
      log(`commands over HTTP (server): ${Math.round(r.commandsPerSecond)}/s, p99 ${r.p99Ms.toFixed(1)} ms`);
    }
  }

  // 3. Command to read model at a fixed offered load.
  if (runs('cmd_to_read')) {
    const rate = 500;
    {
      // Embedded default: everything in this one process, PGlite on disk.
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chimera-bench-embedded-'));
      const config = { ...readConfig({ CHIMERA_DATA_DIR: dataDir }), port: 0 };
      const running = await startChimera(config, undefined, () => {});
      const token = await issueToken(await loadSigningKeys(config), { sub: 'bench', role: 'operator' });
      const client = { url: running.url!, token };
      const created = await createLoadAgents(client, 300);
      // The cfo role gives each new agent a wallet (a WalletCreated in its stream, two funding
      // transactions on the dev chain): measured once that is done, at the versions it leaves.
      const deadline = Date.now() + 180_000;
      while ((await running.database.db.selectFrom('agent_wallets').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n !== String(created.size)) {
        if (Date.now() > deadline) throw new Error('the load agents got no wallets within 180 s');
        await new Promise((r) => setTimeout(r, 200));
      }
      const versions = new Map<string, number>();
      for (const id of created.keys()) versions.set(id, (await running.store.readStream(`agent-${id}`)).events.length);
      const r = await commandToRead(client, running.projections[0]!, versions, { rate, durationMs: t(15000, 4000), warmupMs: t(2000, 1000) });
      await running.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      metrics.cmd_to_read_p50_ms_embedded = r.p50Ms;
      metrics.cmd_to_read_p95_ms_embedded = r.p95Ms;
      metrics.cmd_to_read_p99_ms_embedded = r.p99Ms;
      log(`command → read model, embedded, ${rate}/s offered: p50 ${r.p50Ms.toFixed(1)} p99 ${r.p99Ms.toFixed(1)} ms (${r.measured} measured)`);
    }
    {
      // Roles as separate processes over the PostgreSQL server and Kafka.
      const database = await freshServerDatabase(serverUrl!, 4);
      const env = { DATABASE_URL: database.connectionString!, KAFKA_BROKERS: brokers.join(','), KAFKA_TOPIC: `bench-${randomUUID().slice(0, 8)}` };
      const api = await startServerProcess('api', env);
      const projector = await startServerProcess('projector', { ...env, CHIMERA_DATA_DIR: api.dataDir }, /member of consumer group/).catch(async (e) => {
        await api.stop();
        throw e;
      });
      const forwarder = await startServerProcess('forwarder', { ...env, CHIMERA_DATA_DIR: api.dataDir }, /forwarder: log/);
      const versions = await createLoadAgents(api, 300);
      const r = await commandToRead(api, database, versions, { rate, durationMs: t(15000, 4000), warmupMs: t(3000, 2000) });
      for (const p of [forwarder, projector, api]) await p.stop();
      await database.close();
      metrics.cmd_to_read_p50_ms_kafka = r.p50Ms;
      metrics.cmd_to_read_p95_ms_kafka = r.p95Ms;
      metrics.cmd_to_read_p99_ms_kafka = r.p99Ms;
      log(`command → read model, kafka, ${rate}/s offered: p50 ${r.p50Ms.toFixed(1)} p99 ${r.p99Ms.toFixed(1)} ms (${r.measured} measured)`);
    }
  }

  // 4. Rebuild.
  if (runs('rebuild')) {
    const agents = t(10_000, 2_000);
    const perAgent = t(100, 25);
    if (quick) notes.push(`quick mode: rebuild over ${agents * perAgent} events, not 1,000,000`);
    const database = await freshServerDatabase(serverUrl!, 12);
    const r = await rebuildBench(database, { agents, eventsPerAgent: perAgent });
    await database.close();
    metrics.rebuild_events = r.events;
    metrics.rebuild_eps = r.rebuildEventsPerSecond.agent_read_models!;
    metrics.rebuild_activity_eps = r.rebuildEventsPerSecond.agent_activity!;
    metrics.seed_append_batch_eps = r.seedEventsPerSecond;
    log(`rebuild of ${r.events} events: agent read models ${Math.round(metrics.rebuild_eps)} ev/s, activity ${Math.round(metrics.rebuild_activity_eps)} ev/s`);
  }

  // 5. Fan-out: forwarder vs raw producer, in turns.
  let fanoutRounds: Record<string, number[]> = {};
  if (runs('fanout')) {
    const database = await freshServerDatabase(serverUrl!, 12);
    const r = await fanoutBench(database, brokers, { agents: t(2000, 500), eventsPerAgent: t(50, 20), rounds: t(3, 1) });
    fanoutRounds = { forwarder: r.forwarderRounds.map(round), raw_kafkajs: r.rawRounds.map(round) };
    await database.close();
    metrics.forwarder_events = r.events;
    metrics.forwarder_eps = r.forwarderEventsPerSecond;
    metrics.raw_kafkajs_eps = r.rawEventsPerSecond;
    metrics.forwarder_vs_raw = r.forwarderEventsPerSecond / r.rawEventsPerSecond;
    log(`fan-out of ${r.events}: forwarder ${Math.round(r.forwarderEventsPerSecond)} ev/s, raw kafkajs ${Math.round(r.rawEventsPerSecond)} ev/s`);
  }

  // 6. Fleet scale.
  if (runs('fleet')) {
    const database = await freshServerDatabase(serverUrl!, 40);
    const r = await fleetBench(database, { agents: 10_000, concurrency: 32, durationMs: t(30_000, 8_000) });
    await database.close();
    metrics.fleet_agents = r.agents;
    metrics.fleet_commands_per_s = r.commandsPerSecond;
    metrics.fleet_max_lag_ms = r.maxLagMs;
    metrics.fleet_p99_lag_ms = r.p99LagMs;
    log(`fleet of ${r.agents}: ${Math.round(r.commandsPerSecond)} commands/s, projection lag max ${r.maxLagMs} ms, p99 ${r.p99LagMs} ms`);
  }

  // 7. The CFO Judge's decision.
  if (runs('cfo')) {
    const database = await freshServerDatabase(serverUrl!, 40);
    const r = await cfoBench(database, { agents: 100, concurrency: 32, durationMs: t(15_000, 5_000) });
    await database.close();
    metrics.cfo_decisions_per_s = r.perSecond;
    metrics.cfo_decision_p50_ms = r.p50Ms;
    metrics.cfo_decision_p99_ms = r.p99Ms;
    log(`CFO decisions: ${Math.round(r.perSecond)}/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms (${JSON.stringify(r.outcomes)})`);
  }

  // 8. The Judge's decision on a result (issue 11): the local path, and the LLM path against a
  // stand-in vendor that answers at once.
  if (runs('judge')) {
    const config = readConfig();
    for (const path of ['local', 'llm'] as const) {
      const r = await judgeBench(config, { model: path, passes: t(3, 1), concurrency: 4 });
      metrics[`judge_p50_ms_${path}`] = r.p50Ms;
      metrics[`judge_p99_ms_${path}`] = r.p99Ms;
      metrics[`judge_results_per_s_${path}`] = r.perSecond;
      metrics[`judge_results_per_s_c4_${path}`] = r.concurrentPerSecond;
      log(`judge, ${path} path: p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms over ${r.results} results; ${Math.round(r.perSecond)}/s one at a time, ${Math.round(r.concurrentPerSecond)}/s with 4 in flight`);
    }
  }

  const result = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    ...(only ? { only } : {}),
    duration_s: Math.round((Date.now() - started) / 1000),
    machine: description,
    metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, round(v)])),
    // Each append figure above is the median of these rounds (events/s), taken in turns.
    fanout_rounds: fanoutRounds,
    append_rounds: appendRows.map((row) => ({ target: row.target, concurrency: row.concurrency, eps: row.rounds.map(round) })),
    notes,
  };
  const dir = path.resolve('bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.date.slice(0, 19).replace(/:/g, '-')}${quick ? '-quick' : ''}${only ? '-partial' : ''}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  if (!only) fs.copyFileSync(file, path.join(dir, 'latest.json'));
  console.log(markdown(result));
  console.log(`\nwritten: ${path.relative(process.cwd(), file)}${only ? '' : ' (and latest.json)'}`);
}

function markdown(result: { metrics: Record<string, number>; machine: Record<string, unknown>; mode: string; notes: string[] }): string {
  const m = result.metrics;
  const ratio = (a: string, b: string) => (m[a] && m[b] ? `${(m[a]! / m[b]!).toFixed(2)}×` : '');
  const rows: [string, string, string][] = [
    ['Append with OCC, c=1 (ev/s)', `${m.append_occ_c1_eps}`, `Emmett ${m.emmett_append_occ_c1_eps} (${ratio('append_occ_c1_eps', 'emmett_append_occ_c1_eps')}), INSERT ${m.raw_insert_c1_eps} (${ratio('append_occ_c1_eps', 'raw_insert_c1_eps')})`],
    ['Append with OCC, c=8 (ev/s)', `${m.append_occ_c8_eps}`, `Emmett ${m.emmett_append_occ_c8_eps} (${ratio('append_occ_c8_eps', 'emmett_append_occ_c8_eps')}), INSERT ${m.raw_insert_c8_eps} (${ratio('append_occ_c8_eps', 'raw_insert_c8_eps')})`],
    ['Append with OCC, c=32 (ev/s)', `${m.append_occ_c32_eps}`, `Emmett ${m.emmett_append_occ_c32_eps} (${ratio('append_occ_c32_eps', 'emmett_append_occ_c32_eps')}), INSERT ${m.raw_insert_c32_eps} (${ratio('append_occ_c32_eps', 'raw_insert_c32_eps')})`],
    ['Append with OCC, c=32, PGlite (ev/s)', `${m.append_occ_c32_eps_pglite}`, ''],
    ['Commands/s, in process, server', `${m.commands_per_s_server}`, `p99 ${m.command_p99_ms_server} ms`],
    ['Commands/s, in process, PGlite', `${m.commands_per_s_pglite}`, `p99 ${m.command_p99_ms_pglite} ms`],
    ['Commands/s over HTTP, server', `${m.http_commands_per_s_server}`, `p99 ${m.http_command_p99_ms_server} ms; client on the same 2 cores`],
    ['Command → read model, embedded, 500/s (ms)', `p50 ${m.cmd_to_read_p50_ms_embedded}, p99 ${m.cmd_to_read_p99_ms_embedded}`, ''],
    ['Command → read model, Kafka roles, 500/s (ms)', `p50 ${m.cmd_to_read_p50_ms_kafka}, p99 ${m.cmd_to_read_p99_ms_kafka}`, ''],
    ['Rebuild (ev/s)', `${m.rebuild_eps}`, `${m.rebuild_events} events; activity ${m.rebuild_activity_eps}`],
    ['Forwarder → Kafka (ev/s)', `${m.forwarder_eps}`, `raw kafkajs ${m.raw_kafkajs_eps} (${ratio('forwarder_eps', 'raw_kafkajs_eps')})`],
    ['CFO decision (ms)', `p50 ${m.cfo_decision_p50_ms}, p99 ${m.cfo_decision_p99_ms}`, `${m.cfo_decisions_per_s} decisions/s, 32 in flight over 100 agents; seed target p99 < 300 ms`],
    ['Judge decision, local path (ms)', `p50 ${m.judge_p50_ms_local}, p99 ${m.judge_p99_ms_local}`, `${m.judge_results_per_s_local} results/s one at a time, ${m.judge_results_per_s_c4_local} with 4 in flight; goal p99 < 50 ms`],
    ['Judge decision, LLM path, stand-in vendor (ms)', `p50 ${m.judge_p50_ms_llm}, p99 ${m.judge_p99_ms_llm}`, `${m.judge_results_per_s_llm} results/s; the stand-in answers at once`],
    ['Fleet: agents / max projection lag (ms)', `${m.fleet_agents} / ${m.fleet_max_lag_ms}`, `${m.fleet_commands_per_s} commands/s, lag p99 ${m.fleet_p99_lag_ms} ms`],
  ];
  const mach = result.machine;
  return [
    `Machine: ${mach.cpus} × ${mach.cpu_model}, ${mach.memory_gib} GiB, ${mach.os}, Node ${mach.node}, PostgreSQL ${mach.postgres} (default settings), ${mach.kafka}. Mode: ${result.mode}.`,
    '',
    '| Measure | Chimera | Beside it |',
    '| --- | --- | --- |',
    ...rows.filter((r) => !r[1].includes('undefined')).map((r) => `| ${r.join(' | ')} |`),
    ...(result.notes.length ? ['', ...result.notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
}

await main();
process.exit(0);
