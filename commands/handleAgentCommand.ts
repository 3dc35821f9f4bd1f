import { newEventId } from '../adapters/eventstore/eventId.ts';
import type { Actor, EventStore, LogPosition } from '../adapters/eventstore/eventStore.ts';
import type { DomainError } from '../domain/decider.ts';
import { AGENT_EVENT_SCHEMA_VERSION } from '../domain/agent/agentEvents.ts';
import { agentStreamDecider, type AgentStreamCommand, type AgentStreamEvent, type AgentStreamState } from '../domain/agentStream.ts';
import { agentStreamOf } from './agentStream.ts';
import { AgentStates } from './agentStates.ts';

export type CommandContext = {
  actor: Actor;
  correlationId: string;
  causationId?: string | null;
  // The client's own hash of what it committed (seed: commit_hash), kept for audit.
  commitHash?: string;
};

export type OccConflict = { code: 'occ_conflict'; message: string; details: { input_state_version: number; current_state_version: number } };

export type CommandResult =
  | { ok: true; stateVersion: number; events: AgentStreamEvent[]; position: LogPosition | null; state: AgentStreamState }
  | { ok: false; error: DomainError | OccConflict };

export type HandleOptions = {
  // The state_version the caller decided on (seed: input_state_version). When given, any
  // other current version is an occ_conflict; when absent, a lost race is retried.
  expectedVersion?: number;
  maxRetries?: number;
};

// Load the agent's state, decide, append at exactly the version decided on. With `states`,
// a cached state is used without a read: an append at its version succeeds only if it was
// current, and a refusal or no-op decided on it is checked against a fresh load first.
export async function handleAgentCommand(
  store: EventStore,
  agentId: string,
  command: AgentStreamCommand,
  context: CommandContext,
  options: HandleOptions = {},
  states: AgentStates = new AgentStates(store, 1),
): Promise<CommandResult> {
  const stream = agentStreamOf(agentId);
  const maxRetries = options.maxRetries ?? 5;
  let snapshot = states.cached(agentId);
  let verified = false;
  if (!snapshot) {
    snapshot = await states.load(agentId);
    verified = true;
  }
  for (let attempt = 0; ; ) {
    const { state, version } = snapshot;
    if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
      if (!verified) {
        snapshot = await states.load(agentId);
        verified = true;
        continue;
      }
      return occConflict(options.expectedVersion, version);
    }

    const decision = agentStreamDecider.decide(command, state);
    if (!decision.ok || decision.events.length === 0) {
      if (!verified) {
        snapshot = await states.load(agentId);
        verified = true;
        continue;
      }
      if (!decision.ok) return decision;
      return { ok: true, stateVersion: version, events: [], position: null, state };
    }

    const result = await store.appendToStream(
      stream,
      decision.events.map((event) => ({
        id: newEventId(),
        type: event.type,
        data: event.data,
        schemaVersion: AGENT_EVENT_SCHEMA_VERSION,
        metadata: {
          actor: context.actor,
          correlationId: context.correlationId,
          causationId: context.causationId ?? null,
          commandType: command.type,
          policyVersion: state.agent.policy_version || null,
          ...(context.commitHash ? { commitHash: context.commitHash } : {}),
        },
      })),
      { expectedRevision: version },
    );
    if (result.ok) {
      const next = decision.events.reduce(agentStreamDecider.evolve, state);
      states.remember(agentId, { state: next, version: result.nextExpectedVersion });
      return { ok: true, stateVersion: result.nextExpectedVersion, events: decision.events, position: result.lastPosition, state: next };
    }
    // Someone appended first: catch up and decide again (or report it, when the caller
    // named the version it decided on).
    snapshot = await states.load(agentId);
    verified = true;
    if (options.expectedVersion === undefined && ++attempt > maxRetries) {
      return occConflict(version, result.actual);
    }
  }
}

function occConflict(expected: number, actual: number): { ok: false; error: OccConflict } {
  return {
    ok: false,
    error: {
      code: 'occ_conflict',
      message: `state_version is ${actual}, not ${expected}: reload the agent and try again`,
      details: { input_state_version: expected, current_state_version: actual },
    },
  };
}


