import { sql, type Transaction } from 'kysely';
import type { DatabaseSchema } from '../adapters/database/databaseSchema.ts';
import type { RecordedEvent } from '../adapters/eventstore/eventStore.ts';
import { agentIdOf, isAgentStream } from '../commands/agentStream.ts';
import { contentHash } from '../domain/judge/commitHash.ts';
import { workEventSchemas, type WorkEvent } from '../domain/work/workEvents.ts';
import type { Projection } from './projection.ts';

// The work tables (seed 000 §3.1.3–3.1.10): tasks, assets, judge_reviews, hitl_approvals,
// state_commits, posts and cost_events, from the work events of the agent streams. Each event
// is a few row writes; times come from the events, so a rebuild comes out identical.
const WORK_EVENTS = new Set(Object.keys(workEventSchemas));

export const workReadModels: Projection = {
  name: 'work_read_models',
  tables: ['hitl_approvals', 'judge_reviews', 'assets', 'state_commits', 'posts', 'cost_events', 'tasks'],
  handles: (event) => isAgentStream(event.streamId) && WORK_EVENTS.has(event.type),
  apply: async (trx, events) => {
    for (const event of events) await applyEvent(trx, agentIdOf(event.streamId), event);
  },
};

const json = (value: unknown) => JSON.stringify(value);
const REVIEW_STATUS = { auto_execute: 'auto_executed', hitl_queue: 'queued', retry: 'retry', reject: 'rejected_by_policy' } as const;

async function applyEvent(trx: Transaction<DatabaseSchema>, agentId: string, recorded: RecordedEvent): Promise<void> {
  const event = { type: recorded.type, data: recorded.data } as WorkEvent;
  const task = (taskId: string) => trx.updateTable('tasks').where('task_id', '=', taskId);
  switch (event.type) {
    case 'CampaignPlanned': {
      const d = event.data;
      if (d.tasks.length === 0) return;
      await trx
        .insertInto('tasks')
        .values(
          d.tasks.map((t) => ({
            task_id: t.task_id,
            agent_id: agentId,
            campaign_id: d.campaign_id,
            plan_id: d.plan_id,
            task_type: t.task_type,
            priority: t.priority,
            status: 'pending',
            parameters: json(t.parameters),
            context: json(t.context),
            dependencies: t.dependencies,
            state_version_snapshot: recorded.streamPosition,
            attempt: 0,
            estimated_cost: t.estimated_cost,
            created_at: d.at,
            updated_at: d.at,
          })),
        )
        .onConflict((oc) => oc.column('task_id').doNothing())
        .execute();
      return;
    }
    case 'TaskReady':
      await task(event.data.task_id)
        .set({ status: 'ready', attempt: event.data.attempt, state_version_snapshot: event.data.state_version_snapshot, updated_at: event.data.at })
        .execute();
      return;
    case 'TaskHeld':
      await task(event.data.task_id).set({ status: 'pending', attempt: sql`attempt - 1`, updated_at: event.data.at }).execute();
      return;
    case 'TaskStarted':
      await task(event.data.task_id)
        .set({ status: 'executing', assigned_worker_id: event.data.worker_id, started_at: event.data.at, updated_at: event.data.at, error: null })
        .execute();
      return;
    case 'TaskResultRecorded': {
      const { result, task_id, attempt, edited_by, at } = event.data;
      const { artifact } = result;
      await task(task_id).set({ status: 'review', result_id: result.result_id, updated_at: at }).execute();
      await trx
        .insertInto('assets')
        .values({
          asset_id: result.result_id,
          task_id,
          agent_id: agentId,
          asset_type: artifact.type,
          content_hash: contentHash(artifact.content),
          content: artifact.type === 'text' ? artifact.content : null,
          object_storage_url: artifact.type === 'text' ? null : artifact.content,
          metadata: json(artifact.metadata),
          lineage: json({ task_id, attempt, edited_by, edited_from: artifact.metadata.edited_from ?? null, model_call: result.model_call }),
          tool_provenance: json(result.tool_provenance),
          confidence_score: result.confidence_score,
          risk_tags: result.risk_tags,
          disclosure_level: result.disclosure_level,
          created_at: at,
        })
        .onConflict((oc) => oc.column('asset_id').doNothing())
        .execute();
      return;
    }
    case 'CostIncurred': {
      const d = event.data;
      await trx
        .insertInto('cost_events')
        .values({
          event_id: d.cost_id,
          agent_id: agentId,
          campaign_id: d.campaign_id,
          task_id: d.task_id,
          cost_category: d.category,
          tool_name: d.tool_name,
          tier: d.tier,
          cost_amount: d.amount,
          currency: d.currency,
          cost_estimate: d.estimate,
          actual_cost: d.amount,
          metadata: null,
          created_at: d.at,
        })
        .onConflict((oc) => oc.columns(['event_id', 'created_at']).doNothing())
        .execute();
      return;
    }
    case 'TaskAttemptFailed':
      await task(event.data.task_id).set({ status: 'pending', error: json(event.data.error), updated_at: event.data.at }).execute();
      return;
    case 'TaskFailed':
      await task(event.data.task_id).set({ status: 'failed', error: json(event.data.error), completed_at: event.data.at, updated_at: event.data.at }).execute();
      return;
    case 'TaskCancelled':
      await task(event.data.task_id)
        .set({ status: 'cancelled', error: json({ code: 'cancelled', message: event.data.reason }), completed_at: event.data.at, updated_at: event.data.at })
        .execute();
      return;
    case 'TaskCompleted':
      await task(event.data.task_id).set({ status: 'completed', completed_at: event.data.at, updated_at: event.data.at }).execute();
      return;
    case 'ResultInvalidated':
      await task(event.data.task_id)
        .set({ status: 'pending', result_id: null, review_id: null, error: json({ code: event.data.code, message: event.data.reason }), updated_at: event.data.at })
        .execute();
      return;
    case 'ResultReviewed': {
      const d = event.data;
      await task(d.task_id).set({ review_id: d.review_id, updated_at: d.at }).execute();
      await trx
        .insertInto('judge_reviews')
        .values({
          review_id: d.review_id,
          result_id: d.result_id,
          task_id: d.task_id,
          agent_id: agentId,
          validation_result: json(d.verdict.validation_result),
          routing_decision: json(d.verdict.routing_decision),
          occ_check: json(d.occ_check),
          judge_type: 'content',
          reasoning_trace: d.verdict.routing_decision.reason,
          status: REVIEW_STATUS[d.verdict.routing_decision.action],
          hitl_category: d.verdict.hitl_category,
          artifact_hash: d.artifact_hash,
          policy_version: d.policy_version,
          expires_at: d.expires_at,
          decided_at: d.verdict.routing_decision.action === 'hitl_queue' ? null : d.at,
          created_at: d.at,
        })
        .onConflict((oc) => oc.column('review_id').doNothing())
        .execute();
      return;
    }
    case 'ResultCommitted': {
      const d = event.data;
      await trx
        .insertInto('state_commits')
        .values({
          commit_id: d.commit_id,
          agent_id: agentId,
          task_id: d.task_id,
          review_id: d.review_id,
          result_id: d.result_id,
          input_state_version: d.input_state_version,
          output_state_version: recorded.streamPosition,
          commit_hash: d.commit_hash,
          committed_by: d.committed_by,
          committed_at: d.at,
          occ_conflict: false,
        })
        .onConflict((oc) => oc.column('commit_id').doNothing())
        .execute();
      return;
    }
    case 'ReviewApproved':
      return decided(trx, event.data.review_id, 'approved', event.data.approval_id, event.data, null);
    case 'ReviewRejected':
      return decided(trx, event.data.review_id, 'rejected', event.data.rejection_id, event.data, null);
    case 'ReviewEdited':
      return decided(trx, event.data.review_id, 'edited', event.data.edit_id, event.data, event.data.edited_result_id);
    case 'ReviewExpired':
      await trx.updateTable('judge_reviews').set({ status: 'expired', decided_at: event.data.at }).where('review_id', '=', event.data.review_id).execute();
      return;
    case 'PostPublished': {
      const d = event.data;
      await trx
        .insertInto('posts')
        .values({
          post_id: d.post_id,
          asset_id: d.asset_result_id,
          task_id: d.task_id,
          agent_id: agentId,
          campaign_id: d.campaign_id,
          platform: d.platform,
          platform_post_id: d.platform_post_id,
          platform_url: d.url,
          text: d.text,
          idempotency_key: d.idempotency_key,
          status: 'published',
          scheduled_at: null,
          published_at: d.published_at,
          disclosure_level: d.disclosure_level,
          created_at: d.at,
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .execute();
      return;
    }
    default:
      return;
  }
}

async function decided(
  trx: Transaction<DatabaseSchema>,
  reviewId: string,
  decision: 'approved' | 'rejected' | 'edited',
  approvalId: string,
  d: { reviewer_id: string; artifact_hash: string; policy_version: string; notes: string | null; at: string },
  editedResultId: string | null,
): Promise<void> {
  await trx.updateTable('judge_reviews').set({ status: decision, decided_at: d.at }).where('review_id', '=', reviewId).execute();
  await trx
    .insertInto('hitl_approvals')
    .values({
      approval_id: approvalId,
      review_id: reviewId,
      reviewer_id: d.reviewer_id,
      decision,
      artifact_hash: d.artifact_hash,
      policy_version: d.policy_version,
      notes: d.notes,
      edited_artifact_id: editedResultId,
      created_at: d.at,
    })
    .onConflict((oc) => oc.column('approval_id').doNothing())
    .execute();
}
