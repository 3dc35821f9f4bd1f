// Given/when/then for deciders, without a database (after Emmett's DeciderSpecification):
//   const given = DeciderSpecification.for(agentDecider);
//   given([created]).when(pause).then([paused]);
// `DeciderSpecification.for(decider).given(...)` reads the same way and is also supported.
import assert from 'node:assert/strict';
import type { Decider, Decision, DomainError } from './decider.ts';

export type DeciderOutcome<Event> = {
  then(expectedEvents: Event[]): void;
  thenRefuses(code: string, details?: Record<string, unknown>): DomainError;
  thenNothingHappens(): void;
};

export type DeciderScenario<Command, Event> = {
  when(command: Command): DeciderOutcome<Event>;
};

export type DeciderGiven<Command, Event> = {
  (events: Event[]): DeciderScenario<Command, Event>;
  given(events: Event[]): DeciderScenario<Command, Event>;
};

export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>): DeciderGiven<Command, Event> {
    const given = (events: Event[]): DeciderScenario<Command, Event> => ({
      when: (command) => outcome(run(decider, events, command)),
    });
    return Object.assign(given, { given });
  },
};

function run<Command, Event, State>(
  decider: Decider<Command, Event, State>,
  events: Event[],
  command: Command,
): Decision<Event> {
  // Frozen copies make any mutation of the history, state or command throw, so purity is checked for free.
  const state = frozen(frozen(structuredClone(events)).reduce((s, e) => decider.evolve(s, e), decider.initialState()));
  return decider.decide(frozen(structuredClone(command)), state);
}

function outcome<Event>(decision: Decision<Event>): DeciderOutcome<Event> {
  return {
    then(expectedEvents) {
      if (!decision.ok) assert.fail(`expected events, but the command was refused: ${describe(decision.error)}`);
      assert.deepStrictEqual(decision.events, expectedEvents);
    },
    thenRefuses(code, details) {
      if (decision.ok) assert.fail(`expected refusal ${code}, but got events: ${JSON.stringify(decision.events)}`);
      assert.equal(decision.error.code, code, `expected refusal ${code}, got ${describe(decision.error)}`);
      if (details !== undefined) assert.deepStrictEqual(decision.error.details, details);
      return decision.error;
    },
    thenNothingHappens() {
      if (!decision.ok) assert.fail(`expected no events, but the command was refused: ${describe(decision.error)}`);
      assert.deepStrictEqual(decision.events, []);
    },
  };
}

function describe(error: DomainError): string {
  return `${error.code} (${error.message})`;
}

function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) frozen(child);
  }
  return value;
}
