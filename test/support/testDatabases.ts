import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import { openDatabase, type Database } from '../../adapters/database/database.ts';
import { migrateToLatest } from '../../migrations/migrateToLatest.ts';

// Every database a suite runs against. PGlite always; the PostgreSQL server when
// TEST_DATABASE_URL reaches one (`npm run services:up` starts it). Under
// CHIMERA_REQUIRE_SERVICES=1 (CI) an unreachable server fails the suite instead of skipping it.

export type TestDatabaseTarget = {
  name: 'pglite' | 'postgres';
  // Why the target is skipped, or undefined when it runs.
  skip: string | undefined;
  open(): Promise<Database>;
};

const requireServices = process.env.CHIMERA_REQUIRE_SERVICES === '1';
const serverUrl = process.env.TEST_DATABASE_URL;

async function probeServer(): Promise<string | undefined> {
  if (!serverUrl) return 'no PostgreSQL server: TEST_DATABASE_URL is not set (run `npm run services:up`)';
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL server at TEST_DATABASE_URL unreachable: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

const serverProblem = await probeServer();
if (serverProblem && requireServices) {
  throw new Error(`CHIMERA_REQUIRE_SERVICES=1 but ${serverProblem}`);
}

// A fresh database on the server per call, dropped when the handle closes.
async function openServerDatabase(maxConnections?: number): Promise<Database> {
  const name = `chimera_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', connectionString: url.toString(), maxConnections: maxConnections ?? 40 });
  await migrateToLatest(database.db);
  const close = database.close.bind(database);
  database.close = async () => {
    await close();
    const dropper = new pg.Client({ connectionString: serverUrl });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await dropper.end();
  };
  return database;
}

async function openPgliteDatabase(): Promise<Database> {
  const database = await openDatabase({ kind: 'pglite', dataDir: 'memory' });
  await migrateToLatest(database.db);
  return database;
}

export const testDatabaseTargets: TestDatabaseTarget[] = [
  { name: 'pglite', skip: undefined, open: openPgliteDatabase },
  { name: 'postgres', skip: serverProblem, open: () => openServerDatabase() },
];

export const postgresServerTarget = testDatabaseTargets[1]!;

// A suite that runs against one target. When the target's server is missing, the suite shows
// up as one skipped test naming the reason, so the run's summary counts what it skipped.
export function describeOn(target: TestDatabaseTarget, name: string, body: () => void): void {
  const title = `${name} [${target.name}]`;
  if (target.skip) {
    describe(title, () => {
      it(`needs the PostgreSQL server`, { skip: target.skip }, () => {});
    });
    return;
  }
  describe(title, body);
}
