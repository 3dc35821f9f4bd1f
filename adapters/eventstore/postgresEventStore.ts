import { newEventId } from './eventId.ts';
import type { SqlClient } from '../database/database.ts';
import {
  LOG_START,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type LogPosition,
  type NewEvent,
  type ReadAllResult,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type Subscription,
  type SubscriptionOptions,
} from './eventStore.ts';
import { parseLogPosition } from './eventStore.ts';

export type PostgresEventStoreOptions = {
  // How often a live subscription looks for events appended by other processes.
  pollIntervalMs?: number;
  // How long a live subscription, woken by an append in this process, waits for more before
  // it reads: bigger batches, fewer transactions downstream (PGlite runs every statement on
  // the one JavaScript thread, so that is what it is short of).
  coalesceMs?: number;
};

const EVENT_COLUMNS = `e.event_id, e.event_type, e.schema_version, e.stream_id, e.stream_position,
  e.transaction_id::text AS transaction_id, e.global_position::text AS global_position,
  e.data, e.metadata, e.recorded_at, e.previous_hash, e.hash`;

const APPEND_SQL = 'SELECT ok, stream_version, idempotent, first_position, last_position FROM chimera_append($1, $2, $3::jsonb)';

// Rows are visible to readers only once every older transaction has finished (see
// migrations/0001_event_store.ts), so a reader never steps over a late commit.
const READ_ALL_SQL = `SELECT ${EVENT_COLUMNS} FROM chimera_events e
  WHERE (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint)
    AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY e.transaction_id, e.global_position
  LIMIT $3`;

// The same page of the log, each event already rendered as JSON text by the database, for
// readers that only pass events on (the forwarder): the Node side neither parses the data nor
// builds the JSON (that work had made the forwarder 0.77× a bare Kafka producer). The JSON has
// the fields of a RecordedEvent, with the position as "transactionId:globalPosition" and
// recordedAt as ISO 8601 in UTC with milliseconds, as JSON.stringify writes a Date.
const READ_ALL_JSON_SQL = `SELECT e.event_id::text AS id, e.event_type AS type, e.stream_id, e.stream_position,
    e.transaction_id::text AS transaction_id, e.global_position::text AS global_position,
    json_build_object('id', e.event_id, 'type', e.event_type, 'schemaVersion', e.schema_version,
      'streamId', e.stream_id, 'streamPosition', e.stream_position,
      'position', e.transaction_id::text || ':' || e.global_position::text,
      'data', e.data, 'metadata', e.metadata,
      'recordedAt', to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'previousHash', e.previous_hash, 'hash', e.hash)::text AS json
  FROM chimera_events e
  WHERE (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint)
    AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY e.transaction_id, e.global_position
  LIMIT $3`;

// A recorded event as JSON text, with what a reader routes on beside it.
export type SerializedEvent = Pick<RecordedEvent, 'id' | 'type' | 'streamId' | 'streamPosition' | 'position'> & { json: string };

const END_OF_LOG_SQL = `SELECT e.transaction_id::text AS transaction_id, e.global_position::text AS global_position
  FROM chimera_events e
  WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`;

// One statement: the stream's version (its last position, from the primary key) and the page
// of events asked for.
function readStreamSql(direction: 'forwards' | 'backwards'): string {
  const filter = direction === 'forwards' ? 'e.stream_position >= $2' : 'e.stream_position <= $2';
  const order = direction === 'forwards' ? 'ASC' : 'DESC';
  return `SELECT v.current_version, ev.* FROM (
      SELECT coalesce((SELECT max(stream_position) FROM chimera_events WHERE stream_id = $1), 0)::int AS current_version
    ) v
    LEFT JOIN LATERAL (
      SELECT ${EVENT_COLUMNS} FROM chimera_events e
      WHERE e.stream_id = $1 AND ${filter}
      ORDER BY e.stream_position ${order} LIMIT $3
    ) ev ON true`;
}
const READ_FORWARDS_SQL = readStreamSql('forwards');
const READ_BACKWARDS_SQL = readStreamSql('backwards');

type EventRow = {
  event_id: string;
  event_type: string;
  schema_version: number;
  stream_id: string;
  stream_position: string | number;
  transaction_id: string;
  global_position: string;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
  previous_hash: string;
  hash: string;
};

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamPosition: Number(row.stream_position),
    position: { transactionId: BigInt(row.transaction_id), globalPosition: BigInt(row.global_position) },
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

function expectedToNumber(expected: ExpectedRevision): number {
  if (expected === 'any') return -1;
  if (expected === 'no_stream') return -2;
  if (expected === 'stream_exists') return -3;
  if (!Number.isSafeInteger(expected) || expected < 0) throw new RangeError(`bad expected revision: ${expected}`);
  return expected;
}

const UNIQUE_VIOLATION = '23505';

export class PostgresEventStore implements EventStore {
  private readonly pollIntervalMs: number;
  private readonly coalesceMs: number;
  private readonly waiters = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();

  constructor(
    private readonly pool: SqlClient,
    options: PostgresEventStoreOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 10;
    this.coalesceMs = options.coalesceMs ?? 0;
  }

  async appendToStream(
    stream: string,
    events: NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    const expected = options.expectedRevision ?? 'any';
    const payload = JSON.stringify(
      events.map((e) => ({
        id: e.id ?? newEventId(),
        type: e.type,
        schema_version: e.schemaVersion ?? 1,
        data: e.data ?? null,
        metadata: { causationId: null, correlationId: null, actor: null, ...e.metadata },
      })),
    );
    const params = [stream, expectedToNumber(expected), payload];
    let result;
    try {
      result = await this.pool.query(APPEND_SQL, params);
    } catch (error) {
      // Two appends of the same new event ids raced past the idempotency check; the loser
      // hit the unique index. Asking again finds the winner's events and reports a no-op.
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      result = await this.pool.query(APPEND_SQL, params);
    }
    const row = result.rows[0] as {
      ok: boolean;
      stream_version: string | null;
      idempotent: boolean;
      first_position: string | null;
      last_position: string | null;
    };
    const version = Number(row.stream_version ?? 0);
    if (!row.ok) return { ok: false, error: 'wrong_expected_version', expected, actual: version };
    if (!row.idempotent) this.wake();
    return {
      ok: true,
      nextExpectedVersion: version,
      idempotent: row.idempotent,
      firstPosition: row.first_position ? parseLogPosition(row.first_position) : null,
      lastPosition: row.last_position ? parseLogPosition(row.last_position) : null,
    };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult> {
    const direction = options.direction ?? 'forwards';
    const maxCount = options.maxCount ?? 1_000_000;
    const from = options.from ?? (direction === 'forwards' ? 1 : Number.MAX_SAFE_INTEGER);
    const sql = direction === 'forwards' ? READ_FORWARDS_SQL : READ_BACKWARDS_SQL;
    const { rows } = await this.pool.query(sql, [stream, from, maxCount]);
    const currentVersion = Number(rows[0]!.current_version);
    const events = rows.filter((r) => r.event_id !== null).map((r) => toRecordedEvent(r as EventRow));
    return { events, currentVersion };
  }

  async readAll(options: { after?: LogPosition; maxCount?: number } = {}): Promise<ReadAllResult> {
    const after = options.after ?? LOG_START;
    const { rows } = await this.pool.query(READ_ALL_SQL, [
      after.transactionId.toString(),
      after.globalPosition.toString(),
      options.maxCount ?? 1000,
    ]);
    const events = rows.map((r) => toRecordedEvent(r as EventRow));
    const last = events[events.length - 1];
    return { events, position: last ? last.position : after };
  }

  async readAllSerialized(options: { after?: LogPosition; maxCount?: number } = {}): Promise<{ events: SerializedEvent[]; position: LogPosition }> {
    const after = options.after ?? LOG_START;
    const { rows } = await this.pool.query<{
      id: string;
      type: string;
      stream_id: string;
      stream_position: string;
      transaction_id: string;
      global_position: string;
      json: string;
    }>(READ_ALL_JSON_SQL, [after.transactionId.toString(), after.globalPosition.toString(), options.maxCount ?? 1000]);
    const events = rows.map((row) => ({
      id: row.id,
      type: row.type,
      streamId: row.stream_id,
      streamPosition: Number(row.stream_position),
      position: { transactionId: BigInt(row.transaction_id), globalPosition: BigInt(row.global_position) },
      json: row.json,
    }));
    const last = events[events.length - 1];
    return { events, position: last ? last.position : after };
  }

  async endOfLog(): Promise<LogPosition> {
    const { rows } = await this.pool.query(END_OF_LOG_SQL);
    const row = rows[0] as { transaction_id: string; global_position: string } | undefined;
    return row ? { transactionId: BigInt(row.transaction_id), globalPosition: BigInt(row.global_position) } : LOG_START;
  }

  subscribe(options: SubscriptionOptions): Subscription {
    const batchSize = options.batchSize ?? 500;
    let position: LogPosition = LOG_START;
    let stopped = false;
    let wakes = 0;
    let release: (() => void) | null = null;
    const onWake = () => {
      wakes++;
      release?.();
    };
    this.waiters.add(onWake);
    const pause = (ms: number, seen: number) =>
      new Promise<void>((resolve) => {
        if (stopped || wakes !== seen) return resolve();
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          release = null;
          resolve();
        }
        release = done;
      });

    const run = async () => {
      position = options.from === 'start' ? LOG_START : options.from === 'end' ? await this.endOfLog() : options.from;
      while (!stopped) {
        const seen = wakes;
        try {
          const { events, position: next } = await this.readAll({ after: position, maxCount: batchSize });
          if (stopped) break;
          if (events.length > 0) {
            await options.handle(events);
            position = next;
            // A full page: there may be more. A short one reached the end of the log as it
            // was read; an append since has woken us (`seen`), so the pause below returns at once
            // and nothing is missed, without a read that only confirms there is nothing new.
            if (events.length === batchSize) continue;
          }
          options.onCaughtUp?.(position);
          await pause(this.pollIntervalMs, seen);
          if (this.coalesceMs > 0 && !stopped) await new Promise((r) => setTimeout(r, this.coalesceMs));
        } catch (error) {
          if (stopped) break;
          options.onError?.(error);
          // The same batch is read again: delivery is at least once.
          await pause(Math.max(this.pollIntervalMs, 200), -1);
        }
      }
    };
    const running = run().catch((error) => options.onError?.(error));
    const subscription: Subscription = {
      get position() {
        return position;
      },
      stop: async () => {
        stopped = true;
        release?.();
        this.waiters.delete(onWake);
        this.subscriptions.delete(subscription);
        await running;
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
  }

  // Called after every append made through this store (not those of other processes).
  onAppend(listener: () => void): () => void {
    this.waiters.add(listener);
    return () => this.waiters.delete(listener);
  }

  get pollInterval(): number {
    return this.pollIntervalMs;
  }

  // How long a reader woken by an append waits for more before it reads (embedded: one session).
  get coalesceInterval(): number {
    return this.coalesceMs;
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
  }
}
