import { sql, type Kysely } from 'kysely';

// Read models of agents' money (seed 000 §3.1.12–3.1.13, seed 004 `ledger`), from the money
// events of the agent streams. Beyond the seeds: the ledger keeps every CFO decision (refusals
// and holds too, one row per decision event, never updated), and financial_reviews is the
// HITL financial queue (spends whose risk a moderator decides).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE agent_wallets (
      wallet_id uuid PRIMARY KEY,
      agent_id varchar(255) NOT NULL,
      wallet_address varchar(255) NOT NULL,
      network varchar(50) NOT NULL,
      encrypted_key_ref varchar(255) NOT NULL,
      balance_snapshot jsonb,
      last_balance_check timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      UNIQUE (agent_id, network)
    )`.execute(db);
  await sql`CREATE INDEX idx_agent_wallets_agent ON agent_wallets (agent_id)`.execute(db);
  await sql`CREATE INDEX idx_agent_wallets_address ON agent_wallets (wallet_address)`.execute(db);

  await sql`
    CREATE TABLE wallet_transactions (
      transaction_id uuid PRIMARY KEY,
      agent_id varchar(255) NOT NULL,
      wallet_id uuid NOT NULL,
      transaction_hash varchar(255) NOT NULL UNIQUE,
      transaction_type varchar(50) NOT NULL,
      from_address varchar(255) NOT NULL,
      to_address varchar(255),
      amount numeric(38, 18) NOT NULL,
      currency varchar(10) NOT NULL,
      network varchar(50) NOT NULL,
      status varchar(50) NOT NULL DEFAULT 'pending',
      cfo_approval_id uuid,
      purpose text,
      nonce integer NOT NULL,
      block_number integer,
      contract_address varchar(255),
      confirmed_at timestamptz,
      created_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX idx_wallet_transactions_agent ON wallet_transactions (agent_id)`.execute(db);
  await sql`CREATE INDEX idx_wallet_transactions_status ON wallet_transactions (status)`.execute(db);
  await sql`CREATE INDEX idx_wallet_transactions_created ON wallet_transactions (created_at)`.execute(db);

  await sql`
    CREATE TABLE cfo_ledger (
      entry_id uuid PRIMARY KEY,
      approval_id uuid NOT NULL,
      transfer_id uuid NOT NULL,
      agent_id varchar(255) NOT NULL,
      request_type varchar(50) NOT NULL,
      decision varchar(20) NOT NULL,
      code varchar(50),
      to_address varchar(255),
      amount numeric(38, 18) NOT NULL,
      currency varchar(10),
      amount_usd numeric(18, 2) NOT NULL,
      campaign_id varchar(255),
      projected_roi numeric(10, 2),
      risk_score numeric(5, 4) NOT NULL,
      approval_signature text,
      decided_by varchar(255) NOT NULL,
      justification text,
      reason text NOT NULL,
      budget_remaining jsonb NOT NULL,
      created_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX idx_cfo_ledger_agent ON cfo_ledger (agent_id)`.execute(db);
  await sql`CREATE INDEX idx_cfo_ledger_transfer ON cfo_ledger (transfer_id)`.execute(db);
  await sql`CREATE INDEX idx_cfo_ledger_created ON cfo_ledger (created_at DESC)`.execute(db);

  await sql`
    CREATE TABLE financial_reviews (
      review_id uuid PRIMARY KEY,
      transfer_id uuid NOT NULL UNIQUE,
      agent_id varchar(255) NOT NULL,
      kind varchar(50) NOT NULL,
      to_address varchar(255),
      amount numeric(38, 18) NOT NULL,
      currency varchar(10),
      amount_usd numeric(18, 2) NOT NULL,
      risk_score numeric(5, 4) NOT NULL,
      reason text NOT NULL,
      status varchar(20) NOT NULL,
      decided_by varchar(255),
      decided_at timestamptz,
      created_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX idx_financial_reviews_queue ON financial_reviews (created_at) WHERE status = 'queued'`.execute(db);
}
