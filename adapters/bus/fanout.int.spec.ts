import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import type { Database } from '../database/database.ts';
import { PostgresEventStore } from '../eventstore/postgresEventStore.ts';
import { agentActivity } from '../../projections/agentActivity.ts';
import { BusProjector } from '../../projections/busProjector.ts';
import { describeOn, postgresServerTarget, testDatabaseTargets, type TestDatabaseTarget } from '../../test/support/testDatabases.ts';
import { kafkaProblem, testKafkaBrokers } from '../../test/support/testKafka.ts';
import { appendTicks, assertAppliedExactlyOnceInOrder, processedCount, until } from '../../test/support/fanoutChecks.ts';
import type { Bus } from './bus.ts';
import { EventForwarder } from './eventForwarder.ts';
import { InProcessBus } from './inProcessBus.ts';
import { KafkaBus } from './kafkaBus.ts';

type Setup = { name: string; database: TestDatabaseTarget; skip: string | undefined; bus: () => Bus };

const setups: Setup[] = [
  { name: 'in-process bus', database: testDatabaseTargets[0]!, skip: undefined, bus: () => new InProcessBus() },
  {
    name: 'kafka',
    database: postgresServerTarget,
    skip: postgresServerTarget.skip ?? kafkaProblem,
    bus: () => new KafkaBus({ brokers: testKafkaBrokers, clientId: 'fanout-test' }),
  },
];

for (const setup of setups) {
  describeOn({ ...setup.database, skip: setup.skip }, `fan-out through the forwarder (${setup.name})`, () => {
    let database: Database;
    let store: PostgresEventStore;
    before(async () => {
      database = await setup.database.open();
      store = new PostgresEventStore(database.sql, { pollIntervalMs: 10 });
    });
    after(async () => {
      await store?.close();
      await database?.close();
    });

    it('brings 10,000 events to a group of two members, each applied once, in per-agent order', async () => {
      const topic = `events-${randomUUID().slice(0, 8)}`;
      const group = `projectors-${topic}`;
      const bus = setup.bus();
      const onError = (e: unknown) => console.log('member error', (e as Error).message);
      const members = [new BusProjector(database, bus, [agentActivity], { group, topic, onError }), new BusProjector(database, bus, [agentActivity], { group, topic, onError })];
      const forwarder = new EventForwarder(database, store, bus, { topic, partitions: 8, onError: (e) => console.log('forwarder error', (e as Error).message) });
      try {
        await bus.ensureTopic(topic, 8);
        for (const m of members) await m.start();
        await forwarder.start();
        const counts = await appendTicks(store, 10_000, 100);
        await until(async () => (await processedCount(database, group)) >= 10_000, 40_000, '10,000 events applied').catch(async (e) => {
          console.log('DEBUG processed', await processedCount(database, group), JSON.stringify(await forwarder.lag()));
          throw e;
        });
        await assertAppliedExactlyOnceInOrder(database, group, counts);
        await until(async () => (await forwarder.lag()).events_behind === 0, 10_000, 'forwarder lag 0');
      } finally {
        await forwarder.stop();
        for (const m of members) await m.stop();
        await bus.close();
      }
    });
  });
}

for (const setup of setups) {
  describeOn({ ...setup.database, skip: setup.skip }, `forwarder crash between publish and checkpoint (${setup.name})`, () => {
    let database: Database;
    let store: PostgresEventStore;
    before(async () => {
      database = await setup.database.open();
      store = new PostgresEventStore(database.sql, { pollIntervalMs: 10 });
    });
    after(async () => {
      await store?.close();
      await database?.close();
    });

    it('loses nothing after a restart; consumers absorb what it publishes twice', async () => {
      const topic = `events-${randomUUID().slice(0, 8)}`;
      const group = `projectors-${topic}`;
      const counts = await appendTicks(store, 2_000, 20);
      let raw = 0;

      // First life: publishes, then dies after its third batch is out and before its checkpoint.
      let bus = setup.bus();
      await bus.ensureTopic(topic, 4);
      const counter = await bus.consume({ topic, group: `raw-${topic}`, handle: async (ms) => void (raw += ms.length) });
      let projector = new BusProjector(database, bus, [agentActivity], { group, topic });
      await projector.start();
      let batches = 0;
      let died!: () => void;
      const dead = new Promise<void>((r) => (died = r));
      const first = new EventForwarder(database, store, bus, {
        topic,
        batchSize: 250,
        onError: () => {},
        afterPublish: () => {
          if (++batches === 3) {
            died();
            throw new Error('killed between publish and checkpoint');
          }
        },
      });
      await first.start();
      await dead;
      await first.stop();
      await until(async () => (await processedCount(database, group)) >= 750, 60_000, 'the first 750 applied');

      if (!bus.durable) {
        // The in-process bus dies with the process: a new one, new members.
        await counter.stop();
        await projector.stop();
        await bus.close();
        bus = setup.bus();
        projector = new BusProjector(database, bus, [agentActivity], { group, topic });
        await projector.start();
        await bus.consume({ topic, group: `raw-${topic}`, handle: async (ms) => void (raw += ms.length) });
      }
      const second = new EventForwarder(database, store, bus, { topic, batchSize: 250 });
      await second.start();
      try {
        await until(async () => (await processedCount(database, group)) >= 2_000, 60_000, 'all 2,000 applied');
        await until(() => raw >= 2_000, 60_000, 'raw count');
        assert.ok(raw > 2_000, `some events were published twice (raw ${raw})`);
        await assertAppliedExactlyOnceInOrder(database, group, counts);
      } finally {
        await second.stop();
        await projector.stop();
        await bus.close();
      }
    });
  });
}
