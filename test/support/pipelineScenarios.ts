import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Role } from '../../api/auth/role.ts';

// What the pipeline scenarios need of a running Chimera, however it runs (one process on the
// embedded default, or roles as processes over Kafka).
export type PipelineSystem = {
  request(method: string, path: string, options?: { body?: unknown; as?: Role; sub?: string }): Promise<{ status: number; body: any }>;
  until<T>(check: () => Promise<T | undefined | null | false>, timeoutMs?: number, what?: string): Promise<T>;
  close(): Promise<void>;
  // How long a scenario waits for the pipeline to get somewhere (processes over Kafka on 2
  // shared cores, beside other suites, need longer than one process).
  patienceMs?: number;
};

// Issue 5's acceptance, over HTTP only: the planner's DAG runs through workers (MCP tools on the
// sandbox platform), the judge routes every result, and moderators decide what needs a human.
// Call inside a describe(); `prefix` keeps agent ids apart between runs on one database.
export function pipelineScenarios(start: () => Promise<PipelineSystem>, prefix = ''): void {
  let chimera: PipelineSystem;
  const patience = () => chimera.patienceMs ?? 20_000;
  before(async () => {
    chimera = await start();
  });
  after(async () => {
    await chimera?.close();
  });

  const createAgent = async (agentId: string) => {
    const r = await chimera.request('POST', '/agents', {
      body: { agent_id: agentId, name: agentId, soul_md: '# Voice\nWarm and upbeat. Uses emoji.', social_accounts: { twitter: { username: agentId } }, budget: { daily_usd: 20, total_usd: 200 } },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  };
  const compose = async (agentId: string, goal: string) => {
    const r = await chimera.request('POST', '/campaign/compose', { body: { agent_id: agentId, natural_language_goal: goal } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as { campaign_id: string; task_dag: { tasks: Array<{ task_id: string; task_type: string; dependencies: string[] }>; edges: unknown[] }; requires_approval: boolean };
  };
  const tree = async (campaignId: string) => {
    const r = await chimera.request('GET', `/campaign/${campaignId}/task-tree`, { as: 'viewer' });
    return r.status === 200 ? (r.body.task_tree.tasks as Array<{ task_id: string; task_type: string; status: string; attempt: number; result_id: string | null }>) : [];
  };
  const statusOf = async (taskId: string) => (await chimera.request('GET', `/worker/task/${taskId}/status`, { as: 'viewer' })).body;
  // The agent's item in the queue (other than `except`, which the read model may still show).
  const queued = (agentId: string, filter = 'all', except?: string) =>
    chimera.until(async () => {
      const r = await chimera.request('GET', `/dashboard/hitl-queue?filter=${filter}`, { as: 'moderator' });
      return (r.body.items as Array<Record<string, any>>).find((i) => i.agent_id === agentId && i.review_id !== except);
    }, patience(), `a HITL item of ${agentId}`);
  const posts = async (agentId: string) => {
    const r = await chimera.request('GET', `/mcp/resources/${agentId}/${encodeURIComponent(`mcp://memory/${agentId}/recent`)}`, { as: 'viewer' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.content.recent_posts as Array<{ text: string }>;
  };
  const postTask = (c: Awaited<ReturnType<typeof compose>>) => c.task_dag.tasks.find((t) => t.task_type === 'post_content')!.task_id;

  it('executes a composed campaign: confident results are posted, each once', async () => {
    await createAgent(prefix + 'linen');
    const c = await compose(prefix + 'linen', 'Promote our summer linen collection on Twitter, 2 posts about breathable fabrics');
    assert.equal(c.requires_approval, false);
    assert.deepEqual(c.task_dag.tasks.map((t) => t.task_type).sort(), ['generate_text', 'generate_text', 'post_content', 'post_content']);
    const done = await chimera.until(async () => {
      const tasks = await tree(c.campaign_id);
      return tasks.length === 4 && tasks.every((t) => t.status === 'completed') && tasks;
    }, patience(), 'every task completed');
    assert.ok(done.every((t) => t.attempt === 1));
    const published = await posts(prefix + 'linen');
    assert.equal(published.length, 2);
    assert.equal(new Set(published.map((p) => p.text)).size, 2);
  });

  it('sends a result about a sensitive topic to moderators, and posts it once one approves', async () => {
    await createAgent(prefix + 'civic');
    const c = await compose(prefix + 'civic', 'One post on Twitter about the upcoming election');
    const item = await queued(prefix + 'civic', 'sensitive');
    assert.equal(item.hitl_category, 'sensitive');
    assert.match(item.artifact.content, /election/i);
    assert.equal((await statusOf(postTask(c))).status, 'pending');

    const path = `/dashboard/hitl-queue/${item.review_id}/approve`;
    assert.equal((await chimera.request('POST', path, { as: 'operator', body: { reviewer_id: 'operator-1' } })).status, 403);
    assert.equal((await chimera.request('POST', path, { as: 'moderator', body: { reviewer_id: 'someone-else' } })).status, 403);
    const approved = await chimera.request('POST', path, { as: 'moderator', body: { reviewer_id: 'moderator-1', artifact_hash: item.artifact_hash } });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.execution_released, true);
    await chimera.until(async () => (await statusOf(postTask(c))).status === 'completed', patience(), 'the post published');
    assert.deepEqual((await posts(prefix + 'civic')).map((p) => p.text), [item.artifact.content]);
    const again = await chimera.request('POST', path, { as: 'moderator', body: { reviewer_id: 'moderator-1' } });
    assert.equal(again.status, 409);
  });

  it('ends the workflow of a rejected result', async () => {
    await createAgent(prefix + 'vote');
    const c = await compose(prefix + 'vote', 'One post on Twitter about election day');
    const item = await queued(prefix + 'vote');
    const rejected = await chimera.request('POST', `/dashboard/hitl-queue/${item.review_id}/reject`, { as: 'moderator', body: { reviewer_id: 'moderator-1', reason: 'not our topic' } });
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    assert.equal(rejected.body.workflow_terminated, true);
    const tasks = await chimera.until(async () => {
      const all = await tree(c.campaign_id);
      return all.every((t) => t.status === 'cancelled') && all;
    }, patience(), 'every task cancelled');
    assert.equal(tasks.length, 2);
    assert.deepEqual(await posts(prefix + 'vote'), []);
  });

  it('validates an edited result again before it is posted', async () => {
    await createAgent(prefix + 'ballot');
    const c = await compose(prefix + 'ballot', 'One post on Twitter about the election results');
    const item = await queued(prefix + 'ballot');
    const text = 'Whatever the election brings, be kind to each other today.';
    const edited = await chimera.request('POST', `/dashboard/hitl-queue/${item.review_id}/edit`, {
      as: 'moderator',
      body: { reviewer_id: 'moderator-1', edits: { artifact: { type: 'text', content: text }, notes: 'softer' } },
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.requires_revalidation, true);
    // Still about an election: the judge sends the new revision to moderators again.
    const again = await queued(prefix + 'ballot', 'all', item.review_id);
    assert.equal(again.review_id, edited.body.new_review_id);
    assert.equal(again.artifact.content, text);
    assert.notEqual(again.review_id, item.review_id);
    const approved = await chimera.request('POST', `/dashboard/hitl-queue/${again.review_id}/approve`, { as: 'moderator', body: { reviewer_id: 'moderator-1' } });
    assert.equal(approved.status, 200);
    await chimera.until(async () => (await statusOf(postTask(c))).status === 'completed', patience(), 'the edited post published');
    assert.deepEqual((await posts(prefix + 'ballot')).map((p) => p.text), [text]);
  });

  it('invalidates a result whose campaign was paused after its snapshot, and re-plans it instead of posting', async () => {
    await createAgent(prefix + 'pause');
    const c = await compose(prefix + 'pause', 'One post on Twitter about the election debate');
    const item = await queued(prefix + 'pause');
    const state = (await chimera.request('GET', `/globalstate/${prefix}pause`, { as: 'viewer' })).body;
    const paused = await chimera.request('POST', '/globalstate/update', {
      body: { agent_id: prefix + 'pause', input_state_version: state.state_version, updates: { goals: [], campaigns: [{ action: 'update', campaign: { campaign_id: c.campaign_id, status: 'paused' } }] } },
    });
    assert.equal(paused.status, 200, JSON.stringify(paused.body));
    const approved = await chimera.request('POST', `/dashboard/hitl-queue/${item.review_id}/approve`, { as: 'moderator', body: { reviewer_id: 'moderator-1' } });
    assert.equal(approved.status, 200);
    assert.equal(approved.body.execution_released, false);
    const writeTask = c.task_dag.tasks.find((t) => t.task_type === 'generate_text')!.task_id;
    const invalidated = await chimera.until(async () => {
      const s = await statusOf(writeTask);
      return s.pipeline_status === 'pending' && s;
    }, patience(), 'the result invalidated');
    assert.equal(invalidated.error.code, 'E1004');
    assert.equal((await statusOf(postTask(c))).status, 'pending');
    assert.deepEqual(await posts(prefix + 'pause'), []);

    // Resumed, the task runs again from a fresh snapshot: a new result, a new review.
    const now = (await chimera.request('GET', `/globalstate/${prefix}pause`, { as: 'viewer' })).body;
    const resumed = await chimera.request('POST', '/globalstate/update', {
      body: { agent_id: prefix + 'pause', input_state_version: now.state_version, updates: { goals: [], campaigns: [{ action: 'update', campaign: { campaign_id: c.campaign_id, status: 'active' } }] } },
    });
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    const replanned = await queued(prefix + 'pause', 'all', item.review_id);
    assert.notEqual(replanned.review_id, item.review_id);
    await chimera.until(async () => (await statusOf(writeTask)).attempt === 2, patience(), 'a second attempt');
  });
}
