import { testDatabaseTargets } from '../../test/support/testDatabases.ts';
import { describeEventStoreContract } from './eventStoreContract.ts';
import { PostgresEventStore } from './postgresEventStore.ts';

for (const target of testDatabaseTargets) {
  describeEventStoreContract(
    target.name,
    async () => {
      const database = await target.open();
      return { store: new PostgresEventStore(database.sql, { pollIntervalMs: 20 }), dispose: () => database.close() };
    },
    { skip: target.skip },
  );
}
