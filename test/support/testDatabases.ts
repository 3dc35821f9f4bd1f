import { describe, it } from 'node:test';
import pg from 'pg';
import type { Database } from '../../adapters/database/database.ts';
import { freshPgliteDatabase, freshServerDatabase } from './freshDatabase.ts';

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

export const testDatabaseTargets: TestDatabaseTarget[] = [
  { name: 'pglite', skip: undefined, open: freshPgliteDatabase },
  { name: 'postgres', skip: serverProblem, open: () => freshServerDatabase(serverUrl!, 40, 'chimera_t') },
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
