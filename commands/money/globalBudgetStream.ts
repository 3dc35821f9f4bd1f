import { newEventId } from '../../adapters/eventstore/eventId.ts';
import type { Actor, EventStore } from '../../adapters/eventstore/eventStore.ts';
import { globalBudgetDecider, GLOBAL_BUDGET_STREAM, type GlobalBudgetCommand, type GlobalBudgetEvent, type GlobalBudgetState } from '../../domain/money/globalBudget.ts';
import type { DomainError } from '../../domain/decider.ts';

// Decides a command on the fleet's global budget stream and appends at exactly the version
// decided on; a lost race reloads and decides again. All agents' spends meet here, so
// retries are many under load: they are bounded generously and the state is cached.
export class GlobalBudget {
  private state: GlobalBudgetState = globalBudgetDecider.initialState();
  private version = 0;

  constructor(private readonly store: EventStore) {}

  async handle(command: GlobalBudgetCommand, actor: Actor, correlationId: string, maxRetries = 200): Promise<{ ok: true; events: GlobalBudgetEvent[] } | { ok: false; error: DomainError }> {
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      const decision = globalBudgetDecider.decide(command, this.state);
      if (!decision.ok) {
        // A refusal on a stale state may be wrong (a release we have not seen): check fresh.
        if (await this.catchUp()) continue;
        return decision;
      }
      if (decision.events.length === 0) return { ok: true, events: [] };
      const result = await this.store.appendToStream(
        GLOBAL_BUDGET_STREAM,
        decision.events.map((e) => ({ id: newEventId(), type: e.type, data: e.data, metadata: { actor, correlationId, causationId: null } })),
        { expectedRevision: this.version },
      );
      if (result.ok) {
        this.state = decision.events.reduce(globalBudgetDecider.evolve, this.state);
        this.version = result.nextExpectedVersion;
        return { ok: true, events: decision.events };
      }
      await this.catchUp();
    }
    return { ok: false, error: { code: 'occ_conflict', message: 'the global budget was too busy; try again' } };
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
