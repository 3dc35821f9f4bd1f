import { sql } from 'kysely';
import type { Database } from '../adapters/database/database.ts';
import {
  LOG_START,
  compareLogPositions,
  parseLogPosition,
  formatLogPosition,
  type EventStore,
  type LogPosition,
  type RecordedEvent,
  type Subscription,
} from '../adapters/eventstore/eventStore.ts';
import type { Projection } from './projection.ts';
import { ensureCheckpointRow, readCheckpoint } from '../adapters/database/checkpoints.ts';

export { readCheckpoint };

export type ProjectionRunnerOptions = {
  batchSize?: number;
  onError?: (error: unknown) => void;
  // Fault injection for tests: runs inside the transaction after the rows are written and
  // before it commits.
  beforeCommit?: (events: RecordedEvent[]) => void | Promise<void>;
};

// Keeps one projection up to date: subscribes to the log after its checkpoint and applies
// each batch in one transaction together with the new checkpoint.
export class ProjectionRunner {
  private subscription: Subscription | null = null;
  private position: LogPosition = LOG_START;
  private waiters: { target: LogPosition; resolve: () => void }[] = [];
  // Passed over without a write: batches with nothing for this projection (see applyBatch).
  private passed: LogPosition | null = null;
  private passedTimer: NodeJS.Timeout | null = null;
  private passedWriting: Promise<void> | null = null;

  constructor(
    private readonly database: Database,
    private readonly store: EventStore,
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  async start(): Promise<void> {
    await this.prepare();
    this.subscription = this.store.subscribe({
      from: this.position,
      batchSize: this.options.batchSize ?? 500,
      handle: (events) => this.applyBatch(events),
      onCaughtUp: (position) => this.advance(position),
      onError: (error) => this.options.onError?.(error),
    });
  }

  // The checkpoint row, and where it stands: for start, or for a ProjectionGroup that reads the
  // log for this runner.
  async prepare(): Promise<void> {
    await ensureCheckpointRow(this.database, this.projection.name);
    this.position = await readCheckpoint(this.database, this.projection.name);
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
    if (this.passedTimer) clearTimeout(this.passedTimer);
    this.passedTimer = null;
    await this.passedWriting;
    await this.writePassed();
  }

  get checkpoint(): LogPosition {
    return this.position;
  }

  // Resolves once the read model reflects everything up to `target`.
  waitFor(target: LogPosition): Promise<void> {
    if (compareLogPositions(this.position, target) >= 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ target, resolve }));
  }

  // Several runners of one projection may run at once (one per projector process): the
  // checkpoint row is locked for the transaction, and only events after it are applied, so
  // each event is applied once whoever gets there first.
  //
  // A batch with nothing for this projection writes nothing: its checkpoint catches up within
  // a second (or with the next batch that has work), as re-reading such events after a
  // restart changes nothing. In one embedded PostgreSQL session every projection's
  // transaction queues behind the others', so one per batch for each would be paid by all.
  async applyBatch(events: RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1]!.position;
    const name = this.projection.name;
    if (!events.some((e) => this.projection.handles(e))) {
      this.passed = last;
      this.passedTimer ??= setTimeout(() => {
        this.passedTimer = null;
        this.passedWriting = this.writePassed()
          .catch((error) => this.options.onError?.(error))
          .finally(() => (this.passedWriting = null));
      }, 1000);
      this.advance(last);
      return;
    }
    await this.database.db.transaction().execute(async (trx) => {
      const stored = await trx
        .selectFrom('projection_checkpoints')
        .select(['transaction_id', 'global_position'])
        .where('projection', '=', name)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const done = parseLogPosition(`${stored.transaction_id}:${stored.global_position}`);
      if (compareLogPositions(done, last) >= 0) return;
      const relevant = events.filter((e) => compareLogPositions(e.position, done) > 0 && this.projection.handles(e));
      if (relevant.length > 0) await this.projection.apply(trx, relevant);
      await trx
        .updateTable('projection_checkpoints')
        .set({
          transaction_id: last.transactionId.toString(),
          global_position: last.globalPosition.toString(),
          events_applied: sql`events_applied + ${relevant.length}`,
          updated_at: sql`now()`,
        })
        .where('projection', '=', name)
        .execute();
      await this.options.beforeCommit?.(events);
    });
    this.advance(last);
  }

  // Moves the checkpoint row up to what was passed over, never back.
  private async writePassed(): Promise<void> {
    const position = this.passed;
    if (!position) return;
    this.passed = null;
    await sql`UPDATE projection_checkpoints SET transaction_id = ${position.transactionId.toString()}, global_position = ${position.globalPosition.toString()}, updated_at = now()
      WHERE projection = ${this.projection.name} AND (transaction_id::xid8, global_position) < (${position.transactionId.toString()}::xid8, ${position.globalPosition.toString()}::bigint)`.execute(this.database.db);
  }

  // Everything up to `position` is applied (or was nothing for this projection).
  advance(position: LogPosition): void {
    if (compareLogPositions(position, this.position) > 0) this.position = position;
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (compareLogPositions(this.position, waiter.target) >= 0) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }
}



// Empties the projection's tables and checkpoint and replays the whole log into them.
export async function rebuildProjection(
  database: Database,
  store: EventStore,
  projection: Projection,
  options: { batchSize?: number } = {},
): Promise<{ events: number; position: string }> {
  await database.db.transaction().execute(async (trx) => {
    await sql`TRUNCATE ${sql.join(projection.tables.map((t) => sql.table(t)))}`.execute(trx);
    await trx.deleteFrom('projection_checkpoints').where('projection', '=', projection.name).execute();
  });
  await ensureCheckpointRow(database, projection.name);
  const runner = new ProjectionRunner(database, store, projection, {});
  let position = LOG_START;
  let count = 0;
  for (;;) {
    const { events, position: next } = await store.readAll({ after: position, maxCount: options.batchSize ?? 1000 });
    if (events.length === 0) break;
    await runner.applyBatch(events);
    count += events.length;
    position = next;
  }
  return { events: count, position: formatLogPosition(position) };
}
