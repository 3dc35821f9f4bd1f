import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestChimera, type TestChimera } from '../test/support/testChimera.ts';

// Seed 000 §2.7 over HTTP on the embedded default: the resources come from the sandbox
// platform through the API's MCP client, and the post a campaign published shows in memory.

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe('MCP resources of an agent', () => {
  let chimera: TestChimera;
  before(async () => {
    chimera = await startTestChimera();
  });
  after(async () => {
    await chimera?.close();
  });

  const createAgent = async (agentId: string, social_accounts: Record<string, { username: string }>) => {
    const r = await chimera.request('POST', '/agents', {
      body: { agent_id: agentId, name: agentId, soul_md: '# Voice\nWarm and upbeat.', social_accounts, budget: { daily_usd: 20, total_usd: 200 } },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await chimera.until(async () => (await chimera.request('GET', `/agents/${agentId}`, { as: 'viewer' })).status === 200, 20_000, `agent ${agentId} projected`);
  };
  const list = (agentId: string) => chimera.request('GET', `/mcp/resources/${agentId}`, { as: 'viewer' });
  const fetchResource = (agentId: string, uri: string) => chimera.request('GET', `/mcp/resources/${agentId}/${encodeURIComponent(uri)}`, { as: 'viewer' });

  it('lists the mentions and trends of each platform the agent is on, and its memory', async () => {
    await createAgent('bloom', { twitter: { username: 'bloom' }, instagram: { username: 'bloom.ig' } });
    const r = await list('bloom');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.agent_id, 'bloom');
    assert.deepEqual(
      r.body.resources.map((x: any) => [x.resource_type, x.resource_uri]),
      [
        ['mentions', 'mcp://twitter/mentions/bloom'],
        ['mentions', 'mcp://instagram/mentions/bloom'],
        ['trends', 'mcp://twitter/trends'],
        ['trends', 'mcp://instagram/trends'],
        ['memory', 'mcp://memory/bloom/recent'],
      ],
    );
    for (const resource of r.body.resources) {
      assert.equal(resource.mcp_server, 'sandbox');
      assert.equal(resource.available, true);
    }
    const trends = r.body.resources.find((x: any) => x.resource_type === 'trends');
    assert.match(trends.last_updated, isoTime);
    assert.equal(r.body.resources.find((x: any) => x.resource_type === 'memory').last_updated, null, 'nothing posted yet');
  });

  it('lists all four platforms for an agent without social accounts', async () => {
    await createAgent('quiet', {});
    const r = await list('quiet');
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.resources.filter((x: any) => x.resource_type === 'mentions').map((x: any) => x.resource_uri),
      ['mcp://twitter/mentions/quiet', 'mcp://instagram/mentions/quiet', 'mcp://threads/mentions/quiet', 'mcp://tiktok/mentions/quiet'],
    );
  });

  it('answers 404 for an unknown agent and 401 without a token', async () => {
    const unknown = await list('nobody');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
    assert.equal((await fetchResource('nobody', 'mcp://memory/nobody/recent')).status, 404);
    assert.equal((await chimera.request('GET', '/mcp/resources/bloom', { token: null })).status, 401);
  });

  it("shows the agent's published post in its memory, however the URI is given", async () => {
    const composed = await chimera.request('POST', '/campaign/compose', { body: { agent_id: 'bloom', natural_language_goal: 'One post on Twitter about our spring sale' } });
    assert.equal(composed.status, 201, JSON.stringify(composed.body));
    const postTask = composed.body.task_dag.tasks.find((t: any) => t.task_type === 'post_content').task_id;
    await chimera.until(async () => (await chimera.request('GET', `/worker/task/${postTask}/status`, { as: 'viewer' })).body.status === 'completed', 30_000, 'the post published');

    const memory = await fetchResource('bloom', 'mcp://memory/bloom/recent');
    assert.equal(memory.status, 200, JSON.stringify(memory.body));
    assert.equal(memory.body.resource_uri, 'mcp://memory/bloom/recent');
    assert.equal(memory.body.resource_type, 'memory');
    assert.equal(memory.body.mcp_server, 'sandbox');
    assert.match(memory.body.fetched_at, isoTime);
    const recent = memory.body.content.recent_posts as Array<{ text: string; platform: string; platform_post_id: string; published_at: string }>;
    assert.equal(recent.length, 1);
    assert.equal(recent[0]!.platform, 'twitter');
    assert.match(recent[0]!.text, /spring|sale/i);

    const byQuery = await chimera.request('GET', `/mcp/resources/bloom?resource_uri=${encodeURIComponent('mcp://memory/bloom/recent')}`, { as: 'viewer' });
    assert.equal(byQuery.status, 200);
    assert.deepEqual(byQuery.body.content.recent_posts, recent);
    const spelledOut = await chimera.request('GET', '/mcp/resources/bloom/mcp://memory/bloom/recent', { as: 'viewer' });
    assert.equal(spelledOut.status, 200);
    assert.deepEqual(spelledOut.body.content.recent_posts, recent);

    const listed = await list('bloom');
    assert.equal(listed.body.resources.find((x: any) => x.resource_type === 'memory').last_updated, new Date(recent[0]!.published_at).toISOString());

    // Beyond the seed: the engagement of the agent's own post.
    const engagement = await fetchResource('bloom', `mcp://twitter/engagement/${recent[0]!.platform_post_id}`);
    assert.equal(engagement.status, 200, JSON.stringify(engagement.body));
    assert.equal(engagement.body.resource_type, 'engagement');
    assert.equal(engagement.body.content.platform_post_id, recent[0]!.platform_post_id);
    assert.equal(typeof engagement.body.content.views, 'number');
    assert.equal((await fetchResource('quiet', `mcp://twitter/engagement/${recent[0]!.platform_post_id}`)).status, 403);
  });

  it('fetches mentions and trends, and refuses what is not the agent’s or not a resource', async () => {
    const mentions = await fetchResource('bloom', 'mcp://twitter/mentions/bloom?limit=5');
    assert.equal(mentions.status, 200, JSON.stringify(mentions.body));
    assert.equal(mentions.body.resource_type, 'mentions');
    assert.equal(mentions.body.content.agent_id, 'bloom');
    assert.ok(Array.isArray(mentions.body.content.mentions));
    const trends = await fetchResource('bloom', 'mcp://tiktok/trends');
    assert.equal(trends.status, 200);
    assert.equal(trends.body.resource_type, 'trends');
    assert.ok(trends.body.content.total_trends > 0);

    const others = await fetchResource('bloom', 'mcp://twitter/mentions/quiet');
    assert.equal(others.status, 403);
    assert.equal(others.body.error.code, 'forbidden');
    assert.equal((await fetchResource('bloom', 'mcp://memory/quiet/recent')).status, 403);
    assert.equal((await fetchResource('bloom', 'mcp://memory/bloom/../quiet/recent')).status, 403, 'no way round by dot segments');
    for (const unknown of ['mcp://twitter/followers/bloom', 'mcp://myspace/trends', 'mcp://twitter/engagement/12345']) {
      const r = await fetchResource('bloom', unknown);
      assert.equal(r.status, 404, unknown);
      assert.equal(r.body.error.code, 'not_found');
    }
    const notMcp = await fetchResource('bloom', 'https://example.com/x');
    assert.equal(notMcp.status, 400);
    assert.equal(notMcp.body.error.code, 'validation_failed');
    const differ = await chimera.request('GET', `/mcp/resources/bloom/${encodeURIComponent('mcp://twitter/trends')}?resource_uri=${encodeURIComponent('mcp://tiktok/trends')}`);
    assert.equal(differ.status, 400);
  });
});

describe('MCP resources when the MCP server cannot be reached', () => {
  let chimera: TestChimera;
  before(async () => {
    chimera = await startTestChimera({ CHIMERA_MCP_URL: `http://127.0.0.1:${await freePort()}/mcp` });
  });
  after(async () => {
    await chimera?.close();
  });

  it('lists the resources as unavailable and answers a fetch with 503 E1002', async () => {
    const created = await chimera.request('POST', '/agents', { body: { agent_id: 'alone', name: 'alone', soul_md: '#', social_accounts: { twitter: { username: 'alone' } }, budget: { daily_usd: 1, total_usd: 10 } } });
    assert.equal(created.status, 201);
    await chimera.until(async () => (await chimera.request('GET', '/agents/alone')).status === 200, 20_000, 'agent projected');

    const listed = await chimera.request('GET', '/mcp/resources/alone', { as: 'viewer' });
    assert.equal(listed.status, 200);
    assert.equal(listed.body.resources.length, 3);
    assert.ok(listed.body.resources.every((x: any) => x.available === false && x.last_updated === null));

    const fetched = await chimera.request('GET', `/mcp/resources/alone/${encodeURIComponent('mcp://memory/alone/recent')}`, { as: 'viewer' });
    assert.equal(fetched.status, 503, JSON.stringify(fetched.body));
    assert.equal(fetched.body.error.details.code, 'E1002');
    assert.equal(fetched.body.error.details.retryable, true);
    assert.match(fetched.body.error.request_id, /^[0-9a-f-]{36}$/);
  });
});
