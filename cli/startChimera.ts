import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { openDatabase, type Database } from '../adapters/database/database.ts';
import type { Bus } from '../adapters/bus/bus.ts';
import { EventForwarder } from '../adapters/bus/eventForwarder.ts';
import { InProcessBus } from '../adapters/bus/inProcessBus.ts';
import { KafkaBus } from '../adapters/bus/kafkaBus.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { createApp } from '../api/createApp.ts';
import { loadSigningKeys } from '../api/auth/signingKeys.ts';
import type { ChimeraConfig } from '../config.ts';
import { migrateToLatest } from '../migrations/migrateToLatest.ts';
import { agentActivity } from '../projections/agentActivity.ts';
import { agentReadModels } from '../projections/agentReadModels.ts';
import { workReadModels } from '../projections/workReadModels.ts';
import { moneyReadModels } from '../projections/moneyReadModels.ts';
import { engagementMetrics } from '../projections/engagementMetrics.ts';
import { EngagementPoller } from '../commands/engagement/engagementPoller.ts';
import { BusProjector } from '../projections/busProjector.ts';
import { ProjectionGroup } from '../projections/projectionGroup.ts';
import { ProjectionRunner } from '../projections/projectionRunner.ts';
import { McpToolClient } from '../adapters/mcp/mcpToolClient.ts';
import { SandboxPlatform } from '../adapters/mcp/sandboxPlatform.ts';
import { createSandboxMcpServer } from '../adapters/mcp/sandboxMcpServer.ts';
import { serveMcp } from '../adapters/mcp/serveMcp.ts';
import { selectModel } from '../adapters/models/selectModel.ts';
import type { ModelPort } from '../adapters/models/modelPort.ts';
import { AgentStates } from '../commands/agentStates.ts';
import { ResultJudge } from '../commands/judge/resultJudge.ts';
import { TaskSweeper } from '../commands/worker/taskSweeper.ts';
import { TaskWorker } from '../commands/worker/taskWorker.ts';
import { AgentTools } from '../commands/worker/agentTools.ts';
import { workContext } from '../commands/workContext.ts';
import { judgeParts as makeJudgeParts, type JudgeParts } from './judgeParts.ts';
import { Treasury } from '../commands/money/treasury.ts';
import { WalletIssuer } from '../commands/money/walletIssuer.ts';
import { SettlementSweeper } from '../commands/money/settlementSweeper.ts';
import { selectWallets, walletSettings } from '../adapters/wallet/selectWallets.ts';
import type { WalletPort } from '../adapters/wallet/walletPort.ts';
import { GlobalBudget } from '../commands/money/globalBudgetStream.ts';
import { loadCfoSigner } from '../commands/money/cfoSigner.ts';

export const roleNames = ['api', 'forwarder', 'projector', 'worker', 'judge', 'sandbox', 'cfo'] as const;
export type RoleName = (typeof roleNames)[number];

export const projections = [agentReadModels, workReadModels, moneyReadModels, engagementMetrics, agentActivity];

export type RunningChimera = {
  url: string | null;
  roles: RoleName[];
  database: Database;
  store: PostgresEventStore;
  bus: Bus;
  projections: ProjectionRunner[];
  forwarder: EventForwarder | null;
  close(): Promise<void>;
};

export async function openChimeraDatabase(config: ChimeraConfig): Promise<Database> {
  const database = config.databaseUrl
    ? await openDatabase({ kind: 'postgres', connectionString: config.databaseUrl })
    : await openDatabase({ kind: 'pglite', dataDir: config.dataDir });
  await migrateToLatest(database.db);
  return database;
}

// Runs the given roles in this process. `chimera start` runs all of them; `chimera <role>`
// one. With KAFKA_BROKERS the roles meet through Kafka and can run in separate processes,
// several per role; without it they share the in-process bus and must run in one process.
// Fault injection, for tests that crash a process at a chosen point.
export type ChimeraFaults = {
  afterPublishCall?: (taskId: string) => void | Promise<void>;
  afterSpendApproval?: (transferId: string) => void | Promise<void>;
  // A model in place of the configured one (a test's misbehaving LLM).
  model?: ModelPort;
};

export async function startChimera(
  config: ChimeraConfig,
  roles: readonly RoleName[] = roleNames,
  log: (line: string) => void = console.log,
  faults: ChimeraFaults = {},
): Promise<RunningChimera> {
  const database = await openChimeraDatabase(config);
  const store = new PostgresEventStore(database.sql, { pollIntervalMs: config.pollIntervalMs, coalesceMs: database.kind === 'pglite' ? 10 : 0 });
  const bus: Bus = config.kafkaBrokers ? new KafkaBus({ brokers: config.kafkaBrokers, clientId: `chimera-${roles.join('-')}` }) : new InProcessBus();
  const stops: (() => Promise<void>)[] = [];
  const runners: ProjectionRunner[] = [];
  let forwarder: EventForwarder | null = null;
  let url: string | null = null;
  const onError = (what: string) => (error: unknown) => log(`${what} failed, retrying: ${(error as Error).message}`);
  // Consumers may start before any forwarder: the topic must exist for them to subscribe.
  await bus.ensureTopic(config.kafkaTopic, config.kafkaPartitions);

  if (roles.includes('projector')) {
    if (bus.durable) {
      // Kafka: one member of the `projectors` group; more processes share the partitions.
      const projector = new BusProjector(database, bus, projections, { topic: config.kafkaTopic, onError: onError('projector') });
      await projector.start();
      stops.push(() => projector.stop());
      log(`projector: member of consumer group ${projector.group} on ${config.kafkaTopic}`);
    } else {
      // Embedded: the read models live beside the log, so they follow it directly, together.
      for (const projection of projections) runners.push(new ProjectionRunner(database, store, projection, { onError: onError(`projection ${projection.name}`) }));
      const group = new ProjectionGroup(store, runners, { onError: onError('projections') });
      await group.start();
      stops.push(() => group.stop());
    }
  }
  // The agent pipeline: the model (local unless an LLM provider is configured), the MCP tools
  // (the sandbox platform served here, or CHIMERA_MCP_URL), workers and the judge.
  const model = faults.model ?? selectModel();
  const states = new AgentStates(store);
  let mcpUrl = config.pipeline.mcpUrl;
  if (roles.includes('sandbox')) {
    const sandbox = SandboxPlatform.open({ store: path.join(config.dataDir, 'sandbox-platform'), seed: config.pipeline.sandboxSeed, now: () => new Date() });
    const served = await serveMcp(() => createSandboxMcpServer(sandbox, model), { onError: onError('sandbox MCP') }).listen(config.pipeline.sandboxPort, config.pipeline.sandboxHost);
    mcpUrl ??= served.url;
    stops.push(async () => {
      await served.close();
      sandbox.close();
    });
    log(`sandbox: social platform (stand-in for the real networks) behind MCP at ${served.url}`);
  }
  const tools = mcpUrl ? new McpToolClient({ name: roles.includes('sandbox') ? 'sandbox' : 'mcp', url: mcpUrl }) : null;
  if (tools) stops.push(() => tools.close());
  const serviceContext = (role: string) => workContext(store, config, { sub: `chimera-${role}`, role: 'service' }, states);
  if (roles.includes('worker')) {
    if (!tools) throw new Error('the worker role needs MCP tools: set CHIMERA_MCP_URL or run the sandbox role in this process');
    const work = serviceContext('worker');
    const worker = new TaskWorker(work, bus, new AgentTools(tools), { topic: config.kafkaTopic, workerId: `worker-${process.pid}`, timeoutMs: config.pipeline.taskTimeoutMs, log, onError: onError('worker'), ...(faults.afterPublishCall ? { afterPublishCall: faults.afterPublishCall } : {}) });
    await worker.start();
    const sweeper = new TaskSweeper(database, work, worker, {
      intervalMs: config.pipeline.sweepIntervalMs,
      taskTimeoutMs: config.pipeline.taskTimeoutMs + 5_000,
      readyGraceMs: Math.max(10_000, 2 * config.pipeline.sweepIntervalMs),
      onError: onError('sweeper'),
    });
    sweeper.start();
    const engagement = new EngagementPoller(database, store, tools, { intervalMs: config.pipeline.engagementIntervalMs, onError: onError('engagement') });
    engagement.start();
    stops.unshift(async () => {
      await engagement.stop();
      await sweeper.stop();
      await worker.stop();
    });
    log(`worker: member of consumer group workers on ${config.kafkaTopic}, tools at ${mcpUrl}`);
  }
  // The Judge's detectors, where results or goals are judged (the judge role; the api for
  // /judge/validate and the planner's goal checks): one embedder for both.
  let judging: JudgeParts | null = null;
  if (roles.includes('judge') || roles.includes('api')) {
    const parts = makeJudgeParts(config, model);
    judging = parts;
    stops.push(() => parts.embedder.close());
    const health = await parts.embedder.health();
    log(`judge detectors: lexical, semantic (${parts.embedder.modelId}: ${health.status}${health.detail ? `, ${health.detail}` : ''})${model.provider === 'local' ? '' : `, llm (${model.provider})`}`);
  }
  if (roles.includes('judge')) {
    const judge = new ResultJudge(serviceContext('judge'), bus, judging!.judge, { topic: config.kafkaTopic, policy: judging!.policy, log, onError: onError('judge') });
    await judge.start();
    stops.unshift(() => judge.stop());
    log(`judge: member of consumer group judges on ${config.kafkaTopic} (model: ${model.provider})`);
  }
  // Wallets (issue 6), where transfers are signed (api) and wallets issued (cfo). A dev chain
  // in this process only where it is the one chain: the cfo role, or every role in one
  // process (in-process bus). An api process on its own reaches the chain by
  // CHIMERA_CHAIN_RPC_URL (the cfo process serves it on CHIMERA_CHAIN_PORT) or CDP; without
  // either it records the CFO's decisions and leaves their settlement to a process with wallets.
  let wallets: WalletPort | null = null;
  const chainReachable = walletSettings(process.env, config.dataDir).kind === 'cdp' || !!process.env.CHIMERA_CHAIN_RPC_URL;
  if (roles.includes('cfo') || (roles.includes('api') && (!bus.durable || chainReachable))) {
    const w = await selectWallets(process.env, { dataDir: config.dataDir });
    wallets = w;
    stops.push(() => w.close());
    log(`wallets: ${w.network} (chain ${w.chainId})`);
  } else if (roles.includes('api')) {
    log('wallets: none in this process (set CHIMERA_CHAIN_RPC_URL); approved transfers wait for one that has them');
  }
  if (roles.includes('cfo')) {
    const w = wallets!;
    const issuer = new WalletIssuer(store, states, bus, {
      createWallet: (agentId) => w.createWallet(agentId),
      fund: async (address) => {
        if (w.defaultFunding) await w.fund(address as `0x${string}`, w.defaultFunding);
      },
    }, { topic: config.kafkaTopic, onError: onError('wallet issuer') });
    await issuer.start();
    stops.unshift(() => issuer.stop());
    log(`cfo: member of consumer group cfo on ${config.kafkaTopic} (a wallet for every new agent)`);
  }
  if (roles.includes('forwarder')) {
    forwarder = new EventForwarder(database, store, bus, { topic: config.kafkaTopic, partitions: config.kafkaPartitions, onError: onError('forwarder') });
    await forwarder.start();
    const f = forwarder;
    stops.unshift(() => f.stop());
    log(`forwarder: log → ${bus.kind} topic ${config.kafkaTopic}`);
  }
  // The CFO Judge and the way of what it approved to the chain. It decides in API processes (a
  // transfer's answer waits for the decision); every process with wallets settles, the cfo
  // role's too, whose sweeper sends what an API process without wallets approved.
  let treasury: Treasury | null = null;
  if (roles.includes('api') || roles.includes('cfo')) {
    const t = new Treasury(store, states, wallets, new GlobalBudget(store), loadCfoSigner(config.dataDir), {
      policy: { min_roi_hurdle: config.money.minRoiHurdle, max_transaction_usd: config.money.maxTransactionUsd, risk_hitl_threshold: config.money.riskHitlThreshold, rate_window_ms: config.money.rateWindowMs, rate_limit: config.money.rateLimit },
      globalLimits: { daily_usd: config.money.dailyBudgetUsd, weekly_usd: config.money.weeklyBudgetUsd, monthly_usd: config.money.monthlyBudgetUsd },
      ethUsd: config.money.ethUsd,
      ...(faults.afterSpendApproval ? { afterApproval: faults.afterSpendApproval } : {}),
    });
    treasury = t;
    if (wallets) {
      const settlement = new SettlementSweeper(database, t, { intervalMs: config.pipeline.sweepIntervalMs, graceMs: 10_000, onError: onError('settlement') });
      settlement.start();
      stops.unshift(() => settlement.stop());
    }
    stops.unshift(() => t.drain());
  }
  if (roles.includes('api')) {
    const keys = await loadSigningKeys(config);
    const app = createApp({
      config,
      database,
      store,
      keys,
      projections: runners,
      forwarder,
      agentStates: states,
      pipeline: { model, tools, work: serviceContext('api'), judge: judging!.judge, policy: judging!.policy },
      embedder: judging!.embedder,
      money: {
        treasury: treasury!,
        balances: wallets ? { balance: (address) => wallets!.balance(address as `0x${string}`), totalSupply: (token) => wallets!.totalSupply(token as `0x${string}`) } : null,
        ethUsd: config.money.ethUsd,
      },
    });
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(config.port, () => resolve(s));
      s.once('error', reject);
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stops.unshift(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    log(`chimera listening on ${url} (database: ${database.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL server'}; bus: ${bus.kind})`);
  }

  let closing: Promise<void> | null = null;
  return {
    url,
    roles: [...roles],
    database,
    store,
    bus,
    projections: runners,
    forwarder,
    close: () =>
      (closing ??= (async () => {
        for (const stop of stops) await stop();
        await bus.close();
        await store.close();
        await database.close();
      })()),
  };
}
