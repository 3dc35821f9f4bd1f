import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Database } from '../adapters/database/database.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { EventForwarder } from '../adapters/bus/eventForwarder.ts';
import { eventToMessage } from '../adapters/bus/eventMessage.ts';
import { KafkaBus } from '../adapters/bus/kafkaBus.ts';
import { LOG_START, compareLogPositions, type RecordedEvent } from '../adapters/eventstore/eventStore.ts';
import { seedAgents } from './seedAgents.ts';
import { median } from './percentiles.ts';

// The forwarder publishing a log of `events` events to a fresh topic, against a raw kafkajs
// producer sending the very same messages (same keys, values, headers, producer settings and
// batch size) to another fresh topic, in the same run. They take turns over `rounds` rounds
// (the order alternating), and each figure is the median of its rounds: the broker and the
// database share the 2 cores with the client, and one pass of either moves by ±15%.
export async function fanoutBench(
  database: Database,
  brokers: string[],
  options: { agents: number; eventsPerAgent: number; batchSize?: number; rounds?: number },
) {
  await seedAgents(database.sql, options.agents, options.eventsPerAgent - 1, 8);
  const store = new PostgresEventStore(database.sql);
  const batchSize = options.batchSize ?? 500;
  const end = await store.endOfLog();

  // Raw: the messages read up front, so only the sending is timed.
  const events: RecordedEvent[] = [];
  for (let after = LOG_START; ; ) {
    const page = await store.readAll({ after, maxCount: 5000 });
    if (page.events.length === 0) break;
    events.push(...page.events);
    after = page.position;
  }
  const messages = events.map(eventToMessage);
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();

  const raw = async () => {
    const rawTopic = `bench-raw-${randomUUID().slice(0, 8)}`;
    await admin.createTopics({ topics: [{ topic: rawTopic, numPartitions: 8, replicationFactor: 1 }], waitForLeaders: true });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const started = performance.now();
    for (let i = 0; i < messages.length; i += batchSize) {
      await producer.send({ topic: rawTopic, acks: -1, messages: messages.slice(i, i + batchSize).map((m) => ({ key: m.key, value: m.value, headers: m.headers })) });
    }
    const seconds = (performance.now() - started) / 1000;
    await producer.disconnect();
    return messages.length / seconds;
  };

  // Ours: from the log, with the gap-safe reads and the checkpoint after each batch.
  const forwarded = async () => {
    const bus = new KafkaBus({ brokers, clientId: 'bench-forwarder' });
    const topic = `bench-fwd-${randomUUID().slice(0, 8)}`;
    await bus.ensureTopic(topic, 8);
    const forwarder = new EventForwarder(database, store, bus, { topic, batchSize });
    const started = performance.now();
    await forwarder.start();
    while (compareLogPositions(forwarder.forwardedThrough, end) < 0) await new Promise((r) => setTimeout(r, 5));
    const seconds = (performance.now() - started) / 1000;
    await forwarder.stop();
    await bus.close();
    return messages.length / seconds;
  };

  const rawRounds: number[] = [];
  const forwarderRounds: number[] = [];
  for (let r = 0; r < (options.rounds ?? 3); r++) {
    if (r % 2 === 0) {
      rawRounds.push(await raw());
      forwarderRounds.push(await forwarded());
    } else {
      forwarderRounds.push(await forwarded());
      rawRounds.push(await raw());
    }
  }
  await admin.disconnect();
  await store.close();
  return {
    events: messages.length,
    forwarderEventsPerSecond: median(forwarderRounds),
    rawEventsPerSecond: median(rawRounds),
    forwarderRounds,
    rawRounds,
  };
}
