import { sql } from 'kysely';
import { LOG_START, parseLogPosition, type LogPosition } from '../eventstore/eventStore.ts';
import type { Database } from './database.ts';

// Where each log reader (a projection, the forwarder) has got to, by name, in
// projection_checkpoints. Projection runners also move their row inside their own transaction.

export async function ensureCheckpointRow(database: Database, name: string): Promise<void> {
  await database.db
    .insertInto('projection_checkpoints')
    .values({ projection: name, transaction_id: '0', global_position: '0', events_applied: 0 })
    .onConflict((oc) => oc.column('projection').doNothing())
    .execute();
}

export async function readCheckpoint(database: Database, name: string): Promise<LogPosition> {
  const row = await database.db
    .selectFrom('projection_checkpoints')
    .select(['transaction_id', 'global_position'])
    .where('projection', '=', name)
    .executeTakeFirst();
  return row ? parseLogPosition(`${row.transaction_id}:${row.global_position}`) : LOG_START;
}

export async function writeCheckpoint(database: Database, name: string, position: LogPosition): Promise<void> {
  const at = { transaction_id: position.transactionId.toString(), global_position: position.globalPosition.toString() };
  await database.db
    .insertInto('projection_checkpoints')
    .values({ projection: name, ...at, events_applied: 0 })
    .onConflict((oc) => oc.column('projection').doUpdateSet({ ...at, updated_at: sql`now()` }))
    .execute();
}
