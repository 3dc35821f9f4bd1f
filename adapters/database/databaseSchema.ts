import type { ColumnType, Generated, JSONColumnType } from 'kysely';

// Kysely's view of our tables. The event store's own tables are written by its SQL
// function and read with plain SQL, so only what kysely code touches is declared here.

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type AgentsTable = {
  agent_id: string;
  name: string;
  persona_name: string;
  policy_version: string;
  state_version: number;
  status: string;
  wallet_address: string | null;
  wallet_network: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  persona_config: JSONColumnType<Record<string, unknown>>;
};

export type CampaignsTable = {
  campaign_id: string;
  agent_id: string;
  name: string;
  description: string | null;
  status: string;
  budget_limit: number | null;
  budget_remaining: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type ProjectionCheckpointsTable = {
  projection: string;
  transaction_id: string;
  global_position: string;
  events_applied: ColumnType<string, string | number, string | number>;
  updated_at: Generated<Timestamp>;
};

export type ProcessedEventsTable = {
  consumer_group: string;
  event_id: string;
  stream_id: string;
  stream_position: number;
  applied_seq: Generated<string>;
  processed_at: Generated<Timestamp>;
};

export type AgentActivityTable = {
  agent_id: string;
  event_type: string;
  events: ColumnType<string, string | number, string | number>;
  last_stream_position: number;
  last_event_at: Timestamp;
};

type Json = ColumnType<unknown, string, string>;
type Decimal = ColumnType<string, number | string, number | string>;

export type TasksTable = {
  task_id: string;
  agent_id: string;
  campaign_id: string | null;
  plan_id: string;
  task_type: string;
  priority: string;
  status: string;
  parameters: Json;
  context: Json | null;
  dependencies: string[];
  assigned_worker_id: string | null;
  state_version_snapshot: number;
  attempt: number;
  result_id: string | null;
  review_id: string | null;
  estimated_cost: Decimal;
  created_at: Timestamp;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  updated_at: Timestamp;
  error: Json | null;
};

export type AssetsTable = {
  asset_id: string;
  task_id: string;
  agent_id: string;
  asset_type: string;
  content_hash: string;
  content: string | null;
  object_storage_url: string | null;
  metadata: Json;
  lineage: Json;
  tool_provenance: Json;
  confidence_score: Decimal;
  risk_tags: string[];
  disclosure_level: string;
  created_at: Timestamp;
};

export type JudgeReviewsTable = {
  review_id: string;
  result_id: string;
  task_id: string;
  agent_id: string;
  validation_result: Json;
  routing_decision: Json;
  occ_check: Json;
  judge_type: string;
  reasoning_trace: string | null;
  status: string;
  hitl_category: string | null;
  artifact_hash: string;
  policy_version: string;
  expires_at: Timestamp | null;
  decided_at: Timestamp | null;
  created_at: Timestamp;
};

export type HitlApprovalsTable = {
  approval_id: string;
  review_id: string;
  reviewer_id: string;
  decision: string;
  artifact_hash: string;
  policy_version: string;
  notes: string | null;
  edited_artifact_id: string | null;
  created_at: Timestamp;
};

export type StateCommitsTable = {
  commit_id: string;
  agent_id: string;
  task_id: string | null;
  review_id: string | null;
  result_id: string | null;
  input_state_version: number;
  output_state_version: number;
  commit_hash: string;
  committed_by: string;
  committed_at: Timestamp;
  occ_conflict: boolean;
};

export type PostsTable = {
  post_id: string;
  asset_id: string | null;
  task_id: string;
  agent_id: string;
  campaign_id: string | null;
  platform: string;
  platform_post_id: string | null;
  platform_url: string | null;
  text: string;
  idempotency_key: string;
  status: string;
  scheduled_at: Timestamp | null;
  published_at: Timestamp | null;
  disclosure_level: string;
  created_at: Timestamp;
};

export type CostEventsTable = {
  event_id: string;
  agent_id: string;
  campaign_id: string | null;
  task_id: string | null;
  cost_category: string;
  tool_name: string | null;
  tier: string | null;
  cost_amount: Decimal;
  currency: string;
  cost_estimate: Decimal | null;
  actual_cost: Decimal | null;
  metadata: Json | null;
  created_at: Timestamp;
};

export type EngagementMetricsTable = {
  metric_id: string;
  post_id: string;
  agent_id: string;
  platform: string;
  views: number;
  likes: number;
  comments: number;
  shares: number;
  engagement_delta: number;
  measured_at: Timestamp;
};

export type AgentWalletsTable = {
  wallet_id: string;
  agent_id: string;
  wallet_address: string;
  network: string;
  encrypted_key_ref: string;
  balance_snapshot: Json | null;
  last_balance_check: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type WalletTransactionsTable = {
  transaction_id: string;
  agent_id: string;
  wallet_id: string;
  transaction_hash: string;
  transaction_type: string;
  from_address: string;
  to_address: string | null;
  amount: Decimal;
  currency: string;
  network: string;
  status: string;
  cfo_approval_id: string | null;
  purpose: string | null;
  nonce: number;
  block_number: number | null;
  contract_address: string | null;
  confirmed_at: Timestamp | null;
  created_at: Timestamp;
};

export type CfoLedgerTable = {
  entry_id: string;
  approval_id: string;
  transfer_id: string;
  agent_id: string;
  request_type: string;
  decision: string;
  code: string | null;
  to_address: string | null;
  amount: Decimal;
  currency: string | null;
  amount_usd: Decimal;
  campaign_id: string | null;
  projected_roi: Decimal | null;
  risk_score: Decimal;
  approval_signature: string | null;
  decided_by: string;
  justification: string | null;
  reason: string;
  budget_remaining: Json;
  created_at: Timestamp;
};

export type FinancialReviewsTable = {
  review_id: string;
  transfer_id: string;
  agent_id: string;
  kind: string;
  to_address: string | null;
  amount: Decimal;
  currency: string | null;
  amount_usd: Decimal;
  risk_score: Decimal;
  reason: string;
  status: string;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_at: Timestamp;
};

export type DatabaseSchema = {
  agent_wallets: AgentWalletsTable;
  wallet_transactions: WalletTransactionsTable;
  cfo_ledger: CfoLedgerTable;
  financial_reviews: FinancialReviewsTable;
  tasks: TasksTable;
  assets: AssetsTable;
  judge_reviews: JudgeReviewsTable;
  hitl_approvals: HitlApprovalsTable;
  state_commits: StateCommitsTable;
  posts: PostsTable;
  cost_events: CostEventsTable;
  engagement_metrics: EngagementMetricsTable;
  processed_events: ProcessedEventsTable;
  agent_activity: AgentActivityTable;
  agents: AgentsTable;
  campaigns: CampaignsTable;
  projection_checkpoints: ProjectionCheckpointsTable;
};
