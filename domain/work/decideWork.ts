// Routes a work command to the rules for it. The agent must exist; a deleted agent's work is over.
import { refuse, type Decision } from '../decider.ts';
import type { AgentStreamEvent, AgentStreamState } from '../agentStream.ts';
import { failTaskAttempt, recordPublication, recordResult, startTask } from './execution.ts';
import { reviewResult } from './judging.ts';
import { approveReview, editReview, expireReview, rejectReview } from './moderation.ts';
import { approvePlan, cancelTasks, planCampaign } from './planning.ts';
import type { WorkCommand } from './workCommands.ts';

export function decideWork(command: WorkCommand, state: AgentStreamState): Decision<AgentStreamEvent> {
  if (state.agent.status === 'absent') return refuse('agent_not_found', 'agent does not exist');
  if (state.agent.status === 'deleted') return refuse('agent_deleted', `agent ${state.agent.agent_id} has been deleted`, { agent_id: state.agent.agent_id });
  switch (command.type) {
    case 'PlanCampaign':
      return planCampaign(command, state);
    case 'ApprovePlan':
      return approvePlan(command, state);
    case 'StartTask':
      return startTask(command, state);
    case 'RecordResult':
      return recordResult(command, state);
    case 'RecordPublication':
      return recordPublication(command, state);
    case 'FailTaskAttempt':
      return failTaskAttempt(command, state);
    case 'ReviewResult':
      return reviewResult(command, state);
    case 'ApproveReview':
      return approveReview(command, state);
    case 'RejectReview':
      return rejectReview(command, state);
    case 'EditReview':
      return editReview(command, state);
    case 'ExpireReview':
      return expireReview(command, state);
    case 'CancelTasks':
      return cancelTasks(command, state);
  }
}
