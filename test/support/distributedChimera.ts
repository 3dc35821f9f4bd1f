import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueToken } from '../../api/auth/issueToken.ts';
import type { Role } from '../../api/auth/role.ts';
import { loadSigningKeys } from '../../api/auth/signingKeys.ts';
import { readConfig } from '../../config.ts';
import { startChimeraProcess, stopChimeraProcess, type ChimeraProcess } from './chimeraProcess.ts';
import type { PipelineSystem } from './pipelineScenarios.ts';
import { postgresServerTarget } from './testDatabases.ts';
import { testKafkaBrokers } from './testKafka.ts';
import { until } from './waitFor.ts';

export type DistributedChimera = PipelineSystem & { processes: Record<string, ChimeraProcess[]>; databaseUrl: string; env: Record<string, string> };

// Chimera as `docker-compose.yml` runs it, minus Docker: every role its own `chimera <role>`
// process, over a fresh database on the PostgreSQL server and a fresh topic on the Kafka
// broker; two workers share the `workers` group.
export async function startDistributedChimera(workers = 2, options: { warmUp?: boolean } = {}): Promise<DistributedChimera> {
  const database = await postgresServerTarget.open();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chimera-distributed-'));
  const sandboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chimera-sandbox-'));
  const processes: Record<string, ChimeraProcess[]> = {};
  const started: ChimeraProcess[] = [];
  const run = async (role: string, env: Record<string, string>, ready: RegExp) => {
    const p = await startChimeraProcess(role, env, ready);
    (processes[role] ??= []).push(p);
    started.push(p);
    return p;
  };
  try {
    const sandbox = await run('sandbox', { CHIMERA_DATA_DIR: sandboxDir, CHIMERA_SANDBOX_PORT: '0' }, /behind MCP at \S+/);
    const mcpUrl = sandbox.output().match(/behind MCP at (\S+)/)![1]!;
    const env = {
      DATABASE_URL: database.connectionString!,
      KAFKA_BROKERS: testKafkaBrokers.join(','),
      KAFKA_TOPIC: `pipeline-${randomUUID().slice(0, 8)}`,
      CHIMERA_DATA_DIR: dataDir,
      CHIMERA_MCP_URL: mcpUrl,
      CHIMERA_POST_COOLDOWN_MS: '50',
      CHIMERA_SWEEP_INTERVAL_MS: '500',
      PORT: '0',
    };
    const api = await run('api', env, /chimera listening on \S+/);
    await run('projector', env, /member of consumer group projectors/);
    await run('judge', env, /member of consumer group judges/);
    for (let i = 0; i < workers; i++) await run('worker', env, /member of consumer group workers/);
    await run('forwarder', env, /forwarder: log/);
    const url = api.output().match(/chimera listening on (\S+)/)![1]!;
    const keys = await loadSigningKeys(readConfig({ CHIMERA_DATA_DIR: dataDir }));
    const tokens = new Map<string, string>();
    const token = async (role: Role, sub = `${role}-1`) => {
      if (!tokens.has(`${role}:${sub}`)) tokens.set(`${role}:${sub}`, await issueToken(keys, { sub, role }));
      return tokens.get(`${role}:${sub}`)!;
    };
    const system: DistributedChimera = {
      processes,
      patienceMs: 90_000,
      env,
      databaseUrl: database.connectionString!,
      async request(method, p, o = {}) {
        const headers: Record<string, string> = { authorization: `Bearer ${await token(o.as ?? 'operator', o.sub)}` };
        if (o.body !== undefined) headers['content-type'] = 'application/json';
        const response = await fetch(`${url}${p}`, { method, headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
        const text = await response.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON
        }
        return { status: response.status, body };
      },
      until: (check, timeoutMs = 60_000, what = 'condition') => until(check, timeoutMs, what, 100),
      async close() {
        for (const p of started.reverse()) await stopChimeraProcess(p);
        await database.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
        fs.rmSync(sandboxDir, { recursive: true, force: true });
      },
    };
    if (options.warmUp !== false) await warmUp(system);
    return system;
  } catch (error) {
    for (const p of started.reverse()) await stopChimeraProcess(p, 'SIGKILL');
    await database.close();
    throw error;
  }
}

// Consumer groups settle (members join, partitions are assigned) in the first seconds: one
// small campaign through every group before the scenarios start.
async function warmUp(system: PipelineSystem): Promise<void> {
  const agent = `warmup-${randomUUID().slice(0, 8)}`;
  const created = await system.request('POST', '/agents', { body: { agent_id: agent, name: agent, soul_md: '#', social_accounts: { twitter: { username: agent } }, budget: { daily_usd: 1, total_usd: 10 } } });
  if (created.status !== 201) throw new Error(`warm-up agent: ${JSON.stringify(created.body)}`);
  const composed = await system.request('POST', '/campaign/compose', { body: { agent_id: agent, natural_language_goal: 'One post on Twitter about our reading club' } });
  if (composed.status !== 201) throw new Error(`warm-up campaign: ${JSON.stringify(composed.body)}`);
  const post = composed.body.task_dag.tasks.find((t: { task_type: string }) => t.task_type === 'post_content').task_id;
  await system.until(async () => (await system.request('GET', `/worker/task/${post}/status`)).body.status === 'completed', 120_000, 'the warm-up post');
}
