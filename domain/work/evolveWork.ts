// How events fold into an agent's work. `version` is the stream version this event brings the
// stream to; `agent` is the agent as it was before the event (to tell what an agent event
// changed). Total and pure: unknown events leave the state as it is.
import type { AgentEvent } from '../agent/agentEvents.ts';
import type { AgentState } from '../agent/agentState.ts';
import type { WorkEvent } from './workEvents.ts';
import { RECENT_POSTS_KEPT, type TaskRecord, type WorkState } from './workState.ts';

export function evolveWork(work: WorkState, event: AgentEvent | WorkEvent, version: number, agent: AgentState): WorkState {
  switch (event.type) {
    case 'PersonaUpdated':
      return changed(work, { persona: version });
    case 'PolicyVersionChanged':
      return changed(work, { policy: version });
    case 'AgentPaused':
    case 'AgentResumed':
    case 'AgentDeleted':
      return changed(work, { agent_status: version });
    case 'CampaignUpdated': {
      const before = agent.campaigns.find((c) => c.campaign_id === event.data.campaign.campaign_id);
      if (before?.status === event.data.campaign.status) return work;
      return changed(work, { campaigns: { ...work.changed_at.campaigns, [event.data.campaign.campaign_id]: version } });
    }
    case 'CampaignRemoved':
      return changed(work, { campaigns: { ...work.changed_at.campaigns, [event.data.campaign_id]: version } });
    case 'GoalUpdated': {
      const before = agent.goals.find((g) => g.goal_id === event.data.goal.goal_id);
      if (before?.status === event.data.goal.status) return work;
      return changed(work, { goals: { ...work.changed_at.goals, [event.data.goal.goal_id]: version } });
    }
    case 'GoalRemoved':
      return changed(work, { goals: { ...work.changed_at.goals, [event.data.goal_id]: version } });

    case 'CampaignPlanned': {
      const { plan_id, campaign_id, tasks, requires_approval } = event.data;
      const added = Object.fromEntries(
        tasks.map((spec): [string, TaskRecord] => [
          spec.task_id,
          {
            spec,
            plan_id,
            campaign_id,
            status: 'pending',
            attempt: 0,
            failed_attempts: 0,
            state_version_snapshot: null,
            retry_not_before: null,
            worker_id: null,
            result: null,
            committed: null,
            review_id: null,
          },
        ]),
      );
      return {
        ...work,
        plans: { ...work.plans, [plan_id]: { plan_id, campaign_id, approved: !requires_approval, task_ids: tasks.map((t) => t.task_id) } },
        tasks: { ...work.tasks, ...added },
      };
    }
    case 'PlanApproved': {
      const plan = work.plans[event.data.plan_id];
      return plan ? { ...work, plans: { ...work.plans, [plan.plan_id]: { ...plan, approved: true } } } : work;
    }
    case 'TaskReady':
      return task(work, event.data.task_id, (t) => ({
        ...t,
        status: 'ready',
        attempt: event.data.attempt,
        state_version_snapshot: event.data.state_version_snapshot,
        retry_not_before: event.data.not_before,
      }));
    case 'TaskHeld':
      return task(work, event.data.task_id, (t) => ({ ...t, status: 'pending', attempt: t.attempt - 1 }));
    case 'TaskStarted': {
      const started = task(work, event.data.task_id, (t) => ({ ...t, status: 'executing', worker_id: event.data.worker_id }));
      const platform = publishingPlatform(work.tasks[event.data.task_id]);
      return platform ? { ...started, posting: { ...started.posting, [platform]: event.data.task_id } } : started;
    }
    case 'TaskResultRecorded': {
      const { result, state_version_snapshot } = event.data;
      return task(work, event.data.task_id, (t) => ({
        ...t,
        status: 'review',
        review_id: null,
        result: {
          result_id: result.result_id,
          artifact: result.artifact,
          confidence_score: result.confidence_score,
          risk_tags: result.risk_tags,
          disclosure_level: result.disclosure_level,
          source_content: result.source_content,
          state_version_snapshot,
        },
      }));
    }
    case 'TaskAttemptFailed':
      return releasePosting(
        task(work, event.data.task_id, (t) => ({ ...t, status: 'pending', failed_attempts: t.failed_attempts + 1, worker_id: null })),
        event.data.task_id,
      );
    case 'TaskFailed':
      return releasePosting(task(work, event.data.task_id, (t) => ({ ...t, status: 'failed' })), event.data.task_id);
    case 'TaskCancelled':
      return releasePosting(task(work, event.data.task_id, (t) => ({ ...t, status: 'cancelled' })), event.data.task_id);
    case 'TaskCompleted':
      return task(work, event.data.task_id, (t) => ({ ...t, status: 'completed' }));
    case 'ResultInvalidated':
      // Re-planned: back to pending; the task gets a fresh snapshot when it is made ready again.
      return task(work, event.data.task_id, (t) => ({ ...t, status: 'pending', result: null, review_id: null }));
    case 'ResultReviewed': {
      const { review_id, task_id, result_id, verdict, artifact_hash, expires_at } = event.data;
      const action = verdict.routing_decision.action;
      const status = action === 'hitl_queue' ? 'queued' : action === 'auto_execute' ? 'auto_executed' : action === 'retry' ? 'retry' : 'rejected_by_policy';
      return {
        ...task(work, task_id, (t) => ({ ...t, review_id })),
        reviews: { ...work.reviews, [review_id]: { review_id, task_id, result_id, status, verdict, artifact_hash, expires_at } },
      };
    }
    case 'ResultCommitted':
      return task(work, event.data.task_id, (t) => (t.result?.result_id === event.data.result_id ? { ...t, committed: t.result } : t));
    case 'ReviewApproved':
      return review(work, event.data.review_id, 'approved');
    case 'ReviewRejected':
      return review(work, event.data.review_id, 'rejected');
    case 'ReviewEdited':
      return review(work, event.data.review_id, 'edited');
    case 'ReviewExpired':
      return review(work, event.data.review_id, 'expired');
    case 'PostPublished': {
      const { idempotency_key, post_id, platform_post_id, platform, published_at, text } = event.data;
      const posting = { ...work.posting };
      if (posting[platform] === event.data.task_id) delete posting[platform];
      return {
        ...work,
        posts: { ...work.posts, [idempotency_key]: { post_id, platform_post_id } },
        last_post_at: { ...work.last_post_at, [platform]: published_at },
        posting,
        recent_posts: [...work.recent_posts, text].slice(-RECENT_POSTS_KEPT),
      };
    }
    default:
      return work;
  }
}

function changed(work: WorkState, patch: Partial<WorkState['changed_at']>): WorkState {
  return { ...work, changed_at: { ...work.changed_at, ...patch } };
}

function task(work: WorkState, taskId: string, update: (t: TaskRecord) => TaskRecord): WorkState {
  const current = work.tasks[taskId];
  return current ? { ...work, tasks: { ...work.tasks, [taskId]: update(current) } } : work;
}

function review(work: WorkState, reviewId: string, status: 'approved' | 'rejected' | 'edited' | 'expired'): WorkState {
  const current = work.reviews[reviewId];
  return current ? { ...work, reviews: { ...work.reviews, [reviewId]: { ...current, status } } } : work;
}

// The platform a task publishes to, for tasks that publish.
export function publishingPlatform(t: TaskRecord | undefined): 'twitter' | 'instagram' | 'threads' | 'tiktok' | null {
  if (!t || (t.spec.task_type !== 'post_content' && t.spec.task_type !== 'engage_reply')) return null;
  const platform = t.spec.parameters.platform;
  return platform === 'twitter' || platform === 'instagram' || platform === 'threads' || platform === 'tiktok' ? platform : null;
}

function releasePosting(work: WorkState, taskId: string): WorkState {
  const platform = publishingPlatform(work.tasks[taskId]);
  if (!platform || work.posting[platform] !== taskId) return work;
  const posting = { ...work.posting };
  delete posting[platform];
  return { ...work, posting };
}
