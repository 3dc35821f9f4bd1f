import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RecordedEvent } from '../adapters/eventstore/eventStore.ts';
import { McpToolClient } from '../adapters/mcp/mcpToolClient.ts';
import { EngagementPoller } from '../commands/engagement/engagementPoller.ts';
import { engagementStreamOf } from '../commands/engagement/engagementStream.ts';
import type { EngagementMeasured } from '../domain/engagement/engagementEvents.ts';
import { engagementMetrics } from '../projections/engagementMetrics.ts';
import { ProjectionRunner } from '../projections/projectionRunner.ts';
import { lastLoggedPosition } from '../test/support/lastLoggedPosition.ts';
import { startTestChimera, type TestChimera } from '../test/support/testChimera.ts';

// Seed 001 §3.1 GET /agents/{agent_id}/metrics and the agent's posts, over HTTP on the embedded
// default. The engagement poller and its projection are not started by `chimera start` yet, so
// this test runs them beside it, against the same log, database and sandbox platform.

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe('agent metrics and posts', () => {
  let chimera: TestChimera;
  let tools: McpToolClient;
  let runner: ProjectionRunner;
  before(async () => {
    const sandboxPort = await freePort();
    chimera = await startTestChimera({ CHIMERA_SANDBOX_PORT: String(sandboxPort) });
    tools = new McpToolClient({ name: 'sandbox', url: `http://127.0.0.1:${sandboxPort}/mcp` });
    runner = new ProjectionRunner(chimera.running.database, chimera.running.store, engagementMetrics);
    await runner.start();
  });
  after(async () => {
    await runner?.stop();
    await tools?.close();
    await chimera?.close();
  });

  const metrics = (agentId: string, query = '') => chimera.request('GET', `/agents/${agentId}/metrics${query}`, { as: 'viewer' });
  const posts = (agentId: string, query = '') => chimera.request('GET', `/agents/${agentId}/posts${query}`, { as: 'viewer' });

  it('answers zeros for a new agent, in the shape of seed 001, saying what is not measured', async () => {
    const created = await chimera.request('POST', '/agents', {
      body: { agent_id: 'sprig', name: 'Sprig', soul_md: '# Voice\nCheerful.', social_accounts: { twitter: { username: 'sprig' } }, budget: { daily_usd: 20, total_usd: 200 } },
    });
    assert.equal(created.status, 201);
    const r = await chimera.until(async () => {
      const m = await metrics('sprig');
      return m.status === 200 && m;
    }, 20_000, 'metrics of the new agent');
    assert.equal(r.body.agent_id, 'sprig');
    assert.equal(r.body.period, 'last_7_days');
    assert.deepEqual(r.body.metrics, { posts_created: 0, engagement_rate: 0, followers_gained: 0, spend_usd: 0, revenue_usd: 0, roi: 0, autonomy_rate: 0 });
    assert.match(r.body.notes.followers_gained, /sandbox/);
    assert.deepEqual((await posts('sprig')).body, { agent_id: 'sprig', items: [], total_count: 0, has_more: false });
  });

  it('refuses unknown agents and bad queries', async () => {
    assert.equal((await metrics('nobody')).status, 404);
    assert.equal((await posts('nobody')).status, 404);
    const period = await metrics('sprig', '?period=yesterday');
    assert.equal(period.status, 400);
    assert.equal(period.body.error.code, 'validation_failed');
    assert.equal((await metrics('sprig', '?since=2026-01-01')).status, 400);
    assert.equal((await posts('sprig', '?limit=0')).status, 400);
    assert.equal((await chimera.request('GET', '/agents/sprig/metrics', { token: null })).status, 401);
  });

  it('counts the post of a campaign, its spend and its review, and its measured engagement', async () => {
    const composed = await chimera.request('POST', '/campaign/compose', { body: { agent_id: 'sprig', natural_language_goal: 'One post on Twitter about our spring sale' } });
    assert.equal(composed.status, 201, JSON.stringify(composed.body));
    const listed = await chimera.until(async () => {
      const r = await posts('sprig');
      return r.body.total_count === 1 && r.body;
    }, 30_000, 'the post listed');
    const post = listed.items[0];
    assert.equal(post.platform, 'twitter');
    assert.equal(post.status, 'published');
    assert.match(post.text, /spring|sale/i);
    assert.equal(post.engagement, null, 'not measured yet');

    const db = chimera.running.database.db;
    const costs = await db.selectFrom('cost_events').select('cost_amount').where('agent_id', '=', 'sprig').execute();
    const m = await chimera.until(async () => {
      const r = await metrics('sprig');
      return r.body.metrics.posts_created === 1 && r.body.metrics.autonomy_rate > 0 && r.body.metrics;
    }, 20_000, 'metrics with the post and its review');
    assert.equal(m.spend_usd, Math.round(costs.reduce((sum, c) => sum + Number(c.cost_amount), 0) * 10_000) / 10_000);
    assert.equal(m.roi, 0);
    // The one review was the judge's own: published without a human.
    assert.equal(m.autonomy_rate, 1);
    assert.equal(m.engagement_rate, 0);

    // Measured once from the platform, through the engagement stream and its projection.
    const report = await new EngagementPoller(chimera.running.database, chimera.running.store, tools, { intervalMs: 60_000 }).poll();
    assert.equal(report.appended, 1, JSON.stringify(report));
    const { events } = await chimera.running.store.readStream(engagementStreamOf('sprig'));
    const measured = (events as RecordedEvent<EngagementMeasured>[])[0]!.data;
    assert.equal(measured.post_id, post.post_id);
    await runner.waitFor(await lastLoggedPosition(chimera.running.database));

    const after = await posts('sprig');
    assert.deepEqual(after.body.items[0].engagement, {
      views: measured.views,
      likes: measured.likes,
      comments: measured.comments,
      shares: measured.shares,
      engagement_rate: measured.views > 0 ? Math.round(((measured.likes + measured.comments + measured.shares) / measured.views) * 10_000) / 10_000 : 0,
      engagement_delta: measured.engagement_delta,
      measured_at: measured.measured_at,
    });
    const withEngagement = await metrics('sprig', '?period=all');
    assert.equal(withEngagement.body.period, 'all');
    assert.equal(withEngagement.body.metrics.posts_created, 1);
    assert.equal(withEngagement.body.metrics.engagement_rate, after.body.items[0].engagement.engagement_rate);
  });
});
