import { sql } from 'kysely';
import type { Database } from '../adapters/database/database.ts';
import { EVENTS_TOPIC, type Bus, type BusConsumer, type DeliveredMessage } from '../adapters/bus/bus.ts';
import { eventFromMessage } from '../adapters/bus/eventMessage.ts';
import type { RecordedEvent } from '../adapters/eventstore/eventStore.ts';
import type { Projection } from './projection.ts';

export type BusProjectorOptions = {
  group?: string;
  topic?: string;
  onError?: (error: unknown) => void;
  // Fault injection for tests: inside the transaction, after the rows, before the commit.
  beforeCommit?: (events: RecordedEvent[]) => void | Promise<void>;
};

// Builds read models from the bus (Kafka in distributed mode), as one member of a consumer
// group: several projector processes share the partitions. Delivery is at least once, so each
// batch is applied in one transaction together with the ids of its events, and events whose
// ids are already recorded are skipped: a redelivery changes nothing.
export class BusProjector {
  private consumer: BusConsumer | null = null;
  readonly group: string;

  constructor(
    private readonly database: Database,
    private readonly bus: Bus,
    private readonly projections: Projection[],
    private readonly options: BusProjectorOptions = {},
  ) {
    this.group = options.group ?? 'projectors';
  }

  async start(): Promise<void> {
    this.consumer = await this.bus.consume({
      topic: this.options.topic ?? EVENTS_TOPIC,
      group: this.group,
      handle: (messages) => this.apply(messages),
      ...(this.options.onError ? { onError: this.options.onError } : {}),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }

  async apply(messages: DeliveredMessage[]): Promise<void> {
    const unique = new Map<string, RecordedEvent>();
    for (const m of messages) {
      const event = eventFromMessage(m);
      if (!unique.has(event.id)) unique.set(event.id, event);
    }
    const ids = [...unique.keys()];
    await this.database.db.transaction().execute(async (trx) => {
      const seen = await trx
        .selectFrom('processed_events')
        .select('event_id')
        .where('consumer_group', '=', this.group)
        .where('event_id', '=', sql<string>`ANY(${sql.val(ids)}::uuid[])`)
        .execute();
      const done = new Set(seen.map((r) => r.event_id));
      const fresh = [...unique.values()].filter((e) => !done.has(e.id));
      if (fresh.length === 0) return;
      for (const projection of this.projections) {
        const mine = fresh.filter((e) => projection.handles(e));
        if (mine.length > 0) await projection.apply(trx, mine);
      }
      // A member that lost a race for the same events fails here on the primary key, rolls
      // back its rows, and gets the batch again, now to be skipped.
      await trx
        .insertInto('processed_events')
        .values(fresh.map((e) => ({ consumer_group: this.group, event_id: e.id, stream_id: e.streamId, stream_position: e.streamPosition })))
        .execute();
      await this.options.beforeCommit?.(fresh);
    });
  }
}
