import { newEventId } from '../../adapters/eventstore/eventId.ts';
import type { Actor, EventStore } from '../../adapters/eventstore/eventStore.ts';
import { globalBudgetDecider, globalRemaining, GLOBAL_BUDGET_STREAM, type GlobalLimits, type GlobalBudgetCommand, type GlobalBudgetEvent, type GlobalBudgetState } from '../../domain/money/globalBudget.ts';
import type { DomainError } from '../../domain/decider.ts';

type Outcome = { ok: true; events: GlobalBudgetEvent[] } | { ok: false; error: DomainError };
type Pending = { command: GlobalBudgetCommand; actor: Actor; correlationId: string; resolve: (o: Outcome) => void; reject: (e: unknown) => void };

// Decides commands on the fleet's global budget stream, where every agent's spends meet.
// Requests that arrive while an append is in flight are decided together, one after another
// on the state each leaves, and appended as one batch at the version they were decided on
// (group commit): one stream, but not one round trip per spend. A batch that loses a race
// to another process is decided again on the fresh state.
export class GlobalBudget {
  private state: GlobalBudgetState = globalBudgetDecider.initialState();
  private version = 0;
  private readonly queue: Pending[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly maxRetries = 200,
  ) {}

  // What remains of the limits, as this process last saw the stream (after its own decisions).
  remaining(limits: GlobalLimits, now: string) {
    return globalRemaining(this.state, limits, now);
  }

  handle(command: GlobalBudgetCommand, actor: Actor, correlationId: string): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ command, actor, correlationId, resolve, reject });
      this.draining ??= this.drain().finally(() => (this.draining = null));
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.queue.length);
      try {
        await this.decideBatch(batch);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
  }

  private async decideBatch(batch: Pending[]): Promise<void> {
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      let state = this.state;
      const outcomes: Outcome[] = [];
      const events: Array<{ event: GlobalBudgetEvent; from: Pending }> = [];
      for (const p of batch) {
        const decision = globalBudgetDecider.decide(p.command, state);
        if (!decision.ok) {
          outcomes.push(decision);
          continue;
        }
        outcomes.push({ ok: true, events: decision.events });
        for (const event of decision.events) {
          events.push({ event, from: p });
          state = globalBudgetDecider.evolve(state, event);
        }
      }
      if (events.length === 0) {
        // Refusals on a stale state may be wrong (a release we have not seen): check fresh.
        if (outcomes.some((o) => !o.ok) && (await this.catchUp())) continue;
        batch.forEach((p, i) => p.resolve(outcomes[i]!));
        return;
      }
      const result = await this.store.appendToStream(
        GLOBAL_BUDGET_STREAM,
        events.map(({ event, from }) => ({ id: newEventId(), type: event.type, data: event.data, metadata: { actor: from.actor, correlationId: from.correlationId, causationId: null } })),
        { expectedRevision: this.version },
      );
      if (result.ok) {
        this.state = state;
        this.version = result.nextExpectedVersion;
        batch.forEach((p, i) => p.resolve(outcomes[i]!));
        return;
      }
      await this.catchUp();
    }
    for (const p of batch) p.resolve({ ok: false, error: { code: 'occ_conflict', message: 'the global budget was too busy; try again' } });
  }

  // Reads what was appended since this process last looked; true when there was something.
  private async catchUp(): Promise<boolean> {
    const { events, currentVersion } = await this.store.readStream(GLOBAL_BUDGET_STREAM, { from: this.version + 1 });
    if (events.length === 0) return false;
    this.state = events.reduce((s, e) => globalBudgetDecider.evolve(s, { type: e.type, data: e.data } as GlobalBudgetEvent), this.state);
    this.version = currentVersion;
    return true;
  }
}
