// What happens to an agent's work: campaign plans, tasks and their attempts, worker results,
// the judge's reviews, human decisions, and publications. These events live in the agent's
// stream beside the agent events, so one state_version orders everything OCC protects.
import { z } from 'zod';
import { hitlCategorySchema } from '../judge/judgeVerdict.ts';
import { detectorSchema, detectorStatusSchema, policyFindingSchema } from '../judge/policyTaxonomy.ts';
import type { EventSchemas } from '../eventSchemas.ts';

const id = z.string().min(1);
const instant = z.iso.datetime({ offset: true });
const score = z.number().min(0).max(1);

export const taskTypeSchema = z.enum(['generate_text', 'generate_image', 'render_video', 'post_content', 'engage_reply']);
export type TaskType = z.infer<typeof taskTypeSchema>;

export const platformSchema = z.enum(['twitter', 'instagram', 'threads', 'tiktok']);

// Tasks whose result is content the judge reviews; the others act on the world with content
// that was reviewed already.
export const CONTENT_TASK_TYPES: readonly TaskType[] = ['generate_text', 'generate_image', 'render_video'];
export const isContentTask = (type: TaskType): boolean => CONTENT_TASK_TYPES.includes(type);

// A model's answer as recorded, so that a replay never calls the model again.
export const modelCallSchema = z.strictObject({
  provider: z.string(),
  model: z.string(),
  purpose: z.enum(['decompose', 'write', 'score']),
  promptHash: z.string(),
  output: z.string(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
});
export type ModelCallRecord = z.infer<typeof modelCallSchema>;

export const taskSpecSchema = z.strictObject({
  task_id: id,
  task_type: taskTypeSchema,
  priority: z.enum(['high', 'medium', 'low']),
  dependencies: z.array(id),
  context: z.strictObject({
    goal_description: z.string(),
    persona_constraints: z.array(z.string()),
    required_resources: z.array(z.string()),
  }),
  // prompt, platform, mcp_tool, tier, character_reference_id, ...: passed to the tool.
  parameters: z.record(z.string(), z.unknown()),
  estimated_cost: z.number().nonnegative(),
});
export type TaskSpec = z.infer<typeof taskSpecSchema>;

export const edgeSchema = z.strictObject({ from_task_id: id, to_task_id: id });
export type TaskEdge = z.infer<typeof edgeSchema>;

export const artifactSchema = z.strictObject({
  type: z.enum(['text', 'image', 'video']),
  content: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});
export type Artifact = z.infer<typeof artifactSchema>;

export const workerResultSchema = z.strictObject({
  result_id: id,
  artifact: artifactSchema,
  confidence_score: score,
  risk_tags: z.array(z.string()),
  disclosure_level: z.enum(['automated', 'assisted', 'none']),
  tool_provenance: z.strictObject({
    mcp_tool: z.string(),
    mcp_server: z.string(),
    tool_version: z.string(),
    parameters_used: z.record(z.string(), z.unknown()),
    cost_estimate: z.number().nonnegative().nullable(),
  }),
  execution_metadata: z.strictObject({ started_at: instant, completed_at: instant, duration_ms: z.number().nonnegative() }),
  // The untrusted text the task acted on (a mention it replies to), for the judge.
  source_content: z.string().nullable(),
  model_call: modelCallSchema.nullable(),
});
export type WorkerResult = z.infer<typeof workerResultSchema>;

const violationSchema = z.strictObject({ rule: z.string(), severity: z.enum(['critical', 'warning', 'info']), message: z.string() });

export const verdictSchema = z.strictObject({
  validation_result: z.strictObject({
    quality_score: score,
    policy_compliant: z.boolean(),
    sensitive_topics_detected: z.array(z.string()),
    violations: z.array(violationSchema),
    // Since the policy taxonomy (issue 11); reviews recorded before it have none.
    findings: z.array(policyFindingSchema).default([]),
    detectors: z
      .array(z.strictObject({ detector: detectorSchema, status: detectorStatusSchema, detail: z.string().nullable(), duration_ms: z.number().nonnegative() }))
      .default([]),
  }),
  routing_decision: z.strictObject({
    action: z.enum(['auto_execute', 'hitl_queue', 'retry', 'reject']),
    reason: z.string(),
    confidence_tier: z.enum(['high', 'medium', 'low']),
  }),
  hitl_category: hitlCategorySchema.nullable(),
  error_code: z.string().nullable(),
});
export type Verdict = z.infer<typeof verdictSchema>;

const errorSchema = z.strictObject({ code: z.string(), message: z.string() });

export const campaignPlannedSchema = z.strictObject({
  plan_id: id,
  campaign_id: id,
  goal: z.string(),
  tasks: z.array(taskSpecSchema),
  edges: z.array(edgeSchema),
  estimated_cost: z.number().nonnegative(),
  estimated_duration_s: z.number().int().nonnegative(),
  requires_approval: z.boolean(),
  model_call: modelCallSchema.nullable(),
  at: instant,
});
export const planApprovedSchema = z.strictObject({ plan_id: id, approved_by: z.string(), at: instant });
export const taskReadySchema = z.strictObject({
  task_id: id,
  attempt: z.number().int().positive(),
  // The stream version the task is decided against; a result is judged against what changed since.
  state_version_snapshot: z.number().int().nonnegative(),
  // Not to start before (a retry's backoff).
  not_before: instant.nullable(),
  // The committed results of its dependencies, so the worker needs no read.
  inputs: z.array(z.strictObject({ task_id: id, task_type: taskTypeSchema, result_id: id, artifact: artifactSchema })),
  at: instant,
});
export const taskHeldSchema = z.strictObject({ task_id: id, reason: z.string(), at: instant });
export const taskStartedSchema = z.strictObject({ task_id: id, attempt: z.number().int().positive(), worker_id: z.string(), at: instant });
export const taskResultRecordedSchema = z.strictObject({
  task_id: id,
  attempt: z.number().int().positive(),
  result: workerResultSchema,
  state_version_snapshot: z.number().int().nonnegative(),
  // Set when a moderator's edit made this revision.
  edited_by: z.string().nullable(),
  at: instant,
});
export const costIncurredSchema = z.strictObject({
  cost_id: id,
  task_id: id.nullable(),
  campaign_id: id.nullable(),
  category: z.enum(['inference', 'generation', 'posting', 'transactions']),
  tool_name: z.string().nullable(),
  tier: z.string().nullable(),
  amount: z.number().nonnegative(),
  currency: z.string(),
  estimate: z.number().nonnegative().nullable(),
  at: instant,
});
export const taskAttemptFailedSchema = z.strictObject({
  task_id: id,
  attempt: z.number().int().positive(),
  error: errorSchema,
  retryable: z.boolean(),
  at: instant,
});
export const taskFailedSchema = z.strictObject({ task_id: id, error: errorSchema, at: instant });
export const taskCancelledSchema = z.strictObject({ task_id: id, reason: z.string(), at: instant });
export const taskCompletedSchema = z.strictObject({ task_id: id, result_id: id, at: instant });
export const resultReviewedSchema = z.strictObject({
  review_id: id,
  task_id: id,
  result_id: id,
  verdict: verdictSchema,
  occ_check: z.strictObject({
    input_state_version: z.number().int().nonnegative(),
    current_state_version: z.number().int().nonnegative(),
    consistent: z.boolean(),
  }),
  artifact_hash: z.string(),
  policy_version: z.string(),
  // When a queued review expires (HITL); null otherwise.
  expires_at: instant.nullable(),
  model_call: modelCallSchema.nullable(),
  at: instant,
});
export const resultCommittedSchema = z.strictObject({
  commit_id: id,
  review_id: id,
  task_id: id,
  result_id: id,
  input_state_version: z.number().int().nonnegative(),
  commit_hash: z.string(),
  committed_by: z.enum(['judge', 'human_moderator', 'system']),
  at: instant,
});
export const resultInvalidatedSchema = z.strictObject({
  task_id: id,
  result_id: id,
  code: z.literal('E1004'),
  reason: z.string(),
  changes: z.array(z.string()),
  at: instant,
});
const humanDecision = {
  review_id: id,
  reviewer_id: z.string(),
  artifact_hash: z.string(),
  policy_version: z.string(),
  notes: z.string().nullable(),
  at: instant,
};
export const reviewApprovedSchema = z.strictObject({
  ...humanDecision,
  approval_id: id,
  // Set when the moderator released a blocked result (a critical finding): theirs, on the record.
  override: z.strictObject({ reason: z.string().min(1), findings: z.array(z.string()) }).nullable().default(null),
});
export const reviewRejectedSchema = z.strictObject({ ...humanDecision, rejection_id: id });
export const reviewEditedSchema = z.strictObject({ ...humanDecision, edit_id: id, edited_result_id: id });
export const reviewExpiredSchema = z.strictObject({ review_id: id, at: instant });
export const postPublishedSchema = z.strictObject({
  post_id: id,
  task_id: id,
  campaign_id: id.nullable(),
  asset_result_id: id.nullable(),
  platform: platformSchema,
  platform_post_id: z.string(),
  url: z.string(),
  text: z.string(),
  idempotency_key: z.string(),
  content_hash: z.string(),
  disclosure_level: z.enum(['automated', 'assisted', 'none']),
  // The platform said it had this post already (a retry after a crash).
  duplicate: z.boolean(),
  published_at: instant,
  at: instant,
});

export type CampaignPlanned = z.infer<typeof campaignPlannedSchema>;
export type PlanApproved = z.infer<typeof planApprovedSchema>;
export type TaskReady = z.infer<typeof taskReadySchema>;
export type TaskHeld = z.infer<typeof taskHeldSchema>;
export type TaskStarted = z.infer<typeof taskStartedSchema>;
export type TaskResultRecorded = z.infer<typeof taskResultRecordedSchema>;
export type CostIncurred = z.infer<typeof costIncurredSchema>;
export type TaskAttemptFailed = z.infer<typeof taskAttemptFailedSchema>;
export type TaskFailed = z.infer<typeof taskFailedSchema>;
export type TaskCancelled = z.infer<typeof taskCancelledSchema>;
export type TaskCompleted = z.infer<typeof taskCompletedSchema>;
export type ResultReviewed = z.infer<typeof resultReviewedSchema>;
export type ResultCommitted = z.infer<typeof resultCommittedSchema>;
export type ResultInvalidated = z.infer<typeof resultInvalidatedSchema>;
export type ReviewApproved = z.infer<typeof reviewApprovedSchema>;
export type ReviewRejected = z.infer<typeof reviewRejectedSchema>;
export type ReviewEdited = z.infer<typeof reviewEditedSchema>;
export type ReviewExpired = z.infer<typeof reviewExpiredSchema>;
export type PostPublished = z.infer<typeof postPublishedSchema>;

export type WorkEvent =
  | { type: 'CampaignPlanned'; data: CampaignPlanned }
  | { type: 'PlanApproved'; data: PlanApproved }
  | { type: 'TaskReady'; data: TaskReady }
  | { type: 'TaskHeld'; data: TaskHeld }
  | { type: 'TaskStarted'; data: TaskStarted }
  | { type: 'TaskResultRecorded'; data: TaskResultRecorded }
  | { type: 'CostIncurred'; data: CostIncurred }
  | { type: 'TaskAttemptFailed'; data: TaskAttemptFailed }
  | { type: 'TaskFailed'; data: TaskFailed }
  | { type: 'TaskCancelled'; data: TaskCancelled }
  | { type: 'TaskCompleted'; data: TaskCompleted }
  | { type: 'ResultReviewed'; data: ResultReviewed }
  | { type: 'ResultCommitted'; data: ResultCommitted }
  | { type: 'ResultInvalidated'; data: ResultInvalidated }
  | { type: 'ReviewApproved'; data: ReviewApproved }
  | { type: 'ReviewRejected'; data: ReviewRejected }
  | { type: 'ReviewEdited'; data: ReviewEdited }
  | { type: 'ReviewExpired'; data: ReviewExpired }
  | { type: 'PostPublished'; data: PostPublished };

export type WorkEventType = WorkEvent['type'];

export const workEventSchemas: Record<WorkEventType, z.ZodType> = {
  CampaignPlanned: campaignPlannedSchema,
  PlanApproved: planApprovedSchema,
  TaskReady: taskReadySchema,
  TaskHeld: taskHeldSchema,
  TaskStarted: taskStartedSchema,
  TaskResultRecorded: taskResultRecordedSchema,
  CostIncurred: costIncurredSchema,
  TaskAttemptFailed: taskAttemptFailedSchema,
  TaskFailed: taskFailedSchema,
  TaskCancelled: taskCancelledSchema,
  TaskCompleted: taskCompletedSchema,
  ResultReviewed: resultReviewedSchema,
  ResultCommitted: resultCommittedSchema,
  ResultInvalidated: resultInvalidatedSchema,
  ReviewApproved: reviewApprovedSchema,
  ReviewRejected: reviewRejectedSchema,
  ReviewEdited: reviewEditedSchema,
  ReviewExpired: reviewExpiredSchema,
  PostPublished: postPublishedSchema,
} satisfies EventSchemas<WorkEvent>;
