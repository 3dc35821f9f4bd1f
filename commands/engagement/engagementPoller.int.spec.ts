import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import type { Database } from '../../adapters/database/database.ts';
import type { RecordedEvent } from '../../adapters/eventstore/eventStore.ts';
import { PostgresEventStore } from '../../adapters/eventstore/postgresEventStore.ts';
import { McpToolClient } from '../../adapters/mcp/mcpToolClient.ts';
import { createSandboxMcpServer } from '../../adapters/mcp/sandboxMcpServer.ts';
import { SandboxPlatform } from '../../adapters/mcp/sandboxPlatform.ts';
import { serveMcp, type ServedMcp } from '../../adapters/mcp/serveMcp.ts';
import type { ModelPort, Platform } from '../../adapters/models/modelPort.ts';
import type { EngagementMeasured } from '../../domain/engagement/engagementEvents.ts';
import type { AgentStreamCommand } from '../../domain/agentStream.ts';
import { policy, result, spec, verdict } from '../../domain/work/workFixtures.ts';
import { engagementMetrics } from '../../projections/engagementMetrics.ts';
import { ProjectionRunner } from '../../projections/projectionRunner.ts';
import { workReadModels } from '../../projections/workReadModels.ts';
import { lastLoggedPosition } from '../../test/support/lastLoggedPosition.ts';
import { describeOn, testDatabaseTargets } from '../../test/support/testDatabases.ts';
import { agentStreamOf } from '../agentStream.ts';
import { handleAgentCommand } from '../handleAgentCommand.ts';
import { EngagementPoller, type EngagementPollerOptions } from './engagementPoller.ts';
import { engagementStreamOf } from './engagementStream.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-10T10:00:00Z');
const actor = { sub: 'op', role: 'operator' };

// The sandbox serves engagement without writing anything: the writer is never called.
const noWriter: ModelPort = {
  provider: 'none',
  decompose: () => Promise.reject(new Error('not used')),
  write: () => Promise.reject(new Error('not used')),
  score: () => Promise.reject(new Error('not used')),
};

const interactions = (m: { likes: number; comments: number; shares: number }) => m.likes + m.comments + m.shares;

for (const target of testDatabaseTargets) {
  describeOn(target, 'engagement poller against the sandbox platform over MCP', () => {
    // One clock for the platform, the agents' commands and the poller.
    let t = T0 - 8 * DAY;
    const clock = () => new Date(t);
    let database: Database;
    let store: PostgresEventStore;
    let platform: SandboxPlatform;
    let served: ServedMcp;
    let tools: McpToolClient;
    let runners: ProjectionRunner[];
    const posts: Record<string, { post_id: string; platform_post_id: string; agent: string }> = {};

    const send = async (agentId: string, command: Omit<AgentStreamCommand, 'now' | 'policy'>) => {
      const r = await handleAgentCommand(store, agentId, { ...command, now: clock().toISOString(), policy } as AgentStreamCommand, { actor, correlationId: 'spec' });
      if (!r.ok) assert.fail(`${command.type}: ${r.error.code} ${r.error.message}`);
    };
    // Writes, auto-approves and publishes one post the way a worker would: on the platform,
    // then PostPublished in the agent's stream (which the posts read model is built from).
    // A ghost is recorded as published but the platform never heard of it.
    const publish = async (name: string, agentId: string, on: Platform, text: string, ghost = false) => {
      const [writeId, postTaskId, resultId, campaignId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await send(agentId, {
        type: 'PlanCampaign',
        data: {
          campaign: { campaign_id: campaignId, name },
          campaign_id: campaignId,
          plan_id: randomUUID(),
          goal: text,
          tasks: [spec(writeId, 'generate_text', [], on), spec(postTaskId, 'post_content', [writeId], on)],
          edges: [],
          estimated_cost: 0.02,
          estimated_duration_s: 60,
          requires_approval: false,
          model_call: null,
        },
      });
      await send(agentId, { type: 'StartTask', data: { task_id: writeId, attempt: 1, worker_id: 'w-1' } });
      await send(agentId, { type: 'RecordResult', data: { task_id: writeId, attempt: 1, result: result(resultId, text), costs: [] } });
      await send(agentId, {
        type: 'ReviewResult',
        data: { task_id: writeId, result_id: resultId, review_id: randomUUID(), commit_id: randomUUID(), verdict: verdict('auto_execute'), artifact_hash: 'a'.repeat(64), commit_hash: 'c'.repeat(64), model_call: null },
      });
      await send(agentId, { type: 'StartTask', data: { task_id: postTaskId, attempt: 1, worker_id: 'w-1' } });
      const key = `key-${postTaskId}`;
      const onPlatform = ghost
        ? { platform_post_id: '424242', url: 'https://sandbox.chimera.local/ghost', published_at: clock().toISOString() }
        : (() => {
            const out = platform.post({ agentId, platform: on, text, disclosureLevel: 'automated', idempotencyKey: key });
            assert.ok(out.ok);
            return out.post;
          })();
      const postId = randomUUID();
      await send(agentId, {
        type: 'RecordPublication',
        data: {
          task_id: postTaskId,
          attempt: 1,
          post: {
            post_id: postId,
            asset_result_id: resultId,
            platform: on,
            platform_post_id: onPlatform.platform_post_id,
            url: onPlatform.url,
            text,
            idempotency_key: key,
            content_hash: 'e'.repeat(64),
            disclosure_level: 'automated',
            duplicate: false,
            published_at: onPlatform.published_at,
          },
          costs: [],
        },
      });
      posts[name] = { post_id: postId, platform_post_id: onPlatform.platform_post_id, agent: agentId };
    };

    const caughtUp = async () => {
      const end = await lastLoggedPosition(database);
      await Promise.all(runners.map((r) => r.waitFor(end)));
    };
    const poller = (options: Partial<EngagementPollerOptions> = {}, client = tools) =>
      new EngagementPoller(database, store, client, { intervalMs: 60_000, now: clock, ...options });
    const measurements = async (agentId: string): Promise<RecordedEvent<EngagementMeasured>[]> =>
      (await store.readStream(engagementStreamOf(agentId))).events as RecordedEvent<EngagementMeasured>[];
    const versionOf = async (stream: string) => (await store.readStream(stream, { maxCount: 1 })).currentVersion;
    const metricRows = () => database.db.selectFrom('engagement_metrics').selectAll().orderBy('measured_at').orderBy('post_id').execute();
    const platformCounters = (name: string) => {
      const read = platform.engagement(posts[name]!.platform_post_id);
      assert.ok(read.ok);
      const { views, likes, comments, shares } = read.engagement;
      return { views, likes, comments, shares };
    };

    before(async () => {
      database = await target.open();
      store = new PostgresEventStore(database.sql, { pollIntervalMs: 10 });
      platform = SandboxPlatform.open({ store: 'memory', seed: 'engagement-spec', now: clock });
      served = await serveMcp(() => createSandboxMcpServer(platform, noWriter)).listen(0, '127.0.0.1');
      tools = new McpToolClient({ name: 'sandbox', url: served.url });
      runners = [new ProjectionRunner(database, store, workReadModels), new ProjectionRunner(database, store, engagementMetrics)];
      for (const runner of runners) await runner.start();

      const agent = (agent_id: string) => ({ type: 'CreateAgent', data: { agent_id, name: agent_id, persona_name: agent_id, soul_md: '#', policy_version: 'v1', social_accounts: {}, budget: { daily_usd: 5, total_usd: 50 } } }) as const;
      await send('nova', agent('nova'));
      await send('orion', agent('orion'));
      await publish('old', 'nova', 'twitter', 'From last week');
      t = T0;
      await publish('a', 'nova', 'twitter', 'Spring sale starts today');
      t += HOUR;
      await publish('b', 'nova', 'instagram', 'Spring sale, day two');
      t += 5 * 60_000;
      await publish('c', 'orion', 'threads', 'Orion says hello');
      await publish('ghost', 'orion', 'tiktok', 'Never reached the platform', true);
      await caughtUp();
      assert.equal((await database.db.selectFrom('posts').select('post_id').execute()).length, 5);
    });
    after(async () => {
      for (const runner of runners ?? []) await runner.stop();
      await tools?.close();
      await served?.close();
      platform?.close();
      await store?.close();
      await database?.close();
    });

    it('measures the posts of the last 7 days into engagement-<agent>, leaving the agent streams alone', async () => {
      t += 2 * HOUR;
      const agentVersions = [await versionOf(agentStreamOf('nova')), await versionOf(agentStreamOf('orion'))];
      const report = await poller().poll();
      assert.equal(report.posts, 4, 'the week-old post is out of the window');
      assert.equal(report.appended, 3);
      assert.equal(report.interrupted, null);
      assert.deepEqual(report.failures.map((f) => [f.post_id, f.code]), [[posts.ghost!.post_id, 'resource_not_found']]);

      const nova = await measurements('nova');
      assert.deepEqual(nova.map((e) => e.type), ['EngagementMeasured', 'EngagementMeasured']);
      assert.deepEqual(nova.map((e) => e.data.post_id).sort(), [posts.a!.post_id, posts.b!.post_id].sort());
      for (const event of [...nova, ...(await measurements('orion'))]) {
        const name = Object.keys(posts).find((n) => posts[n]!.post_id === event.data.post_id)!;
        const counters = platformCounters(name);
        assert.ok(counters.views > 0);
        assert.deepEqual({ views: event.data.views, likes: event.data.likes, comments: event.data.comments, shares: event.data.shares }, counters);
        assert.equal(event.data.engagement_delta, interactions(counters), 'the first measurement counts everything');
        assert.equal(event.data.measured_at, clock().toISOString());
        assert.equal(event.data.platform_post_id, posts[name]!.platform_post_id);
      }
      assert.deepEqual([await versionOf(agentStreamOf('nova')), await versionOf(agentStreamOf('orion'))], agentVersions);

      await caughtUp();
      const rows = await metricRows();
      assert.equal(rows.length, 3);
      const rowA = rows.find((r) => r.post_id === posts.a!.post_id)!;
      const eventA = nova.find((e) => e.data.post_id === posts.a!.post_id)!.data;
      assert.deepEqual(
        { ...rowA, measured_at: new Date(rowA.measured_at).toISOString() },
        { metric_id: eventA.metric_id, post_id: eventA.post_id, agent_id: 'nova', platform: 'twitter', views: eventA.views, likes: eventA.likes, comments: eventA.comments, shares: eventA.shares, engagement_delta: eventA.engagement_delta, measured_at: eventA.measured_at },
      );
    });

    it('appends nothing when nothing changed', async () => {
      const before = [await versionOf(engagementStreamOf('nova')), await versionOf(engagementStreamOf('orion'))];
      const report = await poller().poll();
      assert.equal(report.appended, 0);
      assert.equal(report.unchanged, 3);
      assert.deepEqual([await versionOf(engagementStreamOf('nova')), await versionOf(engagementStreamOf('orion'))], before);
    });

    it('records the change since the previous measurement of the post', async () => {
      const previous = (await measurements('nova')).find((e) => e.data.post_id === posts.a!.post_id)!.data;
      t += 3 * HOUR;
      const report = await poller().poll();
      assert.equal(report.appended, 3);
      const latest = (await measurements('nova')).filter((e) => e.data.post_id === posts.a!.post_id).at(-1)!.data;
      assert.equal(latest.measured_at, clock().toISOString());
      assert.ok(latest.views > previous.views);
      assert.equal(latest.engagement_delta, interactions(platformCounters('a')) - interactions(previous));
      await caughtUp();
      assert.equal((await metricRows()).length, 6);
    });

    it('measures never-measured posts first, then the longest unmeasured, a bounded number per round', async () => {
      const limited = poller({ postsPerRound: 2, retryFailedMs: DAY });
      t += 6 * HOUR;
      const orionBefore = await versionOf(engagementStreamOf('orion'));
      const first = await limited.poll();
      // The ghost was never measured; a, b and c last were at the same time, a published first.
      assert.equal(first.posts, 2);
      assert.deepEqual(first.failures.map((f) => f.post_id), [posts.ghost!.post_id]);
      assert.equal(first.appended, 1);
      assert.equal((await measurements('nova')).at(-1)!.data.post_id, posts.a!.post_id);
      assert.equal(await versionOf(engagementStreamOf('orion')), orionBefore, "orion's c waits for the next round");
      await caughtUp();

      t += 2 * HOUR;
      const second = await limited.poll();
      // The ghost rests after its failure; b and c were measured longest ago.
      assert.equal(second.posts, 2);
      assert.deepEqual(second.failures, []);
      assert.equal(second.appended, 2);
      for (const [agent, name] of [['nova', 'b'], ['orion', 'c']] as const) {
        const latest = (await measurements(agent)).at(-1)!.data;
        assert.equal(latest.post_id, posts[name]!.post_id);
        assert.equal(latest.measured_at, clock().toISOString());
      }
      await caughtUp();
    });

    it('records a change once when two pollers race for it', async () => {
      const [one, two] = [poller(), poller()];
      await Promise.all([one.poll(), two.poll()]); // both know the streams now
      t += 4 * HOUR;
      const before = [(await measurements('nova')).length, (await measurements('orion')).length];
      const [r1, r2] = await Promise.all([one.poll(), two.poll()]);
      assert.equal(r1.appended + r2.appended, 3);
      const after = [(await measurements('nova')).length, (await measurements('orion')).length];
      assert.deepEqual(after, [before[0]! + 2, before[1]! + 1]);
      const latestPerPost = new Map((await measurements('nova')).map((e) => [e.data.post_id, e.data]));
      assert.ok([...latestPerPost.values()].every((m) => m.measured_at === clock().toISOString()));
    });

    it('stops the round, appending nothing, when the MCP server cannot be reached', async () => {
      const gone = await serveMcp(() => createSandboxMcpServer(platform, noWriter)).listen(0, '127.0.0.1');
      await gone.close();
      const lonely = new McpToolClient({ name: 'gone', url: gone.url });
      try {
        t += HOUR;
        const before = [await versionOf(engagementStreamOf('nova')), await versionOf(engagementStreamOf('orion'))];
        const report = await poller({}, lonely).poll();
        assert.equal(report.interrupted?.code, 'E1002');
        assert.equal(report.appended, 0);
        assert.deepEqual([await versionOf(engagementStreamOf('nova')), await versionOf(engagementStreamOf('orion'))], before);
      } finally {
        await lonely.close();
      }
    });

    it('polls every intervalMs once started, and not after stop', async () => {
      const timed = poller({ intervalMs: 30 });
      const before = await versionOf(engagementStreamOf('nova'));
      t += 2 * HOUR;
      timed.start();
      const deadline = Date.now() + 10_000;
      while ((await versionOf(engagementStreamOf('nova'))) === before) {
        assert.ok(Date.now() < deadline, 'no round within 10 s');
        await new Promise((r) => setTimeout(r, 20));
      }
      await timed.stop();
      const stopped = await versionOf(engagementStreamOf('nova'));
      t += 2 * HOUR;
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(await versionOf(engagementStreamOf('nova')), stopped);
    });
  });
}
