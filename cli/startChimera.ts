import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { openDatabase, type Database } from '../adapters/database/database.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { createApp } from '../api/createApp.ts';
import { loadSigningKeys } from '../api/auth/signingKeys.ts';
import type { ChimeraConfig } from '../config.ts';
import { migrateToLatest } from '../migrations/migrateToLatest.ts';
import { agentReadModels } from '../projections/agentReadModels.ts';
import { ProjectionRunner } from '../projections/projectionRunner.ts';

export type RunningChimera = {
  url: string;
  database: Database;
  store: PostgresEventStore;
  projections: ProjectionRunner[];
  close(): Promise<void>;
};

export async function openChimeraDatabase(config: ChimeraConfig): Promise<Database> {
  const database = config.databaseUrl
    ? await openDatabase({ kind: 'postgres', connectionString: config.databaseUrl })
    : await openDatabase({ kind: 'pglite', dataDir: config.dataDir });
  await migrateToLatest(database.db);
  return database;
}

// The whole system in one process: database (PGlite on disk unless DATABASE_URL names a
// server), event store, projectors and the HTTP API.
export async function startChimera(config: ChimeraConfig, log: (line: string) => void = console.log): Promise<RunningChimera> {
  const database = await openChimeraDatabase(config);
  const store = new PostgresEventStore(database.sql);
  const keys = await loadSigningKeys(config);
  const projections = [
    new ProjectionRunner(database, store, agentReadModels, {
      onError: (error) => log(`projection agent_read_models failed, retrying: ${(error as Error).message}`),
    }),
  ];
  for (const runner of projections) await runner.start();

  const app = createApp({ config, database, store, keys, projections });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  log(`chimera listening on ${url} (database: ${database.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL server'})`);

  let closing: Promise<void> | null = null;
  return {
    url,
    database,
    store,
    projections,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        for (const runner of projections) await runner.stop();
        await store.close();
        await database.close();
      })()),
  };
}
