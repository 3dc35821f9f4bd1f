import type { EventStore } from '../adapters/eventstore/eventStore.ts';
import { agentStreamDecider, type AgentStreamEvent, type AgentStreamState } from '../domain/agentStream.ts';
import { agentStreamOf } from './agentStream.ts';

export type AgentSnapshot = { state: AgentStreamState; version: number };

// Agents' states as this process last knew them. A cached state may be behind the store
// (another process appended since); callers treat it as a guess: an append at its version
// proves it current, anything else reloads first (see handleAgentCommand).
export class AgentStates {
  private readonly entries = new Map<string, AgentSnapshot>();

  constructor(
    private readonly store: EventStore,
    private readonly maxEntries = 50_000,
  ) {}

  cached(agentId: string): AgentSnapshot | undefined {
    const hit = this.entries.get(agentId);
    if (hit) {
      // Least recently used goes first: re-insert to move to the end.
      this.entries.delete(agentId);
      this.entries.set(agentId, hit);
    }
    return hit;
  }

  // The state as of the store's newest event: reads only what came after the cached version.
  async load(agentId: string): Promise<AgentSnapshot> {
    const known = this.entries.get(agentId);
    const { events, currentVersion } = await this.store.readStream(agentStreamOf(agentId), { from: (known?.version ?? 0) + 1 });
    if (known && currentVersion < known.version) {
      // The stream is shorter than what we knew: only a test resetting its database does that.
      this.entries.delete(agentId);
      return this.load(agentId);
    }
    let state = known?.state ?? agentStreamDecider.initialState();
    for (const e of events) state = agentStreamDecider.evolve(state, { type: e.type, data: e.data } as AgentStreamEvent);
    const snapshot = { state, version: currentVersion };
    if (currentVersion > 0) this.remember(agentId, snapshot);
    return snapshot;
  }

  remember(agentId: string, snapshot: AgentSnapshot): void {
    this.entries.delete(agentId);
    this.entries.set(agentId, snapshot);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forget(agentId: string): void {
    this.entries.delete(agentId);
  }
}
