// A result is semantically stale when something that matters to its task changed after the
// version its attempt was decided against: its campaign's status, its goal, the agent's
// persona, policy version or status (DESIGN: unrelated appends do not invalidate it).
import type { AgentStreamState } from '../agentStream.ts';
import type { TaskRecord } from './workState.ts';

export function staleness(task: TaskRecord, snapshot: number, { work }: AgentStreamState): string[] {
  const changes: string[] = [];
  const { changed_at } = work;
  if ((changed_at.campaigns[task.campaign_id] ?? 0) > snapshot) changes.push(`campaign ${task.campaign_id} status changed`);
  const goalId = task.spec.parameters.goal_id;
  if (typeof goalId === 'string' && (changed_at.goals[goalId] ?? 0) > snapshot) changes.push(`goal ${goalId} changed status`);
  if (changed_at.persona > snapshot) changes.push('persona changed');
  if (changed_at.policy > snapshot) changes.push('policy version changed');
  if (changed_at.agent_status > snapshot) changes.push('agent status changed');
  return changes;
}
