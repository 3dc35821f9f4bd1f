import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { Variables } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import type { Platform } from '../models/modelPort.ts';
import { PLATFORMS, type SandboxPlatform } from './sandboxPlatform.ts';

// The resources of seed 000 §2.7 (resource_type mentions | memory | trends), plus a post's
// engagement. Lists name one resource per known agent (and platform).

const JSON_TYPE = 'application/json';

export function mentionsUri(platform: Platform, agentId: string): string {
  return `mcp://${platform}/mentions/${encodeURIComponent(agentId)}`;
}
export function trendsUri(platform: Platform): string {
  return `mcp://${platform}/trends`;
}
export function memoryUri(agentId: string): string {
  return `mcp://memory/${encodeURIComponent(agentId)}/recent`;
}
export function engagementUri(platform: Platform, platformPostId: string): string {
  return `mcp://${platform}/engagement/${platformPostId}`;
}

function json(uri: URL, content: unknown): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: JSON.stringify(content) }] };
}

function notFound(uri: URL, why: string): McpError {
  return new McpError(ErrorCode.InvalidParams, `Resource ${uri.href} not found: ${why}`);
}

// A template variable, without any query string after it (the templates match the path only).
function variable(variables: Variables, name: string): string {
  const raw = variables[name];
  return decodeURIComponent(String(Array.isArray(raw) ? raw[0] : raw).split('?')[0]!);
}

function platformOf(uri: URL, variables: Variables): Platform {
  const name = variable(variables, 'platform');
  const found = PLATFORMS.find((p) => p === name);
  if (!found) throw notFound(uri, `unknown platform ${name}`);
  return found;
}

export function registerSandboxResources(server: McpServer, sandbox: SandboxPlatform): void {
  // Registered before the platform templates, whose `{platform}` would also match "memory".
  server.registerResource('memory', new ResourceTemplate('mcp://memory/{agent_id}/recent', {
    list: () => ({ resources: sandbox.agents().map((agent) => ({ uri: memoryUri(agent), name: `Recent memory of ${agent}`, mimeType: JSON_TYPE })) }),
  }), { description: "The agent's recent posts and the mentions it replied to", mimeType: JSON_TYPE }, (uri, variables) =>
    json(uri, { ...sandbox.memory(variable(variables, 'agent_id')), fetched_at: sandbox.currentTime() }));

  server.registerResource('mentions', new ResourceTemplate('mcp://{platform}/mentions/{agent_id}', {
    list: () => ({
      resources: sandbox.agents().flatMap((agent) =>
        PLATFORMS.map((p) => ({ uri: mentionsUri(p, agent), name: `Recent ${p} mentions of ${agent}`, mimeType: JSON_TYPE }))),
    }),
  }), { description: 'Mentions of the agent (default: the last hour); query ?since=<ISO time>&limit=<n>', mimeType: JSON_TYPE }, (uri, variables) => {
    const platform = platformOf(uri, variables);
    const agentId = variable(variables, 'agent_id');
    const since = uri.searchParams.get('since') ?? undefined;
    const limit = Number(uri.searchParams.get('limit') ?? 50);
    if (since !== undefined && Number.isNaN(Date.parse(since))) throw notFound(uri, `since is not a date: ${since}`);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw notFound(uri, 'limit must be an integer in 1..500');
    // The simulation's ground-truth label stays out: a real platform does not say which
    // mentions are attacks.
    const mentions = sandbox.mentions(agentId, { platform, since, limit }).map(({ kind: _kind, ...mention }) => mention);
    return json(uri, { agent_id: agentId, platform, mentions, fetched_at: sandbox.currentTime() });
  });

  server.registerResource('trends', new ResourceTemplate('mcp://{platform}/trends', {
    list: () => ({ resources: PLATFORMS.map((p) => ({ uri: trendsUri(p), name: `Trends on ${p}`, mimeType: JSON_TYPE })) }),
  }), { description: 'Trending topics of the last 24 hours', mimeType: JSON_TYPE }, (uri, variables) => {
    const platform = platformOf(uri, variables);
    const trends = sandbox.trends(platform, { window: '24h' });
    return json(uri, { platform, trends, total_trends: trends.length, fetched_at: sandbox.currentTime() });
  });

  server.registerResource('engagement', new ResourceTemplate('mcp://{platform}/engagement/{platform_post_id}', { list: undefined }), {
    description: "A post's current views, likes, comments and shares",
    mimeType: JSON_TYPE,
  }, (uri, variables) => {
    platformOf(uri, variables);
    const result = sandbox.engagement(variable(variables, 'platform_post_id'));
    if (!result.ok) throw notFound(uri, result.error.message);
    return json(uri, result.engagement);
  });
}
