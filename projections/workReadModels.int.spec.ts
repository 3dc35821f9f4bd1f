import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { Database } from '../adapters/database/database.ts';
import type { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { handleAgentCommand } from '../commands/handleAgentCommand.ts';
import type { AgentStreamCommand } from '../domain/agentStream.ts';
import { policy, result, spec, verdict } from '../domain/work/workFixtures.ts';
import { lastLoggedPosition } from '../test/support/lastLoggedPosition.ts';
import { suiteStore } from '../test/support/suiteStore.ts';
import { describeOn, testDatabaseTargets } from '../test/support/testDatabases.ts';
import { ProjectionRunner, rebuildProjection } from './projectionRunner.ts';
import { workReadModels } from './workReadModels.ts';

const actor = { sub: 'op', role: 'operator' };
let clock = Date.parse('2026-11-01T00:00:00Z');
const now = () => new Date((clock += 60_000)).toISOString();

// Three content pieces through every route: auto-executed and posted, approved by a
// moderator, rejected, edited; with costs and a failed attempt on the way.
async function runScenario(store: PostgresEventStore, agentId: string) {
  const send = async (command: Omit<AgentStreamCommand, 'now' | 'policy'>) => {
    const r = await handleAgentCommand(store, agentId, { ...command, now: now(), policy } as AgentStreamCommand, { actor, correlationId: 'spec' });
    if (!r.ok) assert.fail(`${command.type}: ${r.error.code} ${r.error.message}`);
    return r;
  };
  const ids = { write: [randomUUID(), randomUUID(), randomUUID(), randomUUID()], post: randomUUID() };
  await send({ type: 'CreateAgent', data: { agent_id: agentId, name: 'Nova', persona_name: 'Nova', soul_md: '#', policy_version: 'v1', social_accounts: {}, budget: { daily_usd: 5, total_usd: 50 } } });
  await send({
    type: 'PlanCampaign',
    data: {
      campaign: { campaign_id: `${agentId}-c`, name: 'Launch' },
      campaign_id: `${agentId}-c`,
      plan_id: `${agentId}-p`,
      goal: 'launch',
      tasks: [...ids.write.map((id) => spec(id, 'generate_text')), spec(ids.post, 'post_content', [ids.write[0]!])],
      edges: [],
      estimated_cost: 0.05,
      estimated_duration_s: 300,
      requires_approval: false,
      model_call: null,
    },
  });
  const resultIds = ids.write.map(() => randomUUID());
  for (const [i, taskId] of ids.write.entries()) {
    await send({ type: 'StartTask', data: { task_id: taskId, attempt: 1, worker_id: 'w-1' } });
    if (i === 3) {
      await send({ type: 'FailTaskAttempt', data: { task_id: taskId, attempt: 1, error: { code: 'E1002', message: 'MCP server unavailable' }, retryable: true } });
      clock += 10_000;
      await send({ type: 'StartTask', data: { task_id: taskId, attempt: 2, worker_id: 'w-2' } });
    }
    const r = { ...result(resultIds[i]!, `Post number ${i}`), result_id: resultIds[i]! };
    await send({ type: 'RecordResult', data: { task_id: taskId, attempt: i === 3 ? 2 : 1, result: r, costs: [{ cost_id: randomUUID(), category: 'generation', tool_name: 'generate_text', tier: null, amount: 0.01, currency: 'USD', estimate: 0.01 }] } });
  }
  const reviewIds = resultIds.map(() => randomUUID());
  const review = (i: number, action: 'auto_execute' | 'hitl_queue') =>
    send({
      type: 'ReviewResult',
      data: { task_id: ids.write[i]!, result_id: resultIds[i]!, review_id: reviewIds[i]!, commit_id: randomUUID(), verdict: verdict(action, action === 'hitl_queue' ? 'sensitive' : null), artifact_hash: 'a'.repeat(64), commit_hash: 'c'.repeat(64), model_call: null },
    });
  await review(0, 'auto_execute');
  for (const i of [1, 2, 3]) await review(i, 'hitl_queue');
  const human = { reviewer_id: 'mod-1', notes: 'ok', expected_artifact_hash: null };
  await send({ type: 'ApproveReview', data: { ...human, review_id: reviewIds[1]!, approval_id: randomUUID(), commit_id: randomUUID(), override: null } });
  await send({ type: 'RejectReview', data: { ...human, review_id: reviewIds[2]!, rejection_id: randomUUID() } });
  const edited = randomUUID();
  await send({ type: 'EditReview', data: { ...human, review_id: reviewIds[3]!, edit_id: randomUUID(), new_result_id: edited, artifact: { type: 'text', content: 'Edited post' } } });
  await send({ type: 'StartTask', data: { task_id: ids.post, attempt: 1, worker_id: 'w-1' } });
  await send({
    type: 'RecordPublication',
    data: {
      task_id: ids.post,
      attempt: 1,
      post: { post_id: randomUUID(), asset_result_id: resultIds[0]!, platform: 'twitter', platform_post_id: `tw-${agentId}`, url: 'https://sandbox.chimera.local/x', text: 'Post number 0', idempotency_key: `k-${agentId}`, content_hash: 'e'.repeat(64), disclosure_level: 'automated', duplicate: false, published_at: now() },
      costs: [],
    },
  });
  return { ids, resultIds, reviewIds, edited };
}

async function snapshot(database: Database) {
  const rows: Record<string, unknown[]> = {};
  for (const [table, key] of [
    ['tasks', 'task_id'],
    ['assets', 'asset_id'],
    ['judge_reviews', 'review_id'],
    ['hitl_approvals', 'approval_id'],
    ['state_commits', 'commit_id'],
    ['posts', 'post_id'],
    ['cost_events', 'event_id'],
  ] as const) {
    rows[table] = await database.db.selectFrom(table).selectAll().orderBy(key).execute();
  }
  return JSON.parse(JSON.stringify(rows)) as Record<string, Array<Record<string, any>>>;
}

for (const target of testDatabaseTargets) {
  describeOn(target, 'work read models', () => {
    const log = suiteStore(target, { pollIntervalMs: 10 });

    it('show every route a result takes, and a rebuild gives the same rows', async () => {
      const s = await runScenario(log.store, 'nova');
      await runScenario(log.store, 'orion');
      const runner = new ProjectionRunner(log.database, log.store, workReadModels, { batchSize: 7 });
      await runner.start();
      await runner.waitFor(await lastLoggedPosition(log.database));
      await runner.stop();
      const live = await snapshot(log.database);

      const task = (id: string) => live.tasks!.find((t) => t.task_id === id)!;
      assert.equal(live.tasks!.length, 10);
      assert.deepEqual([0, 1, 2, 3].map((i) => task(s.ids.write[i]!).status), ['completed', 'completed', 'cancelled', 'review']);
      assert.equal(task(s.ids.post).status, 'completed');
      assert.equal(task(s.ids.write[3]!).attempt, 2);
      assert.equal(task(s.ids.write[3]!).result_id, s.edited);
      const nova = (rows: Array<Record<string, any>>) => rows.filter((r) => r.agent_id === 'nova');
      assert.equal(nova(live.assets!).length, 5); // four results and the edit
      assert.equal(nova(live.assets!).find((a) => a.asset_id === s.edited)!.disclosure_level, 'assisted');
      assert.deepEqual(
        s.reviewIds.map((id) => live.judge_reviews!.find((r) => r.review_id === id)!.status),
        ['auto_executed', 'approved', 'rejected', 'edited'],
      );
      assert.deepEqual(live.hitl_approvals!.filter((a) => s.reviewIds.includes(a.review_id)).map((a) => a.decision).sort(), ['approved', 'edited', 'rejected']);
      assert.deepEqual(nova(live.state_commits!).map((c) => c.committed_by).sort(), ['human_moderator', 'judge']);
      const commit = nova(live.state_commits!).find((c) => c.committed_by === 'judge')!;
      assert.ok(commit.output_state_version > commit.input_state_version);
      assert.equal(nova(live.posts!).length, 1);
      assert.equal(nova(live.posts!)[0]!.status, 'published');
      assert.equal(nova(live.cost_events!).length, 4);

      await rebuildProjection(log.database, log.store, workReadModels, { batchSize: 100 });
      assert.deepEqual(await snapshot(log.database), live);
    });
  });
}
