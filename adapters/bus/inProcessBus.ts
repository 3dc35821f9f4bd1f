import type { Bus, BusConsumer, BusMessage, ConsumerOptions, DeliveredMessage } from './bus.ts';

type Stored = DeliveredMessage & { seq: number };

// `messages[i]` has offset `base + i`; what every group has committed is dropped.
type Partition = { base: number; end: number; messages: Stored[]; wake: Set<() => void> };

type Member = {
  options: ConsumerOptions;
  stopped: boolean;
  loops: Map<number, { stop: boolean; done: Promise<void> }>;
};

type Group = { committed: number[]; members: Member[]; owner: (Member | null)[]; rebalancing: Promise<void> };

// `bySeq[i]` is the message published as number `seqBase + i`, kept until all groups have it.
type Topic = { name: string; partitions: Partition[]; groups: Map<string, Group>; seq: number; seqBase: number; bySeq: Stored[]; lastPublished: Stored | null };

const DEFAULT_PARTITIONS = 8;

// The embedded default: Kafka's semantics (keyed partitions, consumer groups sharing
// partitions, commit after the handler) in memory. Not durable: what it holds is gone with the
// process, so the forwarder only checkpoints what every group has committed (see
// `committedByAllGroups`) and republishes the rest after a restart.
export class InProcessBus implements Bus {
  readonly kind = 'in-process' as const;
  readonly durable = false;
  private readonly topics = new Map<string, Topic>();
  private closed = false;

  async ensureTopic(topic: string, partitions: number): Promise<void> {
    this.topic(topic, partitions);
  }

  async publish(topic: string, messages: BusMessage[]): Promise<void> {
    const t = this.topic(topic);
    for (const message of messages) {
      const partition = partitionOf(message.key, t.partitions.length);
      const p = t.partitions[partition]!;
      const stored = { ...message, topic, partition, offset: String(p.end++), seq: t.seq++ };
      t.lastPublished = stored;
      // A topic no group reads keeps nothing: in one process every consumer has joined
      // before the forwarder starts publishing.
      if (t.groups.size === 0) {
        p.base = p.end;
        t.seqBase = t.seq;
      } else {
        p.messages.push(stored);
        t.bySeq.push(stored);
      }
    }
    for (const p of t.partitions) for (const wake of [...p.wake]) wake();
  }

  async consume(options: ConsumerOptions): Promise<BusConsumer> {
    const t = this.topic(options.topic);
    let group = t.groups.get(options.group);
    if (!group) {
      group = { committed: t.partitions.map((p) => p.base), members: [], owner: t.partitions.map(() => null), rebalancing: Promise.resolve() };
      t.groups.set(options.group, group);
    }
    const member: Member = { options, stopped: false, loops: new Map() };
    group.members.push(member);
    await this.rebalance(t, group);
    return {
      stop: async () => {
        if (member.stopped) return;
        member.stopped = true;
        group.members = group.members.filter((m) => m !== member);
        await this.rebalance(t, group);
      },
    };
  }

  // The newest message that every group of the topic has committed, together with all
  // messages published before it; null when there is none.
  committedByAllGroups(topic: string): BusMessage | null {
    const t = this.topics.get(topic);
    if (!t || !t.lastPublished) return null;
    let firstPending = t.seq;
    for (const group of t.groups.values()) {
      t.partitions.forEach((p, i) => {
        const next = p.messages[group.committed[i]! - p.base];
        if (next) firstPending = Math.min(firstPending, next.seq);
      });
    }
    if (firstPending === t.seq) return t.lastPublished;
    if (firstPending === t.seqBase) return null;
    // Keep from the newest fully committed message on: it is the answer until more commits.
    const keepFrom = firstPending - 1 - t.seqBase;
    if (keepFrom > 0) {
      t.bySeq.splice(0, keepFrom);
      t.seqBase += keepFrom;
    }
    return t.bySeq[0]!;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.topics.values()) {
      for (const group of t.groups.values()) {
        for (const m of group.members) m.stopped = true;
        group.members = [];
        await this.rebalance(t, group);
      }
    }
  }

  private topic(name: string, partitions = DEFAULT_PARTITIONS): Topic {
    let t = this.topics.get(name);
    if (!t) {
      t = { name, partitions: Array.from({ length: partitions }, () => ({ base: 0, end: 0, messages: [], wake: new Set() })), groups: new Map(), seq: 0, seqBase: 0, bySeq: [], lastPublished: null };
      this.topics.set(name, t);
    }
    return t;
  }

  // Round-robin assignment over the members in join order. A partition changes hands only
  // after its old owner has finished (and committed) the batch in hand.
  private rebalance(t: Topic, group: Group): Promise<void> {
    group.rebalancing = group.rebalancing.then(async () => {
      const members = group.members.filter((m) => !m.stopped);
      const handovers: Promise<void>[] = [];
      t.partitions.forEach((_, i) => {
        const next = members.length > 0 && !this.closed ? members[i % members.length]! : null;
        const current = group.owner[i] ?? null;
        if (current === next) return;
        handovers.push(
          (async () => {
            if (current) {
              const loop = current.loops.get(i);
              if (loop) {
                loop.stop = true;
                for (const wake of [...t.partitions[i]!.wake]) wake();
                await loop.done;
                current.loops.delete(i);
              }
            }
            group.owner[i] = next;
            if (next) this.startLoop(t, group, next, i);
          })(),
        );
      });
      await Promise.all(handovers);
    });
    return group.rebalancing;
  }

  private startLoop(t: Topic, group: Group, member: Member, partition: number): void {
    const p = t.partitions[partition]!;
    const state = { stop: false, done: Promise.resolve() };
    const max = member.options.maxBatchSize ?? 500;
    state.done = (async () => {
      while (!state.stop && !member.stopped) {
        const from = group.committed[partition]!;
        if (from >= p.end) {
          await new Promise<void>((resolve) => {
            const wake = () => {
              p.wake.delete(wake);
              resolve();
            };
            p.wake.add(wake);
          });
          continue;
        }
        const batch = p.messages.slice(from - p.base, from - p.base + max).map(({ seq: _seq, ...m }) => m);
        try {
          await member.options.handle(batch);
          group.committed[partition] = from + batch.length;
          trimPartition(t, partition);
        } catch (error) {
          member.options.onError?.(error);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    })();
    member.loops.set(partition, state);
  }
}

// Drops the messages of a partition that every group has committed (kept until then, so
// that a group's member taking over a partition finds what was not committed).
function trimPartition(t: Topic, partition: number): void {
  const p = t.partitions[partition]!;
  let low = p.end;
  for (const group of t.groups.values()) low = Math.min(low, group.committed[partition]!);
  const drop = low - p.base;
  if (drop > 0) {
    p.messages.splice(0, drop);
    p.base += drop;
  }
}

// FNV-1a: stable across processes and runs, so one key always lands in one partition.
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
