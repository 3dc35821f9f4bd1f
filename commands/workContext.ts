import type { Actor, EventStore } from '../adapters/eventstore/eventStore.ts';
import type { ChimeraConfig } from '../config.ts';
import type { WorkCommand, WorkPolicy } from '../domain/work/workCommands.ts';
import { AgentStates } from './agentStates.ts';
import { handleAgentCommand, type CommandResult } from './handleAgentCommand.ts';

// What the planner, workers and the judge need to act on agents' streams: the store, this
// process's agent states, the work policy from configuration, a clock and who they act as.
export type WorkContext = {
  store: EventStore;
  states: AgentStates;
  policy: WorkPolicy;
  now: () => Date;
  actor: Actor;
};

export function workPolicyOf(config: ChimeraConfig): WorkPolicy {
  const p = config.pipeline;
  return { max_attempts: p.maxAttempts, retry_backoff_ms: p.retryBackoffMs, hitl_ttl_ms: p.hitlTtlMs, post_cooldown_ms: p.postCooldownMs };
}

export function workContext(store: EventStore, config: ChimeraConfig, actor: Actor, states = new AgentStates(store)): WorkContext {
  return { store, states, policy: workPolicyOf(config), now: () => new Date(), actor };
}

type Unstamped<C> = C extends WorkCommand ? Omit<C, 'now' | 'policy'> : never;

// Decides and appends one work command (retrying a lost race on a fresh state).
export function sendWork(ctx: WorkContext, agentId: string, command: Unstamped<WorkCommand>, correlationId: string, causationId: string | null = null): Promise<CommandResult> {
  const stamped = { ...command, now: ctx.now().toISOString(), policy: ctx.policy } as WorkCommand;
  return handleAgentCommand(ctx.store, agentId, stamped, { actor: ctx.actor, correlationId, causationId }, {}, ctx.states);
}
