import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { DatabaseSchema } from './databaseSchema.ts';
import { PGliteDialect } from './pgliteDialect.ts';
import { SessionLock } from './sessionLock.ts';

// bigint columns come back as strings (no precision lost); numeric ones as numbers.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export type DatabaseKind = 'postgres' | 'pglite';

// What the event store needs: one statement at a time, autocommitted.
export type SqlClient = {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
};

// One handle on the database, whichever engine is behind it: the event store uses `sql`
// (its hot path is one statement), read models and migrations use `db` (kysely).
export type Database = {
  kind: DatabaseKind;
  // The server's connection string (postgres only), for tools that need a session of their own.
  connectionString?: string;
  sql: SqlClient;
  db: Kysely<DatabaseSchema>;
  close(): Promise<void>;
};

export type DatabaseOptions =
  | { kind: 'postgres'; connectionString: string; maxConnections?: number }
  | { kind: 'pglite'; dataDir: string | 'memory' };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === 'postgres' ? openServer(options.connectionString, options.maxConnections) : openEmbedded(options.dataDir);
}

function openServer(connectionString: string, maxConnections = 20): Database {
  const pool = new pg.Pool({ connectionString, max: maxConnections });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  // Statements with parameters go out as named prepared statements, parsed and planned once per
  // connection: the event store's SQL is a handful of fixed texts, and re-parsing them was a
  // fifth of an append's cost.
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) {
      name = `chimera_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      names.set(text, name);
    }
    return name;
  };
  let closed = false;
  return {
    kind: 'postgres',
    connectionString,
    sql: {
      query: async (text, params) =>
        (params && params.length > 0 ? pool.query({ name: nameOf(text), text, values: params }) : pool.query(text)) as never,
    },
    db,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // ends the pool too
    },
  };
}

async function openEmbedded(dataDir: string | 'memory'): Promise<Database> {
  const { PGlite, types } = await import('@electric-sql/pglite');
  let folder: string | undefined;
  if (dataDir !== 'memory') {
    folder = path.join(dataDir, 'pglite');
    fs.mkdirSync(folder, { recursive: true });
  }
  // Same value types as node-postgres gives for a server, so code above does not care.
  const parsers = { [types.INT8]: (v: string) => v, [types.NUMERIC]: (v: string) => Number(v) };
  const pglite = folder ? new PGlite(folder, { parsers }) : new PGlite({ parsers });
  await pglite.waitReady;
  const lock = new SessionLock();
  const db = new Kysely<DatabaseSchema>({ dialect: new PGliteDialect(pglite, lock) });
  let closed = false;
  return {
    kind: 'pglite',
    sql: {
      query: (text, params) => lock.run(async () => ({ rows: (await pglite.query(text, params)).rows as never[] })),
    },
    db,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      await lock.run(() => pglite.close());
    },
  };
}
