import assert from 'node:assert/strict';
import { it } from 'node:test';
import { McpToolClient } from '../../adapters/mcp/mcpToolClient.ts';
import { AgentTools } from './agentTools.ts';

const sandbox = new McpToolClient({ name: 'sandbox', url: 'http://127.0.0.1:1/mcp' });
const servers = [
  { name: 'search', url: 'http://127.0.0.1:2/mcp', allowed_tools: ['detect_trends'] },
  { name: 'studio', url: 'http://127.0.0.1:3/mcp', allowed_tools: ['generate_image', 'render_video'] },
];

it('calls a tool on the agent server that allows it, else on the default server', () => {
  const tools = new AgentTools(sandbox);
  assert.equal(tools.clientFor(servers, 'render_video').registration.name, 'studio');
  assert.deepEqual(tools.clientFor(servers, 'render_video').registration.allowedTools, ['generate_image', 'render_video']);
  assert.equal(tools.clientFor(servers, 'post_content'), sandbox);
  assert.equal(tools.clientFor([], 'detect_trends'), sandbox);
  assert.equal(tools.clientFor(servers, 'detect_trends'), tools.clientFor(servers, 'detect_trends'), 'one client per server');
});

it('uses the server a task names, whose allowlist then decides', async () => {
  const tools = new AgentTools(sandbox);
  const named = tools.clientFor(servers, 'post_content', 'search');
  assert.equal(named.registration.name, 'search');
  const refused = await named.callTool('post_content', {});
  assert.deepEqual(refused.ok ? null : refused.error.code, 'tool_not_allowed');
});
