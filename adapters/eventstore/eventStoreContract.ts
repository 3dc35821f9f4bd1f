import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { EventStore, NewEvent, RecordedEvent } from './eventStore.ts';

// The behaviour every event store adapter must have. Each adapter's spec calls this with a
// factory for a fresh, empty store.
export type StoreFactory = () => Promise<{ store: EventStore; dispose(): Promise<void> }>;

// A commit becomes visible to log readers once every older transaction on the server has
// ended (any database of the cluster: other suites run beside this one), so tests of the global
// log wait for what they appended instead of expecting it at once.
async function readAllUntil(store: EventStore, streams: string[], count: number, after?: RecordedEvent['position']) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { events } = await store.readAll({ ...(after ? { after } : {}), maxCount: 1_000_000 });
    const mine = events.filter((e) => streams.includes(e.streamId));
    if (mine.length >= count || Date.now() > deadline) return mine;
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ev = (type: string, data: unknown = {}, id?: string): NewEvent => ({ type, data, ...(id ? { id } : {}) });

export function describeEventStoreContract(name: string, factory: StoreFactory, options: { skip?: string | undefined } = {}) {
  if (options.skip) {
    describe(`event store contract [${name}]`, () => it('needs its server', { skip: options.skip }, () => {}));
    return;
  }
  describe(`event store contract [${name}]`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    before(async () => {
      ({ store, dispose } = await factory());
    });
    after(async () => {
      await store?.close();
      await dispose?.();
    });
    const stream = () => `agent-${randomUUID()}`;

    it('appends to a new stream and reads it back with metadata', async () => {
      const s = stream();
      const result = await store.appendToStream(
        s,
        [{ type: 'AgentCreated', data: { name: 'Ada' }, metadata: { actor: { sub: 'op-1', role: 'operator' }, correlationId: 'c-1' } }],
        { expectedRevision: 'no_stream' },
      );
      assert.equal(result.ok, true);
      assert.equal(result.ok && result.nextExpectedVersion, 1);
      const { events, currentVersion } = await store.readStream(s);
      assert.equal(currentVersion, 1);
      assert.equal(events.length, 1);
      const [e] = events as [RecordedEvent];
      assert.equal(e.type, 'AgentCreated');
      assert.equal(e.streamId, s);
      assert.equal(e.streamPosition, 1);
      assert.equal(e.schemaVersion, 1);
      assert.deepEqual(e.data, { name: 'Ada' });
      assert.deepEqual(e.metadata.actor, { sub: 'op-1', role: 'operator' });
      assert.equal(e.metadata.correlationId, 'c-1');
      assert.equal(e.metadata.causationId, null);
      assert.match(e.id, /^[0-9a-f-]{36}$/);
      assert.ok(e.recordedAt instanceof Date);
      assert.match(e.hash, /^[0-9a-f]{64}$/);
      assert.equal(e.previousHash, '');
    });

    it('counts versions from 0 and reports the actual version on a conflict', async () => {
      const s = stream();
      assert.deepEqual((await store.readStream(s)).currentVersion, 0);
      const first = await store.appendToStream(s, [ev('A'), ev('B')], { expectedRevision: 0 });
      assert.ok(first.ok && first.nextExpectedVersion === 2);
      const stale = await store.appendToStream(s, [ev('C')], { expectedRevision: 1 });
      assert.deepEqual(stale, { ok: false, error: 'wrong_expected_version', expected: 1, actual: 2 });
      const exact = await store.appendToStream(s, [ev('C')], { expectedRevision: 2 });
      assert.ok(exact.ok && exact.nextExpectedVersion === 3);
      assert.equal((await store.readStream(s)).events.length, 3);
    });

    it('honours no_stream, stream_exists and any', async () => {
      const s = stream();
      const missing = await store.appendToStream(s, [ev('A')], { expectedRevision: 'stream_exists' });
      assert.deepEqual(missing, { ok: false, error: 'wrong_expected_version', expected: 'stream_exists', actual: 0 });
      assert.ok((await store.appendToStream(s, [ev('A')], { expectedRevision: 'no_stream' })).ok);
      const again = await store.appendToStream(s, [ev('B')], { expectedRevision: 'no_stream' });
      assert.deepEqual(again, { ok: false, error: 'wrong_expected_version', expected: 'no_stream', actual: 1 });
      const exists = await store.appendToStream(s, [ev('B')], { expectedRevision: 'stream_exists' });
      assert.ok(exists.ok && exists.nextExpectedVersion === 2);
      const any = await store.appendToStream(s, [ev('C')], { expectedRevision: 'any' });
      assert.ok(any.ok && any.nextExpectedVersion === 3);
      const anyNew = await store.appendToStream(stream(), [ev('A')]);
      assert.ok(anyNew.ok && anyNew.nextExpectedVersion === 1);
    });

    it('treats a repeated append of the same event ids as a no-op', async () => {
      const s = stream();
      const ids = [randomUUID(), randomUUID()];
      const batch = [ev('A', { n: 1 }, ids[0]), ev('B', { n: 2 }, ids[1])];
      const first = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
      assert.ok(first.ok && !first.idempotent);
      // The retry carries the version the client held before: still success, nothing new.
      const retry = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
      assert.ok(retry.ok && retry.idempotent && retry.nextExpectedVersion === 2);
      const retryAny = await store.appendToStream(s, batch);
      assert.ok(retryAny.ok && retryAny.idempotent);
      const { events } = await store.readStream(s);
      assert.deepEqual(events.map((e) => e.id), ids);
    });

    it('refuses a batch that repeats only some event ids', async () => {
      const s = stream();
      const id = randomUUID();
      await store.appendToStream(s, [ev('A', {}, id)]);
      await assert.rejects(store.appendToStream(s, [ev('A', {}, id), ev('B')]));
      assert.equal((await store.readStream(s)).currentVersion, 1);
    });

    it('absorbs concurrent retries of the same append', async () => {
      const s = stream();
      const batch = [ev('A', {}, randomUUID())];
      const results = await Promise.all(Array.from({ length: 10 }, () => store.appendToStream(s, batch)));
      assert.ok(results.every((r) => r.ok));
      assert.equal(results.filter((r) => r.ok && !r.idempotent).length, 1);
      assert.equal((await store.readStream(s)).events.length, 1);
    });

    it('reads a stream forwards and backwards, from a position, with a limit', async () => {
      const s = stream();
      await store.appendToStream(s, ['A', 'B', 'C', 'D', 'E'].map((t) => ev(t)));
      const types = (es: RecordedEvent[]) => es.map((e) => e.type).join('');
      assert.equal(types((await store.readStream(s)).events), 'ABCDE');
      assert.equal(types((await store.readStream(s, { from: 3 })).events), 'CDE');
      assert.equal(types((await store.readStream(s, { from: 2, maxCount: 2 })).events), 'BC');
      assert.equal(types((await store.readStream(s, { direction: 'backwards' })).events), 'EDCBA');
      const back = await store.readStream(s, { direction: 'backwards', from: 4, maxCount: 2 });
      assert.equal(types(back.events), 'DC');
      assert.equal(back.currentVersion, 5);
      assert.deepEqual(await store.readStream(stream()), { events: [], currentVersion: 0 });
    });

    it('chains each event to the previous one of its stream by hash', async () => {
      const s = stream();
      await store.appendToStream(s, [ev('A'), ev('B')]);
      await store.appendToStream(s, [ev('C')]);
      const { events } = await store.readStream(s);
      assert.equal(events[0]!.previousHash, '');
      assert.equal(events[1]!.previousHash, events[0]!.hash);
      assert.equal(events[2]!.previousHash, events[1]!.hash);
      assert.equal(new Set(events.map((e) => e.hash)).size, 3);
    });

    it('reads the global log in order and resumes after a position', async () => {
      const a = stream();
      const b = stream();
      await store.appendToStream(a, [ev('A1')]);
      await store.appendToStream(b, [ev('B1')]);
      await store.appendToStream(a, [ev('A2')]);
      const all = await readAllUntil(store, [a, b], 3);
      assert.deepEqual(all.map((e) => e.type), ['A1', 'B1', 'A2']);
      const rest = await store.readAll({ after: all[0]!.position, maxCount: 1 });
      assert.deepEqual(rest.events.map((e) => e.type), ['B1']);
      const tail = await store.readAll({ after: all[2]!.position });
      assert.deepEqual(tail.events.filter((e) => e.streamId === a || e.streamId === b), []);
      const none = await store.readAll({ after: tail.position });
      assert.deepEqual(none.events, []);
      assert.deepEqual(none.position, tail.position);
    });

    it('lets exactly one of many racing writers append at the same version', async () => {
      const s = stream();
      await store.appendToStream(s, [ev('Created')]);
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => store.appendToStream(s, [ev('Raced', { i })], { expectedRevision: 1 })),
      );
      assert.equal(results.filter((r) => r.ok).length, 1);
      for (const r of results.filter((r) => !r.ok)) assert.deepEqual(r, { ok: false, error: 'wrong_expected_version', expected: 1, actual: 2 });
      assert.equal((await store.readStream(s)).currentVersion, 2);
    });

    it('keeps each stream in log order when many writers append to it at once', async () => {
      const streams = [stream(), stream(), stream()];
      await Promise.all(
        Array.from({ length: 300 }, (_, i) => store.appendToStream(streams[i % 3]!, [{ type: 'Tick', data: { i } }], { expectedRevision: 'any' })),
      );
      const events = await readAllUntil(store, streams, 300);
      for (const s of streams) {
        const positions = events.filter((e) => e.streamId === s).map((e) => e.streamPosition);
        assert.deepEqual(positions, Array.from({ length: 100 }, (_, i) => i + 1), `log order of ${s}`);
      }
    });

    it('delivers past events, then live ones, to a subscription', async () => {
      const s = stream();
      await store.appendToStream(s, [ev('A'), ev('B')]);
      const seen: string[] = [];
      let caughtUp = 0;
      let resolveLive!: () => void;
      const live = new Promise<void>((r) => (resolveLive = r));
      const sub = store.subscribe({
        from: 'start',
        handle: (events) => {
          for (const e of events) if (e.streamId === s) seen.push(e.type);
          if (seen.length === 4) resolveLive();
        },
        onCaughtUp: () => {
          caughtUp++;
        },
      });
      while (caughtUp === 0 || seen.length < 2) await new Promise((r) => setTimeout(r, 5));
      assert.deepEqual(seen, ['A', 'B']);
      await store.appendToStream(s, [ev('C'), ev('D')]);
      await live;
      await sub.stop();
      assert.deepEqual(seen, ['A', 'B', 'C', 'D']);
    });

    it('starts a subscription from the end when asked', async () => {
      const s = stream();
      await store.appendToStream(s, [ev('Old')]);
      await readAllUntil(store, [s], 1);
      const seen: string[] = [];
      let caughtUp = false;
      const sub = store.subscribe({
        from: 'end',
        handle: (events) => {
          for (const e of events) if (e.streamId === s) seen.push(e.type);
        },
        onCaughtUp: () => (caughtUp = true),
      });
      while (!caughtUp) await new Promise((r) => setTimeout(r, 5));
      await store.appendToStream(s, [ev('New')]);
      while (seen.length === 0) await new Promise((r) => setTimeout(r, 5));
      await sub.stop();
      assert.deepEqual(seen, ['New']);
    });
  });
}
