import { sql } from 'kysely';
import type { Database } from '../database/database.ts';
import {
  LOG_START,
  compareLogPositions,
  formatLogPosition,
  parseLogPosition,
  type LogPosition,
  type RecordedEvent,
  type Subscription,
} from '../eventstore/eventStore.ts';
import type { PostgresEventStore } from '../eventstore/postgresEventStore.ts';
import type { Bus } from './bus.ts';
import { EVENTS_TOPIC } from './bus.ts';
import { eventToMessage } from './eventMessage.ts';

export type ForwarderOptions = {
  topic?: string;
  partitions?: number;
  batchSize?: number;
  onError?: (error: unknown) => void;
  // Fault injection for tests: runs after a batch is published and before its checkpoint.
  afterPublish?: (events: RecordedEvent[]) => void | Promise<void>;
};

export type ForwarderLag = {
  checkpoint: string;
  end_of_log: string;
  events_behind: number;
  oldest_unforwarded_age_ms: number | null;
};

// Publishes the event log to the bus, at least once, in log order (gap-safe: it reads the log
// the way projectors do). The checkpoint moves only after the bus has the batch: for Kafka
// once the publish is acknowledged, for the in-process bus once every group has committed it
// (that bus forgets everything at a restart). A crash in between publishes the batch again;
// consumers absorb the duplicates by event id.
export class EventForwarder {
  private subscription: Subscription | null = null;
  private checkpoint: LogPosition = LOG_START;
  private timer: NodeJS.Timeout | null = null;
  readonly topic: string;
  readonly name: string;

  constructor(
    private readonly database: Database,
    private readonly store: PostgresEventStore,
    private readonly bus: Bus,
    private readonly options: ForwarderOptions = {},
  ) {
    this.topic = options.topic ?? EVENTS_TOPIC;
    this.name = `forwarder:${this.topic}`;
  }

  async start(): Promise<void> {
    await this.bus.ensureTopic(this.topic, this.options.partitions ?? 8);
    this.checkpoint = await this.readCheckpoint();
    this.subscription = this.store.subscribe({
      from: this.checkpoint,
      batchSize: this.options.batchSize ?? 500,
      handle: (events) => this.forward(events),
      onError: (error) => this.options.onError?.(error),
    });
    if (!this.bus.durable) {
      this.timer = setInterval(() => void this.checkpointWhatGroupsCommitted().catch((e) => this.options.onError?.(e)), 1000);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.subscription?.stop();
    this.subscription = null;
    if (!this.bus.durable) await this.checkpointWhatGroupsCommitted();
  }

  get forwardedThrough(): LogPosition {
    return this.subscription?.position ?? this.checkpoint;
  }

  async lag(): Promise<ForwarderLag> {
    const end = await this.store.endOfLog();
    const from = this.forwardedThrough;
    const { rows } = await this.database.sql.query<{ behind: string; oldest: Date | null }>(
      `SELECT count(*)::text AS behind, min(recorded_at) AS oldest FROM (
         SELECT recorded_at FROM chimera_events
         WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
         LIMIT 1000000) pending`,
      [from.transactionId.toString(), from.globalPosition.toString()],
    );
    const row = rows[0]!;
    return {
      checkpoint: formatLogPosition(from),
      end_of_log: formatLogPosition(end),
      events_behind: Number(row.behind),
      oldest_unforwarded_age_ms: row.oldest ? Date.now() - new Date(row.oldest).getTime() : null,
    };
  }

  private async forward(events: RecordedEvent[]): Promise<void> {
    await this.bus.publish(this.topic, events.map(eventToMessage));
    await this.options.afterPublish?.(events);
    if (this.bus.durable) await this.writeCheckpoint(events[events.length - 1]!.position);
  }

  private async checkpointWhatGroupsCommitted(): Promise<void> {
    const message = this.bus.committedByAllGroups?.(this.topic);
    if (message) await this.writeCheckpoint(parseLogPosition(message.headers['log-position']!));
  }

  private async writeCheckpoint(position: LogPosition): Promise<void> {
    if (compareLogPositions(position, this.checkpoint) <= 0) return;
    await this.database.db
      .insertInto('projection_checkpoints')
      .values({ projection: this.name, transaction_id: position.transactionId.toString(), global_position: position.globalPosition.toString(), events_applied: 0 })
      .onConflict((oc) =>
        oc.column('projection').doUpdateSet({
          transaction_id: position.transactionId.toString(),
          global_position: position.globalPosition.toString(),
          updated_at: sql`now()`,
        }),
      )
      .execute();
    this.checkpoint = position;
  }

  private async readCheckpoint(): Promise<LogPosition> {
    const row = await this.database.db
      .selectFrom('projection_checkpoints')
      .select(['transaction_id', 'global_position'])
      .where('projection', '=', this.name)
      .executeTakeFirst();
    return row ? parseLogPosition(`${row.transaction_id}:${row.global_position}`) : LOG_START;
  }
}
