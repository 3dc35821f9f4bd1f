import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Database } from '../../adapters/database/database.ts';
import { PostgresEventStore } from '../../adapters/eventstore/postgresEventStore.ts';
import { createApp } from '../../api/createApp.ts';
import { issueToken } from '../../api/auth/issueToken.ts';
import type { Role } from '../../api/auth/role.ts';
import { loadSigningKeys } from '../../api/auth/signingKeys.ts';
import { readConfig } from '../../config.ts';
import { agentReadModels } from '../../projections/agentReadModels.ts';
import { ProjectionRunner } from '../../projections/projectionRunner.ts';
import type { TestDatabaseTarget } from './testDatabases.ts';

export type TestApi = {
  url: string;
  database: Database;
  store: PostgresEventStore;
  runner: ProjectionRunner;
  token(role: Role, sub?: string): Promise<string>;
   
  request(method: string, path: string, options?: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
};

// The real HTTP API on an ephemeral port over a fresh database of the given target.
export async function startTestApi(target: TestDatabaseTarget, options: { maxBodyBytes?: number } = {}): Promise<TestApi> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chimera-test-'));
  const config = { ...readConfig({ CHIMERA_DATA_DIR: dataDir }), ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}) };
  const database = await target.open();
  const store = new PostgresEventStore(database.sql, { pollIntervalMs: 10 });
  const keys = await loadSigningKeys(config);
  const runner = new ProjectionRunner(database, store, agentReadModels);
  await runner.start();
  const app = createApp({ config, database, store, keys, projections: [runner], log: () => {} });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const operator = await issueToken(keys, { sub: 'operator-1', role: 'operator' });

  return {
    url,
    database,
    store,
    runner,
    token: (role, sub = `${role}-1`) => issueToken(keys, { sub, role }),
    async request(method, p, o = {}) {
      const token = o.token === undefined ? operator : o.token;
      const headers: Record<string, string> = { ...o.headers };
      if (token) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (o.rawBody !== undefined) body = o.rawBody;
      else if (o.body !== undefined) body = JSON.stringify(o.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(`${url}${p}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: the test sees the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runner.stop();
      await store.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
