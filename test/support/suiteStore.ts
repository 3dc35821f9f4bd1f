import { after, before } from 'node:test';
import type { Database } from '../../adapters/database/database.ts';
import { PostgresEventStore, type PostgresEventStoreOptions } from '../../adapters/eventstore/postgresEventStore.ts';
import type { TestDatabaseTarget } from './testDatabases.ts';

export type SuiteStore = { database: Database; store: PostgresEventStore };

// A fresh database on `target` and an event store over it, for the suite this is called in:
// opened before its tests, closed after them. Read the fields inside the tests.
export function suiteStore(target: TestDatabaseTarget, options: PostgresEventStoreOptions = {}): SuiteStore {
  const suite = {} as SuiteStore;
  before(async () => {
    suite.database = await target.open();
    suite.store = new PostgresEventStore(suite.database.sql, options);
  });
  after(async () => {
    await suite.store?.close();
    await suite.database?.close();
  });
  return suite;
}
