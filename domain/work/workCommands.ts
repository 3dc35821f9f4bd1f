// What the planner, workers, the judge and moderators ask of an agent's work. Ids, time and the
// operating policy arrive on the command, so the decider stays pure.
import type { NewCampaign } from '../agent/agentCommands.ts';
import type { Artifact, CostIncurred, ModelCallRecord, PostPublished, TaskEdge, TaskSpec, Verdict, WorkerResult } from './workEvents.ts';

export type WorkPolicy = {
  // Attempts a task gets (worker failures and judge retries together) before it fails.
  max_attempts: number;
  // Backoff before attempt n+1: retry_backoff_ms × 2^(n-1).
  retry_backoff_ms: number;
  // How long a HITL item waits for a moderator.
  hitl_ttl_ms: number;
  // Between two posts of one agent on one platform (seed 003: 15 minutes).
  post_cooldown_ms: number;
};

export const DEFAULT_WORK_POLICY: WorkPolicy = {
  max_attempts: 5,
  retry_backoff_ms: 1_000,
  hitl_ttl_ms: 24 * 3600_000,
  post_cooldown_ms: 15 * 60_000,
};

type Base = { now: string; policy: WorkPolicy };

export type PlanCampaign = Base & {
  type: 'PlanCampaign';
  data: {
    // A new campaign to open with the plan, or null to plan into an existing one.
    campaign: NewCampaign | null;
    campaign_id: string;
    plan_id: string;
    goal: string;
    tasks: TaskSpec[];
    edges: TaskEdge[];
    estimated_cost: number;
    estimated_duration_s: number;
    requires_approval: boolean;
    model_call: ModelCallRecord | null;
  };
};

export type ApprovePlan = Base & { type: 'ApprovePlan'; data: { plan_id: string; approved_by: string } };

export type StartTask = Base & { type: 'StartTask'; data: { task_id: string; attempt: number; worker_id: string } };

export type CostInput = Omit<CostIncurred, 'at' | 'task_id' | 'campaign_id'>;

export type RecordResult = Base & {
  type: 'RecordResult';
  data: { task_id: string; attempt: number; result: WorkerResult; costs: CostInput[] };
};

export type RecordPublication = Base & {
  type: 'RecordPublication';
  data: {
    task_id: string;
    attempt: number;
    post: Omit<PostPublished, 'task_id' | 'campaign_id' | 'at'>;
    costs: CostInput[];
  };
};

export type FailTaskAttempt = Base & {
  type: 'FailTaskAttempt';
  data: { task_id: string; attempt: number; error: { code: string; message: string }; retryable: boolean };
};

export type ReviewResult = Base & {
  type: 'ReviewResult';
  data: {
    task_id: string;
    result_id: string;
    review_id: string;
    commit_id: string;
    verdict: Verdict;
    artifact_hash: string;
    commit_hash: string;
    model_call: ModelCallRecord | null;
  };
};

type HumanDecision = {
  review_id: string;
  reviewer_id: string;
  notes: string | null;
  // The artifact the moderator looked at; a decision on an item that changed since is refused.
  expected_artifact_hash: string | null;
};

export type ApproveReview = Base & {
  type: 'ApproveReview';
  // A blocked review (a critical finding) is released only with an override and its reason.
  data: HumanDecision & { approval_id: string; commit_id: string; override: { reason: string } | null };
};
export type RejectReview = Base & { type: 'RejectReview'; data: HumanDecision & { rejection_id: string } };
export type EditReview = Base & {
  type: 'EditReview';
  data: HumanDecision & { edit_id: string; new_result_id: string; artifact: Pick<Artifact, 'type' | 'content'> };
};
export type ExpireReview = Base & { type: 'ExpireReview'; data: { review_id: string } };

// The planner's or an operator's: these tasks will not run (a goal was cancelled, a re-plan
// replaced them). What depends on them is cancelled with them.
export type CancelTasks = Base & { type: 'CancelTasks'; data: { task_ids: string[]; reason: string } };

export type WorkCommand =
  | PlanCampaign
  | ApprovePlan
  | StartTask
  | RecordResult
  | RecordPublication
  | FailTaskAttempt
  | ReviewResult
  | ApproveReview
  | RejectReview
  | EditReview
  | ExpireReview
  | CancelTasks;

export type WorkCommandType = WorkCommand['type'];
