import type { Database } from '../../adapters/database/database.ts';
import { LOG_START, type LogPosition } from '../../adapters/eventstore/eventStore.ts';

// The position of the newest row in the log, committed or about to be visible: what a test
// waits for once its writers are done. (The store's endOfLog is what readers can see now, which
// lags while any older transaction on the server is still open.)
export async function lastLoggedPosition(database: Database): Promise<LogPosition> {
  const { rows } = await database.sql.query<{ t: string; g: string }>(
    'SELECT transaction_id::text AS t, global_position::text AS g FROM chimera_events ORDER BY transaction_id DESC, global_position DESC LIMIT 1',
  );
  const row = rows[0];
  return row ? { transactionId: BigInt(row.t), globalPosition: BigInt(row.g) } : LOG_START;
}
