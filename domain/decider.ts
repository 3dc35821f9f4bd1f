// The shape every aggregate's business rules take (Emmett style). Deciders are pure:
// time and ids arrive on the command, so the same history and command always decide the same way.

export type DomainError = { code: string; message: string; details?: Record<string, unknown> };

export type Acceptance<Event> = { ok: true; events: Event[] };
export type Refusal = { ok: false; error: DomainError };

// Expected refusals are values, not exceptions: the command handler maps `error.code` to HTTP.
export type Decision<Event> = Acceptance<Event> | Refusal;

export type Decider<Command, Event, State> = {
  decide(command: Command, state: State): Decision<Event>;
  evolve(state: State, event: Event): State;
  initialState(): State;
};

export function accept<Event>(events: Event[]): Acceptance<Event> {
  return { ok: true, events };
}

export function refuse(code: string, message: string, details?: Record<string, unknown>): Refusal {
  // Leave `details` out entirely rather than `undefined`, so refusals compare cleanly.
  return details === undefined
    ? { ok: false, error: { code, message } }
    : { ok: false, error: { code, message, details } };
}
