import type { ModelPort } from '../../adapters/models/modelPort.ts';
import type { DomainError } from '../../domain/decider.ts';
import { detectPromptInjection, type InjectionSignal } from '../../domain/judge/promptInjection.ts';
import type { AgentStates } from '../agentStates.ts';

// The Planner's semantic filter (seed 000 §2.1.3): how relevant a piece of incoming content
// (a mention, a trend) is to the agent's active goals, by the model's relevance score, and
// whether it deserves a task: relevant, and not a prompt injection (domain/judge). A read: it
// records no event (and so neither the model call's cost), and the same content asked twice
// is scored twice.

export const DEFAULT_RELEVANCE_THRESHOLD = 0.75;

export type FilterRequest = {
  agentId: string;
  content: { type: 'text' | 'image' | 'video'; content: string; source?: string };
  // Goals to compare with; by default every active goal of the agent.
  goalIds?: string[];
  threshold: number;
};

export type Relevance = {
  relevanceScore: number;
  threshold: number;
  relevant: boolean;
  injection: InjectionSignal[];
  shouldCreateTask: boolean;
  reasoning: string;
  goalIds: string[];
};

export type FilterOutcome = { ok: true; relevance: Relevance } | { ok: false; error: DomainError };

export async function semanticFilter(states: AgentStates, model: ModelPort, request: FilterRequest): Promise<FilterOutcome> {
  const { state } = await states.load(request.agentId);
  const { agent } = state;
  if (agent.status === 'absent') return { ok: false, error: { code: 'agent_not_found', message: `agent ${request.agentId} does not exist` } };
  const unknown = request.goalIds?.find((id) => !agent.goals.some((g) => g.goal_id === id));
  if (unknown) return { ok: false, error: { code: 'goal_not_found', message: `goal ${unknown} does not exist`, details: { goal_id: unknown } } };
  const goals = request.goalIds ? agent.goals.filter((g) => request.goalIds!.includes(g.goal_id)) : agent.goals.filter((g) => g.status === 'active');

  const injection = detectPromptInjection(request.content.content);
  // No goal to serve: nothing is relevant (the model would answer a neutral score).
  const scored =
    goals.length === 0
      ? { relevance: 0, reasoning: 'The agent has no active goals to compare with.' }
      : await model.score({
          content: request.content.content,
          persona: { agentId: request.agentId, personaName: agent.persona_name, soulMd: agent.soul_md, policyVersion: agent.policy_version },
          goals: goals.map((g) => g.description),
        });
  const relevant = scored.relevance >= request.threshold;
  const verdict = relevant ? `relevant (${scored.relevance} ≥ ${request.threshold})` : `not relevant (${scored.relevance} < ${request.threshold})`;
  const warning = injection.length > 0 ? ` Prompt injection detected (${injection.map((s) => s.kind).join(', ')}): no task is made from it.` : '';
  return {
    ok: true,
    relevance: {
      relevanceScore: scored.relevance,
      threshold: request.threshold,
      relevant,
      injection,
      shouldCreateTask: relevant && injection.length === 0,
      reasoning: `${scored.reasoning} It is ${verdict} to ${goals.length === 0 ? 'no goal' : goals.map((g) => g.goal_id).join(', ')}.${warning}`,
      goalIds: goals.map((g) => g.goal_id),
    },
  };
}
