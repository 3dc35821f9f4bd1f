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

export type DatabaseSchema = {
  processed_events: ProcessedEventsTable;
  agent_activity: AgentActivityTable;
  agents: AgentsTable;
  campaigns: CampaignsTable;
  projection_checkpoints: ProjectionCheckpointsTable;
};
