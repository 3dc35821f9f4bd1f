import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../adapters/database/database.ts';
import { migrateToLatest } from '../../migrations/migrateToLatest.ts';

// A new, migrated database on a PostgreSQL server (tests and benchmarks), dropped on close.
export async function freshServerDatabase(serverUrl: string, maxConnections = 40, prefix = 'chimera_bench'): Promise<Database> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', connectionString: url.toString(), maxConnections });
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

export async function freshPgliteDatabase(): Promise<Database> {
  const database = await openDatabase({ kind: 'pglite', dataDir: 'memory' });
  await migrateToLatest(database.db);
  return database;
}
