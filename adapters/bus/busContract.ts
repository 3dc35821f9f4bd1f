import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Bus, BusConsumer, DeliveredMessage } from './bus.ts';

// The behaviour every bus adapter must have; each adapter's spec calls this with its factory.
export type BusFactory = () => Promise<Bus>;

const until = async (check: () => boolean, timeoutMs = 60_000, what = 'condition') => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const messagesFor = (keys: number, perKey: number) =>
  Array.from({ length: keys * perKey }, (_, i) => {
    const key = `agent-${i % keys}`;
    const seq = Math.floor(i / keys);
    return { key, value: JSON.stringify({ key, seq }), headers: { 'event-id': `${key}:${seq}` } };
  });

export function describeBusContract(name: string, factory: BusFactory, options: { skip?: string | undefined } = {}) {
  if (options.skip) {
    describe(`bus contract [${name}]`, () => it('needs its server', { skip: options.skip }, () => {}));
    return;
  }
  describe(`bus contract [${name}]`, () => {
    let bus: Bus;
    const consumers: BusConsumer[] = [];
    const consume = async (...args: Parameters<Bus['consume']>) => {
      const c = await bus.consume(...args);
      consumers.push(c);
      return c;
    };
    before(async () => {
      bus = await factory();
    });
    after(async () => {
      for (const c of consumers) await c.stop().catch(() => {});
      await bus?.close();
    });
    const topicName = () => `contract-${randomUUID().slice(0, 8)}`;

    it('delivers every message to every group, each key in publish order', async () => {
      const topic = topicName();
      await bus.ensureTopic(topic, 6);
      const published = messagesFor(20, 25);
      const seen = new Map<string, Map<string, number[]>>();
      for (const group of ['g1', 'g2']) {
        const byKey = new Map<string, number[]>();
        seen.set(group, byKey);
        await consume({
          topic,
          group: `${topic}-${group}`,
          handle: async (batch) => {
            for (const m of batch) byKey.set(m.key, [...(byKey.get(m.key) ?? []), JSON.parse(m.value).seq]);
          },
        });
      }
      await bus.publish(topic, published.slice(0, 200));
      await bus.publish(topic, published.slice(200));
      const total = (g: string) => [...seen.get(g)!.values()].reduce((n, s) => n + s.length, 0);
      await until(() => total('g1') >= 500 && total('g2') >= 500, 60_000, 'both groups');
      for (const byKey of seen.values()) {
        assert.equal(byKey.size, 20);
        for (const [key, seqs] of byKey) {
          // At least once: a redelivered run may repeat, but never goes backwards in a fresh pass.
          const firsts = seqs.filter((s, i) => seqs.indexOf(s) === i);
          assert.deepEqual(firsts, Array.from({ length: 25 }, (_, i) => i), `order of ${key}`);
        }
      }
    });

    it('keeps going past what one fetch brings', async () => {
      const topic = topicName();
      await bus.ensureTopic(topic, 1);
      const seen = new Set<string>();
      await consume({ topic, group: `${topic}-big`, handle: async (batch) => batch.forEach((m) => seen.add(m.headers['event-id']!)) });
      const padding = 'x'.repeat(1024);
      for (let b = 0; b < 3; b++) {
        await bus.publish(
          topic,
          Array.from({ length: 1000 }, (_, i) => ({ key: 'agent-0', value: JSON.stringify({ padding, i }), headers: { 'event-id': `${b}:${i}` } })),
        );
      }
      // 3 MB in one partition: more than a single fetch returns.
      await until(() => seen.size >= 3000, 60_000, '3,000 messages');
    });

    it('shares the partitions of a topic among the members of one group', async () => {
      const topic = topicName();
      await bus.ensureTopic(topic, 8);
      const group = `${topic}-shared`;
      const byMember: string[][] = [[], []];
      for (const member of [0, 1]) {
        await consume({ topic, group, handle: async (batch) => void byMember[member]!.push(...batch.map((m) => m.headers['event-id']!)) });
      }
      // Let the group settle with both members before publishing.
      await new Promise((r) => setTimeout(r, bus.kind === 'kafka' ? 4000 : 50));
      await bus.publish(topic, messagesFor(40, 10));
      await until(() => new Set([...byMember[0]!, ...byMember[1]!]).size >= 400, 60_000, 'all messages');
      assert.ok(byMember[0]!.length > 0 && byMember[1]!.length > 0, `split ${byMember[0]!.length}/${byMember[1]!.length}`);
      // One key is one partition, so one member.
      const keysOf = (ids: string[]) => new Set(ids.map((id) => id.split(':')[0]));
      const overlap = [...keysOf(byMember[0]!)].filter((k) => keysOf(byMember[1]!).has(k));
      assert.deepEqual(overlap, []);
    });

    it('delivers again what a failing handler did not finish, to the member that takes over', async () => {
      const topic = topicName();
      await bus.ensureTopic(topic, 1);
      const group = `${topic}-crash`;
      const done: string[] = [];
      let failedOn: string | null = null;
      const first = await consume({
        topic,
        group,
        maxBatchSize: 10,
        onError: () => {},
        handle: async (batch: DeliveredMessage[]) => {
          const poisoned = batch.find((m) => m.headers['event-id'] === 'agent-0:57');
          if (poisoned) {
            failedOn = poisoned.headers['event-id']!;
            throw new Error('member dies before its effect is durable');
          }
          done.push(...batch.map((m) => m.headers['event-id']!));
        },
      });
      await bus.publish(topic, messagesFor(1, 100));
      await until(() => failedOn !== null, 60_000, 'the failure');
      await first.stop();
      consumers.splice(consumers.indexOf(first), 1);
      const second: string[] = [];
      await consume({ topic, group, handle: async (batch) => void second.push(...batch.map((m) => m.headers['event-id']!)) });
      await until(() => second.includes('agent-0:99'), 60_000, 'the takeover');
      assert.ok(second.includes('agent-0:57'), 'the unfinished message came again');
      const all = new Set([...done, ...second]);
      assert.equal(all.size, 100);
      // Nothing the first member finished and committed before the failing batch comes again.
      assert.ok(!second.includes('agent-0:0'));
    });
  });
}
