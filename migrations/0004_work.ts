import { sql, type Kysely } from 'kysely';

// Read models of an agent's work (seed 000 §3.1.3–3.1.10), built from the agent streams by one
// projection, so rows that refer to each other arrive in order and rebuild together. Beyond
// the seed: tasks carry their plan, attempt and current result/review; assets keep text
// content (the HITL queue shows it); judge_reviews carry the queue's status and category.
// cost_events and engagement_metrics are partitioned by time as the seed says, with a default
// partition so that no insert fails for want of a monthly one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE tasks (
      task_id uuid PRIMARY KEY,
      agent_id varchar(255) NOT NULL,
      campaign_id varchar(255),
      plan_id varchar(255) NOT NULL,
      task_type varchar(50) NOT NULL,
      priority varchar(50) NOT NULL DEFAULT 'medium',
      status varchar(50) NOT NULL DEFAULT 'pending',
      parameters jsonb NOT NULL,
      context jsonb,
      dependencies text[] NOT NULL DEFAULT '{}',
      assigned_worker_id varchar(255),
      state_version_snapshot integer NOT NULL,
      attempt integer NOT NULL DEFAULT 0,
      result_id uuid,
      review_id uuid,
      estimated_cost numeric(10, 4) NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      started_at timestamptz,
      completed_at timestamptz,
      updated_at timestamptz NOT NULL,
      error jsonb
    )`.execute(db);
  await sql`CREATE INDEX idx_tasks_agent ON tasks (agent_id)`.execute(db);
  await sql`CREATE INDEX idx_tasks_status ON tasks (status)`.execute(db);
  await sql`CREATE INDEX idx_tasks_campaign ON tasks (campaign_id)`.execute(db);
  await sql`CREATE INDEX idx_tasks_priority ON tasks (priority)`.execute(db);
  await sql`CREATE INDEX idx_tasks_created ON tasks (created_at)`.execute(db);

  await sql`
    CREATE TABLE assets (
      asset_id uuid PRIMARY KEY,
      task_id uuid NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
      agent_id varchar(255) NOT NULL,
      asset_type varchar(50) NOT NULL,
      content_hash varchar(64) NOT NULL,
      content text,
      object_storage_url text,
      metadata jsonb NOT NULL,
      lineage jsonb NOT NULL,
      tool_provenance jsonb NOT NULL,
      confidence_score numeric(4, 3) NOT NULL,
      risk_tags text[] NOT NULL DEFAULT '{}',
      disclosure_level varchar(50) NOT NULL,
      created_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX idx_assets_task ON assets (task_id)`.execute(db);
  await sql`CREATE INDEX idx_assets_agent ON assets (agent_id)`.execute(db);
  await sql`CREATE INDEX idx_assets_type ON assets (asset_type)`.execute(db);
  await sql`CREATE INDEX idx_assets_content_hash ON assets (content_hash)`.execute(db);

  await sql`
    CREATE TABLE judge_reviews (
      review_id uuid PRIMARY KEY,
      result_id uuid NOT NULL,
      task_id uuid NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
      agent_id varchar(255) NOT NULL,
      validation_result jsonb NOT NULL,
      routing_decision jsonb NOT NULL,
      occ_check jsonb NOT NULL,
      judge_type varchar(50) NOT NULL DEFAULT 'content',
      reasoning_trace text,
      status varchar(50) NOT NULL,
      hitl_category varchar(50),
      artifact_hash varchar(64) NOT NULL,
      policy_version varchar(50) NOT NULL,
      expires_at timestamptz,
      decided_at timestamptz,
      created_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX idx_judge_reviews_task ON judge_reviews (task_id)`.execute(db);
  await sql`CREATE INDEX idx_judge_reviews_agent ON judge_reviews (agent_id)`.execute(db);
  await sql`CREATE INDEX idx_judge_reviews_routing ON judge_reviews ((routing_decision->>'action'))`.execute(db);
  await sql`CREATE INDEX idx_judge_reviews_created ON judge_reviews (created_at)`.execute(db);
  await sql`CREATE INDEX idx_judge_reviews_queue ON judge_reviews (created_at) WHERE status = 'queued'`.execute(db);

  await sql`
    CREATE TABLE hitl_approvals (
      approval_id uuid PRIMARY KEY,
      review_id uuid NOT NULL REFERENCES judge_reviews (review_id) ON DELETE CASCADE,
      reviewer_id varchar(255) NOT NULL,
      decision varchar(50) NOT NULL,
      artifact_hash varchar(64) NOT NULL,
      policy_version varchar(50) NOT NULL,
      notes text,
      edited_artifact_id uuid,
      created_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX idx_hitl_approvals_review ON hitl_approvals (review_id)`.execute(db);
  await sql`CREATE INDEX idx_hitl_approvals_reviewer ON hitl_approvals (reviewer_id)`.execute(db);
  await sql`CREATE INDEX idx_hitl_approvals_decision ON hitl_approvals (decision)`.execute(db);
  await sql`CREATE INDEX idx_hitl_approvals_created ON hitl_approvals (created_at)`.execute(db);

  await sql`
    CREATE TABLE state_commits (
      commit_id uuid PRIMARY KEY,
      agent_id varchar(255) NOT NULL,
      task_id uuid REFERENCES tasks (task_id) ON DELETE SET NULL,
      review_id uuid,
      result_id uuid,
      input_state_version integer NOT NULL,
      output_state_version integer NOT NULL,
      commit_hash varchar(64) NOT NULL,
      committed_by varchar(50) NOT NULL,
      committed_at timestamptz NOT NULL,
      occ_conflict boolean NOT NULL DEFAULT false
    )`.execute(db);
  await sql`CREATE INDEX idx_state_commits_agent ON state_commits (agent_id)`.execute(db);
  await sql`CREATE INDEX idx_state_commits_state_version ON state_commits (output_state_version)`.execute(db);
  await sql`CREATE INDEX idx_state_commits_committed ON state_commits (committed_at)`.execute(db);

  await sql`
    CREATE TABLE posts (
      post_id uuid PRIMARY KEY,
      asset_id uuid,
      task_id uuid NOT NULL,
      agent_id varchar(255) NOT NULL,
      campaign_id varchar(255),
      platform varchar(50) NOT NULL,
      platform_post_id varchar(255),
      platform_url text,
      text text NOT NULL,
      idempotency_key varchar(128) NOT NULL UNIQUE,
      status varchar(50) NOT NULL DEFAULT 'scheduled',
      scheduled_at timestamptz,
      published_at timestamptz,
      disclosure_level varchar(50) NOT NULL,
      created_at timestamptz NOT NULL,
      UNIQUE (platform, platform_post_id)
    )`.execute(db);
  await sql`CREATE INDEX idx_posts_agent ON posts (agent_id)`.execute(db);
  await sql`CREATE INDEX idx_posts_platform ON posts (platform)`.execute(db);
  await sql`CREATE INDEX idx_posts_status ON posts (status)`.execute(db);
  await sql`CREATE INDEX idx_posts_published ON posts (published_at)`.execute(db);

  await sql`
    CREATE TABLE cost_events (
      event_id uuid NOT NULL,
      agent_id varchar(255) NOT NULL,
      campaign_id varchar(255),
      task_id uuid,
      cost_category varchar(50) NOT NULL,
      tool_name varchar(255),
      tier varchar(50),
      cost_amount numeric(10, 4) NOT NULL,
      currency varchar(10) NOT NULL DEFAULT 'USD',
      cost_estimate numeric(10, 4),
      actual_cost numeric(10, 4),
      metadata jsonb,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (event_id, created_at)
    ) PARTITION BY RANGE (created_at)`.execute(db);
  await sql`CREATE TABLE cost_events_default PARTITION OF cost_events DEFAULT`.execute(db);
  await sql`CREATE INDEX idx_cost_events_agent ON cost_events (agent_id)`.execute(db);
  await sql`CREATE INDEX idx_cost_events_campaign ON cost_events (campaign_id)`.execute(db);
  await sql`CREATE INDEX idx_cost_events_category ON cost_events (cost_category)`.execute(db);
  await sql`CREATE INDEX idx_cost_events_created ON cost_events (created_at)`.execute(db);

  await sql`
    CREATE TABLE engagement_metrics (
      metric_id uuid NOT NULL,
      post_id uuid NOT NULL,
      agent_id varchar(255) NOT NULL,
      platform varchar(50) NOT NULL,
      views integer DEFAULT 0,
      likes integer DEFAULT 0,
      comments integer DEFAULT 0,
      shares integer DEFAULT 0,
      engagement_delta integer DEFAULT 0,
      measured_at timestamptz NOT NULL,
      PRIMARY KEY (metric_id, measured_at)
    ) PARTITION BY RANGE (measured_at)`.execute(db);
  await sql`CREATE TABLE engagement_metrics_default PARTITION OF engagement_metrics DEFAULT`.execute(db);
  await sql`CREATE INDEX idx_engagement_metrics_post ON engagement_metrics (post_id)`.execute(db);
  await sql`CREATE INDEX idx_engagement_metrics_agent ON engagement_metrics (agent_id)`.execute(db);
  await sql`CREATE INDEX idx_engagement_metrics_measured ON engagement_metrics (measured_at)`.execute(db);
}
