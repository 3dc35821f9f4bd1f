// Rebuilds an agent's state from its history, e.g. for a read model or a command handler.
import { agentDecider } from './agentDecider.ts';
import type { AgentEvent } from './agentEvents.ts';
import type { AgentState } from './agentState.ts';

export function foldAgent(events: AgentEvent[]): AgentState {
  return events.reduce((state, event) => agentDecider.evolve(state, event), agentDecider.initialState());
}
