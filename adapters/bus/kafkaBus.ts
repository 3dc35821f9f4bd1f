import { Kafka, Partitioners, logLevel, type Admin, type Producer } from 'kafkajs';
import type { Bus, BusConsumer, BusMessage, ConsumerOptions, DeliveredMessage } from './bus.ts';

export type KafkaBusOptions = {
  brokers: string[];
  clientId?: string;
  // Partitions of one group member handled at the same time (order within each is kept).
  partitionsConsumedConcurrently?: number;
  logLevel?: 'nothing' | 'error' | 'warn' | 'info';
};

const MAX_REQUEST_BYTES = 768 * 1024;

export const kafkaGroupId = (topic: string, group: string): string => `${topic}.${group}`;

const LOG_LEVELS = { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO };

// Apache Kafka through kafkajs. The producer is idempotent and waits for all in-sync replicas,
// so a resolved publish is stored; consumers commit an offset only after their handler.
export class KafkaBus implements Bus {
  readonly kind = 'kafka' as const;
  readonly durable = true;
  private readonly kafka: Kafka;
  private producer: Promise<Producer> | null = null;
  private admin: Promise<Admin> | null = null;
  private readonly consumers = new Set<BusConsumer>();

  constructor(private readonly options: KafkaBusOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'chimera',
      brokers: options.brokers,
      logLevel: LOG_LEVELS[options.logLevel ?? 'error'],
      retry: { initialRetryTime: 100, retries: 8 },
    });
  }

  async ensureTopic(topic: string, partitions: number): Promise<void> {
    const admin = await (this.admin ??= this.connect(this.kafka.admin()));
    const existing = await admin.listTopics();
    if (existing.includes(topic)) return;
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
    } catch (error) {
      // Another process created it between our look and our create.
      if (!(await admin.listTopics()).includes(topic)) throw error;
    }
  }

  async publish(topic: string, messages: BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await (this.producer ??= this.connect(
      this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner }),
    ));
    // The broker refuses a record batch over message.max.bytes (1 MB by default): send in
    // chunks under that, one after another, which keeps their order.
    let chunk: BusMessage[] = [];
    let bytes = 0;
    const flush = async () => {
      if (chunk.length === 0) return;
      await producer.send({ topic, acks: -1, messages: chunk.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) });
      chunk = [];
      bytes = 0;
    };
    for (const m of messages) {
      const size = Buffer.byteLength(m.value) + Buffer.byteLength(m.key) + 64 + Object.entries(m.headers).reduce((n, [k, v]) => n + k.length + v.length, 0);
      if (bytes + size > MAX_REQUEST_BYTES) await flush();
      chunk.push(m);
      bytes += size;
    }
    await flush();
  }

  async consume(options: ConsumerOptions): Promise<BusConsumer> {
    // Kafka's group ids are cluster-wide: named after the topic too, so that two deployments
    // (or two test runs) on one cluster with different topics never rebalance each other's
    // members (a `projectors` group shared across topics stalled both).
    const consumer = this.kafka.consumer({ groupId: kafkaGroupId(options.topic, options.group), sessionTimeout: 10_000, heartbeatInterval: 1_000, rebalanceTimeout: 20_000 });
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    const max = options.maxBatchSize ?? 500;
    // Offsets are committed in the background, one commit after another: waiting for each
    // commit before the next fetch added a broker round trip to every event's way to the
    // read models. A commit lost in a crash only means a redelivery, which handlers absorb
    // (they are idempotent by event id). Stopping waits for the last one.
    let commits: Promise<void> = Promise.resolve();
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 8,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        const messages: DeliveredMessage[] = batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          key: m.key?.toString() ?? '',
          value: m.value?.toString() ?? '',
          headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, v?.toString() ?? ''])),
        }));
        for (let i = 0; i < messages.length; i += max) {
          if (!isRunning() || isStale()) return;
          const chunk = messages.slice(i, i + max);
          try {
            await options.handle(chunk);
          } catch (error) {
            options.onError?.(error);
            // kafkajs restarts the consumer; it fetches again from the last commit.
            throw error;
          }
          const last = chunk[chunk.length - 1]!.offset;
          // Resolving moves kafkajs's fetch position; the commit makes it the group's.
          resolveOffset(last);
          const offsets = [{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }];
          commits = commits.then(() => consumer.commitOffsets(offsets)).catch((error: unknown) => options.onError?.(error));
          await heartbeat();
        }
      },
    });
    const member: BusConsumer = {
      stop: async () => {
        this.consumers.delete(member);
        await consumer.stop();
        await commits;
        await consumer.disconnect();
      },
    };
    this.consumers.add(member);
    return member;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.consumers.clear();
    if (this.producer) await (await this.producer).disconnect();
    if (this.admin) await (await this.admin).disconnect();
    this.producer = null;
    this.admin = null;
  }

  private async connect<T extends { connect(): Promise<void> }>(client: T): Promise<T> {
    await client.connect();
    return client;
  }
}
