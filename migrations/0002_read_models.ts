import { sql, type Kysely } from 'kysely';

// Read models of seed 000 §3.1.1-3.1.2, built by projectors from the agent streams, and the
// checkpoints those projectors write in the same transaction as their rows.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE projection_checkpoints (
      projection text PRIMARY KEY,
      transaction_id text NOT NULL,
      global_position bigint NOT NULL,
      events_applied bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE agents (
      agent_id varchar(255) PRIMARY KEY,
      name varchar(255) NOT NULL,
      persona_name varchar(255) NOT NULL,
      policy_version varchar(50) NOT NULL,
      state_version integer NOT NULL DEFAULT 0,
      status varchar(50) NOT NULL DEFAULT 'active',
      wallet_address varchar(255),
      wallet_network varchar(50),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      persona_config jsonb NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX idx_agents_status ON agents (status)`.execute(db);
  await sql`CREATE INDEX idx_agents_state_version ON agents (state_version)`.execute(db);
  await sql`CREATE INDEX idx_agents_wallet ON agents (wallet_address)`.execute(db);

  await sql`
    CREATE TABLE campaigns (
      campaign_id varchar(255) PRIMARY KEY,
      agent_id varchar(255) NOT NULL REFERENCES agents (agent_id) ON DELETE CASCADE,
      name varchar(255) NOT NULL,
      description text,
      status varchar(50) NOT NULL DEFAULT 'active',
      budget_limit numeric(10, 2),
      budget_remaining numeric(10, 2),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX idx_campaigns_agent ON campaigns (agent_id)`.execute(db);
  await sql`CREATE INDEX idx_campaigns_status ON campaigns (status)`.execute(db);
}
