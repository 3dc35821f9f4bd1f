// An agent's work as its decider needs to see it: plans, tasks with their current attempt and
// result, reviews awaiting or past a decision, what was published, and the stream versions at
// which the things a result depends on last changed (for the semantic staleness check).
import type { Artifact, TaskSpec, Verdict } from './workEvents.ts';

export type TaskStatus = 'pending' | 'ready' | 'executing' | 'review' | 'completed' | 'failed' | 'cancelled';

export type TaskResultState = {
  result_id: string;
  artifact: Artifact;
  confidence_score: number;
  risk_tags: string[];
  disclosure_level: 'automated' | 'assisted' | 'none';
  source_content: string | null;
  state_version_snapshot: number;
};

export type TaskRecord = {
  spec: TaskSpec;
  plan_id: string;
  campaign_id: string;
  status: TaskStatus;
  // The attempt last made ready or started (0 before the first).
  attempt: number;
  failed_attempts: number;
  // Version the current attempt was decided against.
  state_version_snapshot: number | null;
  // A retry's backoff: the next TaskReady waits until then.
  retry_not_before: string | null;
  worker_id: string | null;
  result: TaskResultState | null;
  // The result that was committed (auto-executed or approved), which dependents receive.
  committed: TaskResultState | null;
  review_id: string | null;
};

export type ReviewStatus = 'queued' | 'auto_executed' | 'retry' | 'rejected_by_policy' | 'approved' | 'rejected' | 'edited' | 'expired';

export type ReviewRecord = {
  review_id: string;
  task_id: string;
  result_id: string;
  status: ReviewStatus;
  verdict: Verdict;
  artifact_hash: string;
  expires_at: string | null;
};

export type PlanRecord = { plan_id: string; campaign_id: string; approved: boolean; task_ids: string[] };

export type Platform = 'twitter' | 'instagram' | 'threads' | 'tiktok';

export type WorkState = {
  plans: Record<string, PlanRecord>;
  tasks: Record<string, TaskRecord>;
  reviews: Record<string, ReviewRecord>;
  // Published posts by idempotency key.
  posts: Record<string, { post_id: string; platform_post_id: string }>;
  last_post_at: Partial<Record<Platform, string>>;
  // A post task in flight per platform holds the platform's cooldown slot.
  posting: Partial<Record<Platform, string>>;
  // The agent's latest published texts (newest last), for the judge's duplicate check.
  recent_posts: string[];
  // Stream versions of the last change that can make a result stale.
  changed_at: {
    persona: number;
    policy: number;
    agent_status: number;
    campaigns: Record<string, number>;
    goals: Record<string, number>;
  };
};

export const RECENT_POSTS_KEPT = 20;

export function initialWorkState(): WorkState {
  return {
    plans: {},
    tasks: {},
    reviews: {},
    posts: {},
    last_post_at: {},
    posting: {},
    recent_posts: [],
    changed_at: { persona: 0, policy: 0, agent_status: 0, campaigns: {}, goals: {} },
  };
}
