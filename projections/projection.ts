import type { Transaction } from 'kysely';
import type { DatabaseSchema } from '../adapters/database/databaseSchema.ts';
import type { RecordedEvent } from '../adapters/eventstore/eventStore.ts';

// A read model built from the log. `apply` runs inside the transaction that also moves the
// projection's checkpoint, so a batch is applied entirely or not at all.
export type Projection = {
  name: string;
  // Emptied (in one TRUNCATE) before a rebuild.
  tables: string[];
  handles(event: RecordedEvent): boolean;
  apply(trx: Transaction<DatabaseSchema>, events: RecordedEvent[]): Promise<void>;
};
