// Everything in one agent's stream, decided together: the agent itself (persona, policy, goals,
// campaigns) and its work (plans, tasks, reviews, posts). One state, one version: the version
// counts the events folded, so it equals the stream revision (the seed's state_version).
import { accept, type Decider, type Decision } from './decider.ts';
import { agentDecider } from './agent/agentDecider.ts';
import type { AgentCommand } from './agent/agentCommands.ts';
import type { AgentEvent } from './agent/agentEvents.ts';
import type { AgentState } from './agent/agentState.ts';
import { decideWork } from './work/decideWork.ts';
import { evolveWork } from './work/evolveWork.ts';
import { followUps } from './work/followUps.ts';
import { DEFAULT_WORK_POLICY, type WorkCommand, type WorkPolicy } from './work/workCommands.ts';
import type { WorkEvent } from './work/workEvents.ts';
import { initialWorkState, type WorkState } from './work/workState.ts';
import { decideMoney } from './money/decideMoney.ts';
import { evolveMoney } from './money/evolveMoney.ts';
import { MONEY_COMMANDS, type MoneyCommand } from './money/moneyCommands.ts';
import type { MoneyEvent } from './money/moneyEvents.ts';
import { initialMoneyState, type MoneyState } from './money/moneyState.ts';

export type AgentStreamState = { agent: AgentState; work: WorkState; money: MoneyState; version: number };
export type AgentStreamEvent = AgentEvent | WorkEvent | MoneyEvent;
// Agent commands may carry the work policy, for the follow-ups they cause (a resumed campaign
// makes its tasks ready again).
export type AgentStreamCommand = WorkCommand | MoneyCommand | (AgentCommand & { policy?: WorkPolicy });

const WORK_COMMANDS = new Set<string>([
  'PlanCampaign',
  'ApprovePlan',
  'StartTask',
  'RecordResult',
  'RecordPublication',
  'FailTaskAttempt',
  'ReviewResult',
  'ApproveReview',
  'RejectReview',
  'EditReview',
  'ExpireReview',
  'CancelTasks',
]);

const isWorkCommand = (command: AgentStreamCommand): command is WorkCommand => WORK_COMMANDS.has(command.type);
const isMoneyCommand = (command: AgentStreamCommand): command is MoneyCommand => MONEY_COMMANDS.has(command.type);

export const agentStreamDecider: Decider<AgentStreamCommand, AgentStreamEvent, AgentStreamState> = {
  decide,
  evolve,
  initialState: () => ({ agent: agentDecider.initialState(), work: initialWorkState(), money: initialMoneyState(), version: 0 }),
};

// The command's own events, then what they set in motion (tasks made ready, held or
// cancelled), decided on the state those events leave.
function decide(command: AgentStreamCommand, state: AgentStreamState): Decision<AgentStreamEvent> {
  // Money moves no task: the CFO's decisions need no follow-ups.
  if (isMoneyCommand(command)) return decideMoney(command, state);
  const decision: Decision<AgentStreamEvent> = isWorkCommand(command)
    ? decideWork(command, state)
    : agentDecider.decide(command, state.agent);
  if (!decision.ok || decision.events.length === 0) return decision;
  const after = decision.events.reduce(evolve, state);
  const more = followUps(after, command.now, command.policy ?? DEFAULT_WORK_POLICY);
  return accept([...decision.events, ...more]);
}

function evolve(state: AgentStreamState, event: AgentStreamEvent): AgentStreamState {
  const version = state.version + 1;
  return {
    agent: agentDecider.evolve(state.agent, event as AgentEvent),
    work: evolveWork(state.work, event as AgentEvent | WorkEvent, version, state.agent),
    money: evolveMoney(state.money, event),
    version,
  };
}
