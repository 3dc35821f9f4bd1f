import { randomUUID } from 'node:crypto';
import type { Actor, EventStore, LogPosition } from '../adapters/eventstore/eventStore.ts';
import type { DomainError } from '../domain/decider.ts';
import { agentDecider } from '../domain/agent/agentDecider.ts';
import { AGENT_EVENT_SCHEMA_VERSION, type AgentEvent } from '../domain/agent/agentEvents.ts';
import type { AgentCommand } from '../domain/agent/agentCommands.ts';
import type { AgentState } from '../domain/agent/agentState.ts';
import { agentStreamOf } from './agentStream.ts';

export type CommandContext = {
  actor: Actor;
  correlationId: string;
  causationId?: string | null;
  // The client's own hash of what it committed (seed: commit_hash), kept for audit.
  commitHash?: string;
};

export type OccConflict = { code: 'occ_conflict'; message: string; details: { input_state_version: number; current_state_version: number } };

export type CommandResult =
  | { ok: true; stateVersion: number; events: AgentEvent[]; position: LogPosition | null; state: AgentState }
  | { ok: false; error: DomainError | OccConflict };

export type HandleOptions = {
  // The state_version the caller decided on (seed: input_state_version). When given, any
  // other current version is an occ_conflict; when absent, a lost race is retried.
  expectedVersion?: number;
  maxRetries?: number;
};

// Load the agent's stream, decide, append at exactly the version that was read.
export async function handleAgentCommand(
  store: EventStore,
  agentId: string,
  command: AgentCommand,
  context: CommandContext,
  options: HandleOptions = {},
): Promise<CommandResult> {
  const stream = agentStreamOf(agentId);
  const maxRetries = options.maxRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const { events: history, currentVersion } = await store.readStream(stream);
    if (options.expectedVersion !== undefined && options.expectedVersion !== currentVersion) {
      return occConflict(options.expectedVersion, currentVersion);
    }
    let state = agentDecider.initialState();
    for (const e of history) state = agentDecider.evolve(state, { type: e.type, data: e.data } as AgentEvent);

    const decision = agentDecider.decide(command, state);
    if (!decision.ok) return decision;
    if (decision.events.length === 0) {
      return { ok: true, stateVersion: currentVersion, events: [], position: null, state };
    }

    const result = await store.appendToStream(
      stream,
      decision.events.map((event) => ({
        id: randomUUID(),
        type: event.type,
        data: event.data,
        schemaVersion: AGENT_EVENT_SCHEMA_VERSION,
        metadata: {
          actor: context.actor,
          correlationId: context.correlationId,
          causationId: context.causationId ?? null,
          commandType: command.type,
          policyVersion: state.policy_version || null,
          ...(context.commitHash ? { commitHash: context.commitHash } : {}),
        },
      })),
      { expectedRevision: currentVersion },
    );
    if (result.ok) {
      const next = decision.events.reduce(agentDecider.evolve, state);
      return { ok: true, stateVersion: result.nextExpectedVersion, events: decision.events, position: result.lastPosition, state: next };
    }
    if (options.expectedVersion !== undefined || attempt >= maxRetries) {
      return occConflict(options.expectedVersion ?? currentVersion, result.actual);
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

export async function loadAgent(store: EventStore, agentId: string): Promise<{ state: AgentState; stateVersion: number; lastRecordedAt: Date | null }> {
  const { events, currentVersion } = await store.readStream(agentStreamOf(agentId));
  let state = agentDecider.initialState();
  for (const e of events) state = agentDecider.evolve(state, { type: e.type, data: e.data } as AgentEvent);
  return { state, stateVersion: currentVersion, lastRecordedAt: events[events.length - 1]?.recordedAt ?? null };
}

export const newCorrelationId = (): string => randomUUID();
