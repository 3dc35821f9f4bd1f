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

export type DatabaseSchema = {
  agents: AgentsTable;
  campaigns: CampaignsTable;
  projection_checkpoints: ProjectionCheckpointsTable;
};
