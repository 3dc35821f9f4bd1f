// Histories and commands for the work decider's specs: an agent with a campaign planned as
// write → post on twitter (the post gets the text), and builders for each step.
import type { AgentStreamCommand, AgentStreamEvent, AgentStreamState } from '../agentStream.ts';
import { agentStreamDecider } from '../agentStream.ts';
import type { Decision } from '../decider.ts';
import { DEFAULT_WORK_POLICY, type WorkPolicy } from './workCommands.ts';
import type { TaskSpec, Verdict, WorkerResult } from './workEvents.ts';

export const at = '2026-11-23T10:00:00.000Z';
export const later = (minutes: number) => new Date(Date.parse(at) + minutes * 60_000).toISOString();
export const policy: WorkPolicy = { ...DEFAULT_WORK_POLICY, max_attempts: 3, retry_backoff_ms: 1000 };

export const agentCreated: AgentStreamEvent = {
  type: 'AgentCreated',
  data: {
    agent_id: 'nova',
    name: 'Nova',
    persona_name: 'Nova',
    soul_md: '# Nova',
    policy_version: 'v1',
    social_accounts: {},
    budget: { daily_usd: 10, total_usd: 100 },
    at,
  },
};

export const spec = (task_id: string, task_type: TaskSpec['task_type'], dependencies: string[] = [], platform = 'twitter'): TaskSpec => ({
  task_id,
  task_type,
  priority: 'medium',
  dependencies,
  context: { goal_description: 'launch', persona_constraints: [], required_resources: [] },
  parameters: { prompt: `do ${task_id}`, platform, mcp_tool: task_type },
  estimated_cost: 0.01,
});

export const plan = (requires_approval = false, tasks: TaskSpec[] = [spec('t-write', 'generate_text'), spec('t-post', 'post_content', ['t-write'])]): AgentStreamCommand => ({
  type: 'PlanCampaign',
  data: {
    campaign: { campaign_id: 'c-1', name: 'Launch' },
    campaign_id: 'c-1',
    plan_id: 'p-1',
    goal: 'launch on twitter',
    tasks,
    edges: [],
    estimated_cost: 0.02,
    estimated_duration_s: 60,
    requires_approval,
    model_call: null,
  },
  now: at,
  policy,
});

export const start = (task_id: string, attempt = 1, now = at, worker_id = 'w-1'): AgentStreamCommand => ({
  type: 'StartTask',
  data: { task_id, attempt, worker_id },
  now,
  policy,
});

export const result = (result_id: string, content = 'Hello from Nova #launch', confidence_score = 0.95): WorkerResult => ({
  result_id,
  artifact: { type: 'text', content, metadata: {} },
  confidence_score,
  risk_tags: [],
  disclosure_level: 'automated',
  tool_provenance: { mcp_tool: 'generate_text', mcp_server: 'sandbox', tool_version: '1', parameters_used: {}, cost_estimate: 0.01 },
  execution_metadata: { started_at: at, completed_at: at, duration_ms: 5 },
  source_content: null,
  model_call: null,
});

export const record = (task_id: string, r: WorkerResult, attempt = 1): AgentStreamCommand => ({
  type: 'RecordResult',
  data: { task_id, attempt, result: r, costs: [{ cost_id: `cost-${r.result_id}`, category: 'generation', tool_name: 'generate_text', tier: null, amount: 0.01, currency: 'USD', estimate: 0.01 }] },
  now: at,
  policy,
});

export const verdict = (action: Verdict['routing_decision']['action'], hitl_category: Verdict['hitl_category'] = null): Verdict => ({
  validation_result: { quality_score: 0.9, policy_compliant: action !== 'reject', sensitive_topics_detected: hitl_category === 'sensitive' ? ['politics'] : [], violations: [], findings: [], detectors: [] },
  routing_decision: { action, reason: `routed to ${action}`, confidence_tier: action === 'auto_execute' ? 'high' : 'medium' },
  hitl_category,
  error_code: action === 'reject' ? 'E1003' : null,
});

export const review = (task_id: string, result_id: string, v: Verdict, review_id = `rv-${result_id}`, now = at): AgentStreamCommand => ({
  type: 'ReviewResult',
  data: { task_id, result_id, review_id, commit_id: `cm-${result_id}`, verdict: v, artifact_hash: `hash-${result_id}`, commit_hash: `commit-${result_id}`, model_call: null },
  now,
  policy,
});

export const moderator = { reviewer_id: 'mod-1', notes: null, expected_artifact_hash: null };

export const pauseCampaign = (status: 'paused' | 'active', now = at): AgentStreamCommand => ({
  type: 'UpdateGlobalState',
  data: { goals: [], campaigns: [{ action: 'update', campaign: { campaign_id: 'c-1', status } }] },
  now,
  policy,
});

// Decides `command` on the state `history` leaves; returns the decision and that state.
export function decideAfter(history: AgentStreamEvent[], command: AgentStreamCommand): { decision: Decision<AgentStreamEvent>; state: AgentStreamState } {
  const state = history.reduce(agentStreamDecider.evolve, agentStreamDecider.initialState());
  return { decision: agentStreamDecider.decide(command, state), state };
}

// Runs commands one after another, each on the events of those before; fails on a refusal.
export function run(history: AgentStreamEvent[], ...commands: AgentStreamCommand[]): AgentStreamEvent[] {
  let events = [...history];
  for (const command of commands) {
    const { decision } = decideAfter(events, command);
    if (!decision.ok) throw new Error(`${command.type} refused: ${decision.error.code} ${decision.error.message}`);
    events = [...events, ...decision.events];
  }
  return events;
}

export const typesOf = (events: AgentStreamEvent[]) => events.map((e) => e.type);
