import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../adapters/database/database.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { AgentStates } from '../commands/agentStates.ts';
import { handleAgentCommand } from '../commands/handleAgentCommand.ts';
import { loadCfoSigner } from '../commands/money/cfoSigner.ts';
import { GlobalBudget } from '../commands/money/globalBudgetStream.ts';
import { Treasury } from '../commands/money/treasury.ts';
import { DEFAULT_CFO_POLICY } from '../domain/money/cfoPolicy.ts';
import { summarize } from './percentiles.ts';
import { seedAgents } from './seedAgents.ts';

// The CFO Judge's decision (seed 004: under 300 ms): the global budget reservation and the
// agent's decision, each an append with OCC, with `concurrency` requests in flight over
// `agents` agents (several per agent, so the per-agent queue and the one global stream are
// both contended). Nothing is sent to a chain: that is the wallet's time, not the CFO's.
export async function cfoBench(database: Database, options: { agents: number; concurrency: number; durationMs: number }) {
  const store = new PostgresEventStore(database.sql);
  const states = new AgentStates(store);
  const ids = await seedAgents(database.sql, options.agents, 0);
  for (const [i, id] of ids.entries()) {
    await handleAgentCommand(store, id, { type: 'CreateWallet', data: { address: `0x${i.toString(16).padStart(40, '0')}`, network: 'local', key_reference: `hd:${i}` }, now: new Date().toISOString() }, { actor: { sub: 'bench', role: 'service' }, correlationId: 'bench' });
  }
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfo-bench-'));
  const treasury = new Treasury(store, states, null, new GlobalBudget(store), loadCfoSigner(keyDir, undefined), {
    policy: { ...DEFAULT_CFO_POLICY, rate_limit: 1_000_000 },
    globalLimits: { daily_usd: null, weekly_usd: null, monthly_usd: null },
    ethUsd: 3000,
  });
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  const end = Date.now() + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, k) => {
      for (let n = 0; Date.now() < end; n++) {
        const agentId = ids[(k + n * options.concurrency) % ids.length]!;
        const started = performance.now();
        const outcome = await treasury.decide({ agentId, kind: 'transfer', to: '0x00000000000000000000000000000000000000b0', asset: 'USDC', amount: '0.01', purpose: 'bench', projectedRoi: 2, campaignId: null }, 'bench');
        latencies.push(performance.now() - started);
        outcomes[outcome.decision] = (outcomes[outcome.decision] ?? 0) + 1;
      }
    }),
  );
  await store.close();
  fs.rmSync(keyDir, { recursive: true, force: true });
  const s = summarize(latencies);
  return { decisions: s.n, perSecond: s.n / (options.durationMs / 1000), p50Ms: s.p50, p99Ms: s.p99, outcomes };
}
