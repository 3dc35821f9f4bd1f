import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../adapters/database/database.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { migrateToLatest } from '../migrations/migrateToLatest.ts';
import { benchEventData, type AppendFn } from './appendWorkload.ts';

// What the append benchmark measures: one event store (or the plain-INSERT floor) on a fresh
// database of its own. `close` closes the store and drops that database.
export type AppendTarget = {
  name: string;
  // The server database it runs in (none on PGlite).
  database?: string;
  append: AppendFn;
  // The stream's current version (0 if it does not exist).
  readVersion: (stream: string) => Promise<number>;
  close(): Promise<void>;
};

const EVENT_TYPE = 'BenchmarkEventAppended';
const UNIQUE_VIOLATION = '23505';

// ---- fresh databases -------------------------------------------------------------------

export type FreshDatabase = { name: string; connectionString: string; drop(): Promise<void> };

// Creates an empty database on the server behind `connectionString` (which must be allowed to
// CREATE DATABASE) and returns its connection string. `drop` ends its sessions and drops it.
export async function createFreshDatabase(connectionString: string, label: string): Promise<FreshDatabase> {
  const name = `bench_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomUUID().slice(0, 8)}`;
  await admin(connectionString, `CREATE DATABASE ${name}`);
  const url = new URL(connectionString);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    connectionString: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin(connectionString, async (client) => {
        // A pool's end() resolves before its sessions have gone from the server; FORCE would
        // kill them, and node-postgres reports that as an unhandled error. Let them go first.
        for (let waited = 0; waited < 5_000; waited += 50) {
          const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

async function admin(connectionString: string, work: string | ((client: pg.Client) => Promise<void>)): Promise<void> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => {
    // Reported by the query that fails.
  });
  await client.connect();
  try {
    if (typeof work === 'string') await client.query(work);
    else await work(client);
  } finally {
    await client.end();
  }
}

function newPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  return pool;
}

// Builds the target, checks its OCC and returns it; on any failure, undoes the setup.
async function build(fresh: FreshDatabase | null, setup: () => Promise<AppendTarget>, exact: boolean): Promise<AppendTarget> {
  let target: AppendTarget | undefined;
  try {
    target = await setup();
    await verifyOcc(target, { exact });
    return target;
  } catch (error) {
    await target?.close().catch(() => {});
    await fresh?.drop().catch(() => {});
    throw error;
  }
}

// ---- the OCC check -----------------------------------------------------------------------

// Checks that `append` succeeds exactly at the stream's version and reports a conflict at a
// stale one; with `exact`, also at a version ahead of the stream's (the plain-INSERT floor
// cannot tell: it would leave a gap).
export async function verifyOcc(target: AppendTarget, options: { exact: boolean }): Promise<void> {
  const stream = `occ-${randomUUID().slice(0, 8)}`;
  const steps: Array<[expected: number, succeeds: boolean]> = [
    [0, true],
    [0, false],
    [1, true],
    [1, false],
    [0, false],
    ...(options.exact ? ([[5, false], [3, false]] as Array<[number, boolean]>) : []),
    [2, true],
  ];
  for (const [expected, succeeds] of steps) {
    const ok = await target.append(stream, expected);
    if (ok !== succeeds) {
      throw new Error(`${target.name}: append at expected version ${expected} ${ok ? 'succeeded' : 'conflicted'}, should have ${succeeds ? 'succeeded' : 'conflicted'}`);
    }
  }
  const version = await target.readVersion(stream);
  if (version !== 3) throw new Error(`${target.name}: the check stream is at version ${version}, expected 3`);
}

// ---- Chimera ---------------------------------------------------------------------------

function chimeraTarget(name: string, database: string | undefined, store: PostgresEventStore, closeAll: () => Promise<void>): AppendTarget {
  return {
    name,
    ...(database ? { database } : {}),
    async append(stream, expectedVersion) {
      const result = await store.appendToStream(stream, [{ type: EVENT_TYPE, data: benchEventData(stream, expectedVersion) }], {
        expectedRevision: expectedVersion,
      });
      return result.ok;
    },
    async readVersion(stream) {
      return (await store.readStream(stream, { direction: 'backwards', maxCount: 1 })).currentVersion;
    },
    close: closeAll,
  };
}

// Our PostgresEventStore on a fresh server database, over a pool of concurrency + 2.
export async function chimeraServer(connectionString: string, concurrency: number): Promise<AppendTarget> {
  const fresh = await createFreshDatabase(connectionString, 'chimera');
  return build(
    fresh,
    async () => {
      const database = await openDatabase({ kind: 'postgres', connectionString: fresh.connectionString, maxConnections: concurrency + 2 });
      try {
        await migrateToLatest(database.db);
      } catch (error) {
        await database.close();
        throw error;
      }
      const store = new PostgresEventStore(database.sql);
      return chimeraTarget('chimera', fresh.name, store, async () => {
        await store.close();
        await database.close();
        await fresh.drop();
      });
    },
    true,
  );
}

// Our PostgresEventStore on PGlite in memory (appends are serialized by its session lock).
export async function chimeraPglite(): Promise<AppendTarget> {
  return build(
    null,
    async () => {
      const database = await openDatabase({ kind: 'pglite', dataDir: 'memory' });
      try {
        await migrateToLatest(database.db);
      } catch (error) {
        await database.close();
        throw error;
      }
      const store = new PostgresEventStore(database.sql);
      return chimeraTarget('chimera (pglite)', undefined, store, async () => {
        await store.close();
        await database.close();
      });
    },
    true,
  );
}

// ---- Emmett ----------------------------------------------------------------------------

// Emmett's Dumbo sets node-postgres' global type parsers (int8 -> BigInt, json/jsonb -> its
// own parser) the first time it opens a pool, once per process. They are put back on close,
// so the other targets in the same process run with their usual parsers, and re-applied for
// every Emmett target after the first.
const EMMETT_PARSED_TYPES = [20, 114, 3802] as const;
type Parsers = Array<[oid: number, parser: (value: string) => unknown]>;
const captureParsers = (): Parsers => EMMETT_PARSED_TYPES.map((oid) => [oid, pg.types.getTypeParser(oid, 'text')]);
const applyParsers = (parsers: Parsers) => parsers.forEach(([oid, parser]) => pg.types.setTypeParser(oid, parser));
let emmettParsers: Parsers | undefined;

// Emmett's PostgreSQL event store (@event-driven-io/emmett-postgresql) on a fresh server
// database. Its stream versions count events too (0 before the first, `expectedStreamVersion:
// 0n` creates the stream), so the workload's versions are passed as they are. With
// `concurrency`, it gets a pg.Pool of concurrency + 2 connections like ours; without, Dumbo's
// default pool (node-postgres' default of 10).
export async function emmettServer(connectionString: string, concurrency?: number): Promise<AppendTarget> {
  const fresh = await createFreshDatabase(connectionString, 'emmett');
  return build(
    fresh,
    async () => {
      // Loaded here so that merely importing this module leaves the global parsers alone.
      const { getPostgreSQLEventStore } = await import('@event-driven-io/emmett-postgresql');
      const original = captureParsers();
      const pool = concurrency === undefined ? undefined : newPool(fresh.connectionString, concurrency + 2);
      const store = getPostgreSQLEventStore(fresh.connectionString, {
        schema: { autoMigration: 'None' },
        ...(pool ? { connectionOptions: { pool } } : {}),
      });
      if (emmettParsers) applyParsers(emmettParsers);
      else emmettParsers = captureParsers();
      const versionPool = pool ?? newPool(fresh.connectionString, 1);
      const closeAll = async () => {
        await store.close();
        await pool?.end();
        if (versionPool !== pool) await versionPool.end();
        applyParsers(original);
        await fresh.drop();
      };
      try {
        await store.schema.migrate();
      } catch (error) {
        await closeAll();
        throw error;
      }
      return {
        name: 'emmett',
        database: fresh.name,
        async append(stream, expectedVersion) {
          try {
            await store.appendToStream(stream, [{ type: EVENT_TYPE, data: benchEventData(stream, expectedVersion) }], {
              expectedStreamVersion: BigInt(expectedVersion),
            });
            return true;
          } catch (error) {
            // ExpectedVersionConflictError (a ConcurrencyError, code 412).
            if ((error as { errorCode?: unknown }).errorCode === 412) return false;
            throw error;
          }
        },
        async readVersion(stream) {
          const { rows } = await versionPool.query<{ v: unknown }>(
            'SELECT stream_position AS v FROM emt_streams WHERE stream_id = $1 AND is_archived = false',
            [stream],
          );
          return Number(rows[0]?.v ?? 0);
        },
        close: closeAll,
      };
    },
    true,
  );
}

// ---- the floor: one plain INSERT per event ------------------------------------------------

// One autocommitted INSERT per event into raw_events(stream_id, version) with a primary key:
// a stale expected version hits the key (a conflict); an expected version ahead of the stream
// is not detected (it leaves a gap), which the workload never produces.
export async function rawInsertServer(connectionString: string, concurrency: number): Promise<AppendTarget> {
  const fresh = await createFreshDatabase(connectionString, 'raw');
  return build(
    fresh,
    async () => {
      const pool = newPool(fresh.connectionString, concurrency);
      const closeAll = async () => {
        await pool.end();
        await fresh.drop();
      };
      try {
        await pool.query(`CREATE TABLE raw_events (
          stream_id text NOT NULL,
          version int NOT NULL,
          data jsonb NOT NULL,
          PRIMARY KEY (stream_id, version)
        )`);
      } catch (error) {
        await closeAll();
        throw error;
      }
      return {
        name: 'raw insert',
        database: fresh.name,
        async append(stream, expectedVersion) {
          try {
            await pool.query('INSERT INTO raw_events (stream_id, version, data) VALUES ($1, $2, $3)', [
              stream,
              expectedVersion + 1,
              JSON.stringify(benchEventData(stream, expectedVersion)),
            ]);
            return true;
          } catch (error) {
            if ((error as { code?: string }).code === UNIQUE_VIOLATION) return false;
            throw error;
          }
        },
        async readVersion(stream) {
          const { rows } = await pool.query<{ v: number | null }>('SELECT max(version) AS v FROM raw_events WHERE stream_id = $1', [stream]);
          return rows[0]?.v ?? 0;
        },
        close: closeAll,
      };
    },
    false,
  );
}
