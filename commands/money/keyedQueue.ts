// Runs tasks one at a time per key, in arrival order, different keys at the same time. The
// CFO decides one agent's spends in turn within a process (OCC still guards across
// processes): a hundred racing requests then cost a hundred appends, not a storm of retries.
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => {});
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
