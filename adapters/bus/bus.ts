// The bus port: topics split into partitions by key (the agent id, so one agent's events
// keep their order), consumer groups that each see every message while the members of one
// group share the partitions, and at-least-once delivery: a group's offsets move only after
// its handler has resolved, i.e. after the handler's effect is durable.
// Adapters: kafkaBus.ts (Apache Kafka through kafkajs), inProcessBus.ts (the embedded default).

export type BusMessage = { key: string; value: string; headers: Record<string, string> };

export type DeliveredMessage = BusMessage & { topic: string; partition: number; offset: string };

export type ConsumerOptions = {
  topic: string;
  group: string;
  // Messages of one partition, in order. A throw leaves the offsets where they were, so the
  // same messages come again (to this member or, after a rebalance, to another).
  handle(messages: DeliveredMessage[]): Promise<void>;
  onError?(error: unknown): void;
  // Largest number of messages handed to one handle() call (the in-process bus honours it;
  // Kafka hands over what one fetch brought).
  maxBatchSize?: number;
};

export type BusConsumer = {
  // Finishes the batch in hand, commits it, leaves the group.
  stop(): Promise<void>;
};

export interface Bus {
  readonly kind: 'kafka' | 'in-process';
  // Whether published messages survive a restart of this process (Kafka: yes).
  readonly durable: boolean;
  ensureTopic(topic: string, partitions: number): Promise<void>;
  // Resolves once every message is stored by the bus.
  publish(topic: string, messages: BusMessage[]): Promise<void>;
  consume(options: ConsumerOptions): Promise<BusConsumer>;
  // Non-durable buses only: the newest message that every group has committed, together with
  // everything published before it (what a forwarder may checkpoint).
  committedByAllGroups?(topic: string): BusMessage | null;
  close(): Promise<void>;
}

export const EVENTS_TOPIC = 'chimera.events';
