import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentStreamEvent } from '../agentStream.ts';
import {
  agentCreated,
  at,
  decideAfter,
  later,
  moderator,
  pauseCampaign,
  plan,
  policy,
  record,
  result,
  review,
  run,
  spec,
  start,
  typesOf,
  verdict,
} from './workFixtures.ts';

const events = (history: AgentStreamEvent[], command: Parameters<typeof decideAfter>[1]) => {
  const { decision } = decideAfter(history, command);
  if (!decision.ok) assert.fail(`refused: ${decision.error.code}`);
  return decision.events;
};
const refusal = (history: AgentStreamEvent[], command: Parameters<typeof decideAfter>[1]) => {
  const { decision } = decideAfter(history, command);
  if (decision.ok) assert.fail(`expected a refusal, got ${typesOf(decision.events).join(', ')}`);
  return decision.error;
};
const dataOf = <T extends AgentStreamEvent['type']>(list: AgentStreamEvent[], type: T) =>
  list.find((e) => e.type === type)!.data as Extract<AgentStreamEvent, { type: T }>['data'];

describe('work: planning', () => {
  it('opens the campaign, records the plan and makes the root task ready at the current version', () => {
    const out = events([agentCreated], plan());
    assert.deepEqual(typesOf(out), ['CampaignAdded', 'CampaignPlanned', 'TaskReady']);
    assert.deepEqual(dataOf(out, 'TaskReady'), { task_id: 't-write', attempt: 1, state_version_snapshot: 3, not_before: null, inputs: [], at });
  });

  it('holds every task of a plan that needs approval until an operator approves it', () => {
    const planned = run([agentCreated], plan(true));
    assert.deepEqual(typesOf(planned.slice(1)), ['CampaignAdded', 'CampaignPlanned']);
    const approved = events(planned, { type: 'ApprovePlan', data: { plan_id: 'p-1', approved_by: 'op-1' }, now: at, policy });
    assert.deepEqual(typesOf(approved), ['PlanApproved', 'TaskReady']);
  });

  it('refuses a plan whose dependencies form a cycle, or name a task outside it', () => {
    const cycle = [spec('a', 'generate_text', ['b']), spec('b', 'post_content', ['a'])];
    assert.equal(refusal([agentCreated], plan(false, cycle)).code, 'plan_invalid');
    assert.equal(refusal([agentCreated], plan(false, [spec('a', 'post_content', ['ghost'])])).code, 'plan_invalid');
  });

  it('orders a plan so that dependents come after what they depend on', () => {
    const out = events([agentCreated], plan(false, [spec('t-post', 'post_content', ['t-write']), spec('t-write', 'generate_text')]));
    assert.deepEqual(dataOf(out, 'CampaignPlanned').tasks.map((t) => t.task_id), ['t-write', 't-post']);
  });

  it('cancels open tasks with what depends on them, leaves finished ones, refuses unknown ids', () => {
    const planned = run([agentCreated], plan());
    const cancel = (task_ids: string[]) => ({ type: 'CancelTasks' as const, data: { task_ids, reason: 'goal cancelled' }, now: at, policy });
    assert.deepEqual(
      events(planned, cancel(['t-write'])).map((e) => [e.type, (e.data as { task_id: string }).task_id]),
      [
        ['TaskCancelled', 't-write'],
        ['TaskCancelled', 't-post'],
      ],
    );
    assert.equal(refusal(planned, cancel(['ghost'])).code, 'task_not_found');
  });

  it('refuses to plan for an agent that does not exist', () => {
    assert.equal(refusal([], plan()).code, 'agent_not_found');
  });
});

describe('work: a worker runs a task', () => {
  const planned = run([agentCreated], plan());

  it('lets one worker claim an attempt, once', () => {
    const claimed = run(planned, start('t-write'));
    assert.equal(typesOf(claimed).at(-1), 'TaskStarted');
    assert.equal(refusal(claimed, start('t-write', 1, at, 'w-2')).code, 'task_not_ready');
    assert.equal(refusal(planned, start('t-write', 2)).code, 'attempt_superseded');
  });

  it('records a result and its cost, then waits for the judge', () => {
    const out = events(run(planned, start('t-write')), record('t-write', result('r-1')));
    assert.deepEqual(typesOf(out), ['TaskResultRecorded', 'CostIncurred']);
    assert.equal(dataOf(out, 'TaskResultRecorded').state_version_snapshot, 3);
    assert.equal(dataOf(out, 'CostIncurred').campaign_id, 'c-1');
  });

  it('retries a failed attempt after a backoff that doubles, and fails the task when attempts run out', () => {
    const fail = (attempt: number) => ({
      type: 'FailTaskAttempt' as const,
      data: { task_id: 't-write', attempt, error: { code: 'E1002', message: 'MCP server unavailable' }, retryable: true },
      now: at,
      policy,
    });
    const first = events(run(planned, start('t-write')), fail(1));
    assert.deepEqual(typesOf(first), ['TaskAttemptFailed', 'TaskReady']);
    assert.equal(dataOf(first, 'TaskReady').not_before, later(1 / 60));
    const twice = run(planned, start('t-write'), fail(1), start('t-write', 2, later(1)), fail(2));
    assert.equal(dataOf(twice.slice(-1), 'TaskReady').not_before, later(2 / 60));
    const out = events(run(twice, start('t-write', 3, later(2))), fail(3));
    assert.deepEqual(typesOf(out), ['TaskAttemptFailed', 'TaskFailed', 'TaskCancelled']);
    assert.equal(dataOf(out, 'TaskCancelled').task_id, 't-post');
  });

  it('does not start a retry before its backoff is over', () => {
    const failed = run(planned, start('t-write'), {
      type: 'FailTaskAttempt',
      data: { task_id: 't-write', attempt: 1, error: { code: 'E2001', message: 'timeout' }, retryable: true },
      now: at,
      policy,
    });
    assert.equal(refusal(failed, start('t-write', 2, at)).code, 'task_not_due');
    assert.equal(typesOf(events(failed, start('t-write', 2, later(1)))).at(-1), 'TaskStarted');
  });

  it('refuses a late result from an attempt that was superseded', () => {
    const retried = run(planned, start('t-write'), {
      type: 'FailTaskAttempt',
      data: { task_id: 't-write', attempt: 1, error: { code: 'E2001', message: 'timeout' }, retryable: true },
      now: at,
      policy,
    });
    assert.equal(refusal(retried, record('t-write', result('late'), 1)).code, 'attempt_superseded');
  });
});

describe('work: the judge routes a result', () => {
  const recorded = run([agentCreated], plan(), start('t-write'), record('t-write', result('r-1')));

  it('commits an auto-executed result and hands its artifact to the task that depends on it', () => {
    const out = events(recorded, review('t-write', 'r-1', verdict('auto_execute')));
    assert.deepEqual(typesOf(out), ['ResultReviewed', 'ResultCommitted', 'TaskCompleted', 'TaskReady']);
    const ready = dataOf(out, 'TaskReady');
    assert.equal(ready.task_id, 't-post');
    assert.equal(ready.inputs[0]!.artifact.content, 'Hello from Nova #launch');
    assert.equal(dataOf(out, 'ResultCommitted').committed_by, 'judge');
  });

  it('queues a result for a moderator with an expiry', () => {
    const out = events(recorded, review('t-write', 'r-1', verdict('hitl_queue', 'sensitive')));
    assert.deepEqual(typesOf(out), ['ResultReviewed']);
    assert.equal(dataOf(out, 'ResultReviewed').expires_at, new Date(Date.parse(at) + policy.hitl_ttl_ms).toISOString());
  });

  it('sends a result back for another attempt on retry, and ends the task on reject (E1003)', () => {
    assert.deepEqual(typesOf(events(recorded, review('t-write', 'r-1', verdict('retry')))), ['ResultReviewed', 'TaskAttemptFailed', 'TaskReady']);
    const rejected = events(recorded, review('t-write', 'r-1', verdict('reject')));
    assert.deepEqual(typesOf(rejected), ['ResultReviewed', 'TaskFailed', 'TaskCancelled']);
    assert.equal(dataOf(rejected, 'TaskFailed').error.code, 'E1003');
  });

  it('reviews a result once, even when the judge gets it twice', () => {
    const reviewed = run(recorded, review('t-write', 'r-1', verdict('hitl_queue')));
    assert.deepEqual(events(reviewed, review('t-write', 'r-1', verdict('hitl_queue'), 'rv-again')), []);
  });

  it('invalidates a result whose campaign was paused after its snapshot, and re-plans the task when the campaign resumes', () => {
    const running = run([agentCreated], plan(), start('t-write'));
    const paused = run(running, pauseCampaign('paused'), record('t-write', result('r-1')));
    const out = events(paused, review('t-write', 'r-1', verdict('auto_execute')));
    assert.deepEqual(typesOf(out), ['ResultInvalidated']);
    assert.equal(dataOf(out, 'ResultInvalidated').code, 'E1004');
    const resumed = events([...paused, ...out], pauseCampaign('active'));
    assert.deepEqual(typesOf(resumed), ['CampaignUpdated', 'TaskReady']);
    assert.equal(dataOf(resumed, 'TaskReady').attempt, 2);
  });

  it('does not invalidate a result for changes that do not concern its task', () => {
    const running = run([agentCreated], plan(), start('t-write'));
    const unrelated = run(
      running,
      { type: 'UpdateGlobalState', data: { goals: [{ action: 'add', goal: { goal_id: 'g-9', description: 'other' } }], campaigns: [] }, now: at, policy },
      record('t-write', result('r-1')),
    );
    assert.equal(typesOf(events(unrelated, review('t-write', 'r-1', verdict('auto_execute'))))[0], 'ResultReviewed');
  });

  it('holds a ready task when its campaign is paused', () => {
    const planned = run([agentCreated], plan());
    assert.deepEqual(typesOf(events(planned, pauseCampaign('paused'))), ['CampaignUpdated', 'TaskHeld']);
  });
});

describe('work: a moderator decides', () => {
  const queued = run([agentCreated], plan(), start('t-write'), record('t-write', result('r-1', 'On the vote', 0.8)), review('t-write', 'r-1', verdict('hitl_queue', 'sensitive')));
  const decision = (type: 'ApproveReview' | 'RejectReview' | 'EditReview', extra: Record<string, unknown> = {}) =>
    ({
      type,
      data: { review_id: 'rv-r-1', ...moderator, approval_id: 'ap-1', commit_id: 'cm-1', rejection_id: 'rj-1', edit_id: 'ed-1', new_result_id: 'r-2', artifact: { type: 'text', content: 'Edited' }, ...extra },
      now: later(5),
      policy,
    }) as Parameters<typeof decideAfter>[1];

  it('approves: commits the result as the moderator and releases the post', () => {
    const out = events(queued, decision('ApproveReview'));
    assert.deepEqual(typesOf(out), ['ReviewApproved', 'ResultCommitted', 'TaskCompleted', 'TaskReady']);
    assert.equal(dataOf(out, 'ReviewApproved').artifact_hash, 'hash-r-1');
    assert.equal(dataOf(out, 'ReviewApproved').policy_version, 'v1');
    assert.equal(dataOf(out, 'ResultCommitted').committed_by, 'human_moderator');
  });

  it('rejects: the task and what depends on it end', () => {
    assert.deepEqual(typesOf(events(queued, decision('RejectReview'))), ['ReviewRejected', 'TaskCancelled', 'TaskCancelled']);
  });

  describe('a blocked result (a critical finding)', () => {
    const blocked = run([agentCreated], plan(), start('t-write'), record('t-write', result('r-1', 'They should all be driven out', 0.95)), review('t-write', 'r-1', verdict('hitl_queue', 'blocked')));

    it('is not released by a plain approval', () => {
      assert.equal(refusal(blocked, decision('ApproveReview')).code, 'override_required');
    });

    it('is released by an override, recorded as the moderator\'s with its reason', () => {
      const out = events(blocked, decision('ApproveReview', { override: { reason: 'satire account, legal cleared it' } }));
      assert.deepEqual(typesOf(out), ['ReviewApproved', 'ResultCommitted', 'TaskCompleted', 'TaskReady']);
      assert.deepEqual(dataOf(out, 'ReviewApproved').override, { reason: 'satire account, legal cleared it', findings: [] });
      assert.equal(dataOf(out, 'ReviewApproved').reviewer_id, 'mod-1');
    });

    it('can be rejected as any other', () => {
      assert.deepEqual(typesOf(events(blocked, decision('RejectReview'))), ['ReviewRejected', 'TaskCancelled', 'TaskCancelled']);
    });
  });

  it('records no override on an approval of a result that was not blocked', () => {
    assert.equal(dataOf(events(queued, decision('ApproveReview', { override: { reason: 'just because' } })), 'ReviewApproved').override, null);
  });

  it('edits: a new revision by the moderator, disclosed as assisted, goes back to the judge', () => {
    const out = events(queued, decision('EditReview'));
    assert.deepEqual(typesOf(out), ['ReviewEdited', 'TaskResultRecorded']);
    const revision = dataOf(out, 'TaskResultRecorded');
    assert.equal(revision.result.artifact.content, 'Edited');
    assert.equal(revision.result.disclosure_level, 'assisted');
    assert.equal(revision.edited_by, 'mod-1');
    const reviewedAgain = events([...queued, ...out], review('t-write', 'r-2', verdict('auto_execute'), 'rv-r-2', later(6)));
    assert.equal(typesOf(reviewedAgain).at(-1), 'TaskReady');
  });

  it('refuses a second decision, and a decision on an artifact that is not the one under review', () => {
    const approved = run(queued, decision('ApproveReview'));
    assert.equal(refusal(approved, decision('RejectReview')).code, 'review_not_pending');
    assert.equal(refusal(queued, decision('ApproveReview', { expected_artifact_hash: 'stale-hash' })).code, 'review_changed');
  });

  it('expires an item nobody decided in time, and not before', () => {
    const expire = (now: string) => ({ type: 'ExpireReview' as const, data: { review_id: 'rv-r-1' }, now, policy });
    assert.equal(refusal(queued, expire(later(60))).code, 'review_not_expired');
    assert.deepEqual(typesOf(events(queued, expire(later(24 * 60 + 1)))), ['ReviewExpired', 'TaskFailed', 'TaskCancelled']);
  });
});

describe('work: publishing', () => {
  const publishable = run([agentCreated], plan(), start('t-write'), record('t-write', result('r-1')), review('t-write', 'r-1', verdict('auto_execute')));
  const publication = (task_id: string, key: string, now = at, attempt = 1) => ({
    type: 'RecordPublication' as const,
    data: {
      task_id,
      attempt,
      post: {
        post_id: `post-${key}`,
        asset_result_id: 'r-1',
        platform: 'twitter' as const,
        platform_post_id: `tw-${key}`,
        url: `https://sandbox.chimera.local/twitter/nova/${key}`,
        text: 'Hello from Nova #launch',
        idempotency_key: key,
        content_hash: 'ch',
        disclosure_level: 'automated' as const,
        duplicate: false,
        published_at: now,
      },
      costs: [],
    },
    now,
    policy,
  });

  it('records the post and completes the task', () => {
    const out = events(run(publishable, start('t-post')), publication('t-post', 'k-1'));
    assert.deepEqual(typesOf(out), ['PostPublished', 'TaskCompleted']);
  });

  it('keeps 15 minutes between two posts of the agent on one platform', () => {
    const second = run(publishable, start('t-post'), publication('t-post', 'k-1'), {
      ...plan(false, [spec('t-post-2', 'post_content')]),
      data: { ...(plan().data as object), campaign: null, plan_id: 'p-2', tasks: [spec('t-post-2', 'post_content')] },
    } as Parameters<typeof decideAfter>[1]);
    const early = refusal(second, start('t-post-2', 1, later(14)));
    assert.equal(early.code, 'cooldown_active');
    assert.equal(early.details?.not_before, later(15));
    assert.equal(typesOf(events(second, start('t-post-2', 1, later(15)))).at(-1), 'TaskStarted');
  });
});
