import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeOn, testDatabaseTargets } from '../test/support/testDatabases.ts';
import { startTestApi, type TestApi } from '../test/support/testApi.ts';

// Issue 5: further MCP servers can be registered per agent by URL, with a tool allowlist.
describeOn(testDatabaseTargets[0]!, 'MCP servers of an agent', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi(testDatabaseTargets[0]!);
    const created = await api.request('POST', '/agents', { body: { agent_id: 'echo', name: 'Echo', soul_md: '#', budget: { daily_usd: 1, total_usd: 10 } } });
    assert.equal(created.status, 201);
  });
  after(async () => {
    await api?.close();
  });

  it('registers, lists, replaces and removes a server, recording each change in the stream', async () => {
    const put = await api.request('PUT', '/agents/echo/mcp-servers/studio', { body: { url: 'http://127.0.0.1:7001/mcp', allowed_tools: ['render_video', 'generate_image'] } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(put.body.mcp_servers, [{ name: 'studio', url: 'http://127.0.0.1:7001/mcp', allowed_tools: ['generate_image', 'render_video'] }]);
    const same = await api.request('PUT', '/agents/echo/mcp-servers/studio', { body: { url: 'http://127.0.0.1:7001/mcp', allowed_tools: ['generate_image', 'render_video'] } });
    assert.equal(same.body.changed, false);
    assert.equal(same.body.state_version, put.body.state_version);
    const listed = await api.request('GET', '/agents/echo/mcp-servers', { token: await api.token('viewer') });
    assert.deepEqual(listed.body.mcp_servers.map((s: any) => s.name), ['studio']);
    const removed = await api.request('DELETE', '/agents/echo/mcp-servers/studio');
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body.mcp_servers, []);
    assert.equal((await api.request('DELETE', '/agents/echo/mcp-servers/studio')).status, 404);
    const stream = await api.store.readStream('agent-echo');
    assert.deepEqual(stream.events.map((e) => e.type).slice(1), ['McpServerRegistered', 'McpServerRemoved']);
  });

  it('refuses a bad URL, an empty allowlist and a non-operator, changing nothing', async () => {
    const before = (await api.store.readStream('agent-echo')).currentVersion;
    assert.equal((await api.request('PUT', '/agents/echo/mcp-servers/x', { body: { url: 'ftp://nope', allowed_tools: ['a'] } })).status, 400);
    assert.equal((await api.request('PUT', '/agents/echo/mcp-servers/x', { body: { url: 'http://127.0.0.1:1/mcp', allowed_tools: [] } })).status, 400);
    assert.equal((await api.request('PUT', '/agents/echo/mcp-servers/Bad Name', { body: { url: 'http://127.0.0.1:1/mcp', allowed_tools: ['a'] } })).status, 400);
    const viewer = await api.token('viewer');
    assert.equal((await api.request('PUT', '/agents/echo/mcp-servers/x', { token: viewer, body: { url: 'http://127.0.0.1:1/mcp', allowed_tools: ['a'] } })).status, 403);
    assert.equal((await api.store.readStream('agent-echo')).currentVersion, before);
  });
});
