import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueToken } from '../../api/auth/issueToken.ts';
import type { Role } from '../../api/auth/role.ts';
import { loadSigningKeys } from '../../api/auth/signingKeys.ts';
import { startChimera, type ChimeraFaults, type RoleName, type RunningChimera } from '../../cli/startChimera.ts';
import { readConfig } from '../../config.ts';
import { until } from './waitFor.ts';

export type TestChimera = {
  url: string;
  running: RunningChimera;
  dataDir: string;
  token(role: Role, sub?: string): Promise<string>;
  request(method: string, path: string, options?: { token?: string | null; body?: unknown; as?: Role; sub?: string }): Promise<{ status: number; body: any; headers: Headers }>;
  // Polls `check` until it returns something truthy (or throws after `timeoutMs`).
  until<T>(check: () => Promise<T | undefined | null | false>, timeoutMs?: number, what?: string): Promise<T>;
  close(): Promise<void>;
};

// The whole of Chimera on the embedded default (PGlite in a temp folder, in-process bus,
// sandbox platform, local model), every role in this process, on an ephemeral port: what
// `chimera start` runs. `env` overrides settings (e.g. a short post cooldown for tests);
// `roles` runs only those (say, without workers, to drive tasks by hand).
export async function startTestChimera(env: Record<string, string> = {}, roles?: readonly RoleName[], faults: ChimeraFaults = {}): Promise<TestChimera> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chimera-e2e-'));
  const config = { ...readConfig({ CHIMERA_DATA_DIR: dataDir, CHIMERA_POST_COOLDOWN_MS: '50', CHIMERA_SWEEP_INTERVAL_MS: '500', ...env }), port: 0 };
  const running = await startChimera(config, roles, () => {}, faults);
  const keys = await loadSigningKeys(config);
  const tokens = new Map<string, string>();
  const token = async (role: Role, sub = `${role}-1`) => {
    const key = `${role}:${sub}`;
    if (!tokens.has(key)) tokens.set(key, await issueToken(keys, { sub, role }));
    return tokens.get(key)!;
  };
  const url = running.url!;
  return {
    url,
    running,
    dataDir,
    token,
    async request(method, p, o = {}) {
      const bearer = o.token === undefined ? await token(o.as ?? 'operator', o.sub) : o.token;
      const headers: Record<string, string> = {};
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      if (o.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${p}`, { method, headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: the test sees the text
      }
      return { status: response.status, body, headers: response.headers };
    },
    until: (check, timeoutMs = 20_000, what = 'condition') => until(check, timeoutMs, what),
    async close() {
      await running.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
