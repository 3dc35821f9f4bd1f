import type { Bus, BusConsumer, DeliveredMessage } from '../adapters/bus/bus.ts';
import { eventFromMessage } from '../adapters/bus/eventMessage.ts';
import type { RecordedEvent } from '../adapters/eventstore/eventStore.ts';

export type EventReactorOptions = {
  topic: string;
  group: string;
  // Event types this reactor acts on; other messages are skipped unread (by header).
  types: string[];
  handle(event: RecordedEvent): Promise<void>;
  onError?(error: unknown): void;
  // Agents handled at the same time within a batch (one agent's events stay in order).
  concurrency?: number;
};

// A bus consumer that turns events into actions. Delivery is at least once, so `handle` must be
// idempotent: the actions it takes are commands the agent's decider accepts once (a claim, a
// review), and a redelivered event is refused or a no-op. A throw redelivers the batch.
export class EventReactor {
  private consumer: BusConsumer | null = null;

  constructor(
    private readonly bus: Bus,
    private readonly options: EventReactorOptions,
  ) {}

  async start(): Promise<void> {
    const types = new Set(this.options.types);
    this.consumer = await this.bus.consume({
      topic: this.options.topic,
      group: this.options.group,
      ...(this.options.onError ? { onError: this.options.onError } : {}),
      handle: async (messages) => {
        const byAgent = new Map<string, DeliveredMessage[]>();
        for (const m of messages) {
          if (!types.has(m.headers['event-type'] ?? '')) continue;
          const list = byAgent.get(m.key) ?? [];
          list.push(m);
          byAgent.set(m.key, list);
        }
        const queues = [...byAgent.values()];
        const worker = async () => {
          for (let queue = queues.shift(); queue; queue = queues.shift()) {
            for (const m of queue) await this.options.handle(eventFromMessage(m));
          }
        };
        await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, queues.length) }, worker));
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }
}
