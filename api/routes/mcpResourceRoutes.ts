import { Router } from 'express';
import { z } from 'zod';
import type { McpFailure, McpToolClient, ReadResourceOutcome } from '../../adapters/mcp/mcpToolClient.ts';
import type { Platform } from '../../adapters/models/modelPort.ts';
import { engagementUri, memoryUri, mentionsUri, trendsUri } from '../../adapters/mcp/sandboxMcpResources.ts';
import { PLATFORMS } from '../../adapters/mcp/sandboxPlatform.ts';
import { ApiError } from '../apiError.ts';
import type { ApiContext } from '../apiContext.ts';
import { requireRole } from '../auth/requireRole.ts';
import { parseInput } from '../parseInput.ts';
import { agentIdSchema } from './agentIdSchema.ts';

// Seed 000 §2.7: the MCP resources an agent perceives through (its mentions, its memory, the
// trends of its platforms), listed and fetched through the process's MCP client. Beyond the
// seed, a post's engagement (`mcp://{platform}/engagement/{platform_post_id}`) may be fetched
// for the agent's own posts.

type ResourceType = 'mentions' | 'memory' | 'trends' | 'engagement';
type Resource =
  | { type: 'mentions'; platform: Platform; agentId: string; query: URLSearchParams }
  | { type: 'trends'; platform: Platform }
  | { type: 'memory'; agentId: string }
  | { type: 'engagement'; platform: Platform; platformPostId: string };

const uriSchema = z.string().trim().min(1).max(2048).regex(/^mcp:\/\//, 'resource_uri must be an mcp:// URI');
const fetchQuerySchema = z.strictObject({ resource_uri: uriSchema.optional() });
const READ_TIMEOUT_MS = 10_000;
// Mentions take ?since=<ISO time>&limit=<n> (adapters/mcp/sandboxMcpResources.ts); nothing else.
const MENTION_QUERY = ['since', 'limit'];

const platformOf = (name: string): Platform | undefined => PLATFORMS.find((p) => p === name);

// Reads a resource URI the way the MCP server's templates do, or null when it names none.
function parseResource(uri: string): Resource | null {
  let url: URL;
  let segments: string[];
  try {
    url = new URL(uri);
    segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return null;
  }
  if (url.protocol !== 'mcp:') return null;
  if (url.hostname === 'memory') {
    return segments.length === 2 && segments[0] && segments[1] === 'recent' ? { type: 'memory', agentId: segments[0] } : null;
  }
  const platform = platformOf(url.hostname);
  if (!platform) return null;
  const [kind, id, ...more] = segments;
  if (kind === 'trends' && id === undefined) return { type: 'trends', platform };
  if (!id || more.length > 0) return null;
  if (kind === 'mentions') {
    const query = new URLSearchParams([...url.searchParams].filter(([k]) => MENTION_QUERY.includes(k)));
    return { type: 'mentions', platform, agentId: id, query };
  }
  if (kind === 'engagement') return { type: 'engagement', platform, platformPostId: id };
  return null;
}

// The URI sent to the server is rebuilt from what was checked, so the server cannot read it
// differently (another agent behind `..` or an encoded slash).
function canonicalUri(resource: Resource): string {
  switch (resource.type) {
    case 'mentions': {
      const query = resource.query.toString();
      return mentionsUri(resource.platform, resource.agentId) + (query ? `?${query}` : '');
    }
    case 'trends':
      return trendsUri(resource.platform);
    case 'memory':
      return memoryUri(resource.agentId);
    case 'engagement':
      return engagementUri(resource.platform, encodeURIComponent(resource.platformPostId));
  }
}

function unavailable(tools: McpToolClient | null, failure?: McpFailure): ApiError {
  if (!tools) return new ApiError(503, 'internal_error', 'no MCP client in this process (set CHIMERA_MCP_URL)', { code: 'E1002', mcp_server: null, retryable: true });
  return new ApiError(503, 'internal_error', failure?.message ?? 'MCP server unavailable', {
    code: failure?.code ?? 'E1002',
    mcp_server: tools.registration.name,
    retryable: true,
  });
}

function readFailure(tools: McpToolClient, uri: string, failure: McpFailure): ApiError {
  if (failure.code === 'E1002' || failure.code === 'E2001') return unavailable(tools, failure);
  if (failure.code === 'resource_not_found') return new ApiError(404, 'not_found', `resource ${uri} not found`, { resource_uri: uri, reason: failure.message });
  return new ApiError(502, 'internal_error', `MCP server ${tools.registration.name} failed to read ${uri}: ${failure.message}`, { code: failure.code, resource_uri: uri });
}

// When the resource last changed: its newest item, or null when it has none.
function lastUpdated(type: ResourceType, content: unknown): string | null {
  const c = (content ?? {}) as Record<string, unknown>;
  const times = (items: unknown, field: string) => (Array.isArray(items) ? items.map((i) => (i as Record<string, unknown>)[field]) : []);
  const candidates =
    type === 'mentions' ? times(c.mentions, 'created_at')
    : type === 'trends' ? times(c.trends, 'detected_at')
    : type === 'memory' ? [...times(c.recent_posts, 'published_at'), ...times(c.replied_mentions, 'replied_at')]
    : [c.measured_at];
  const ms = candidates.filter((t): t is string => typeof t === 'string').map(Date.parse).filter((t) => !Number.isNaN(t));
  return ms.length > 0 ? new Date(Math.max(...ms)).toISOString() : null;
}

const contentOf = (read: Extract<ReadResourceOutcome, { ok: true }>): unknown => read.json ?? read.text;

export function mcpResourceRoutes(ctx: ApiContext): Router {
  const router = Router();
  const now = () => (ctx.now ?? (() => new Date()))().toISOString();
  const roles = requireRole('operator', 'moderator', 'viewer', 'service');

  const agentRow = async (agentId: string) => {
    const row = await ctx.database.db.selectFrom('agents').select(['agent_id', 'persona_config']).where('agent_id', '=', agentId).executeTakeFirst();
    if (!row) throw new ApiError(404, 'not_found', `agent ${agentId} not found (new agents appear here once projected)`);
    return row;
  };

  // The platforms the agent has an account on, or all of them when it has none.
  const platformsOf = (personaConfig: Record<string, unknown>): Platform[] => {
    const accounts = personaConfig.social_accounts;
    const named = accounts && typeof accounts === 'object' ? Object.keys(accounts).flatMap((p) => platformOf(p) ?? []) : [];
    return named.length > 0 ? PLATFORMS.filter((p) => named.includes(p)) : [...PLATFORMS];
  };

  const fetchResource = async (agentId: string, given: string) => {
    await agentRow(agentId);
    const resource = parseResource(parseInput(uriSchema, given, 'resource_uri'));
    if (!resource) throw new ApiError(404, 'not_found', `no MCP resource ${given}`, { resource_uri: given });
    if ((resource.type === 'mentions' || resource.type === 'memory') && resource.agentId !== agentId) {
      throw new ApiError(403, 'forbidden', `resource ${given} belongs to agent ${resource.agentId}, not ${agentId}`, { resource_uri: given });
    }
    if (resource.type === 'engagement') {
      const post = await ctx.database.db
        .selectFrom('posts')
        .select('agent_id')
        .where('platform', '=', resource.platform)
        .where('platform_post_id', '=', resource.platformPostId)
        .executeTakeFirst();
      if (!post) throw new ApiError(404, 'not_found', `no post ${resource.platformPostId} on ${resource.platform}`, { resource_uri: given });
      if (post.agent_id !== agentId) throw new ApiError(403, 'forbidden', `post ${resource.platformPostId} is not a post of agent ${agentId}`, { resource_uri: given });
    }
    const tools = ctx.pipeline?.tools ?? null;
    if (!tools) throw unavailable(null);
    const uri = canonicalUri(resource);
    const read = await tools.readResource(uri, { timeoutMs: READ_TIMEOUT_MS });
    if (!read.ok) throw readFailure(tools, uri, read.error);
    return { resource_uri: uri, resource_type: resource.type, content: contentOf(read), mcp_server: tools.registration.name, fetched_at: now() };
  };

  router.get('/mcp/resources/:agent_id', roles, async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const query = parseInput(fetchQuerySchema, req.query, 'query');
    // The seed also names resource_uri as a query parameter: given here, it fetches.
    if (query.resource_uri !== undefined) {
      res.json(await fetchResource(agentId, query.resource_uri));
      return;
    }
    const agent = await agentRow(agentId);
    const platforms = platformsOf(agent.persona_config);
    const wanted: { uri: string; type: ResourceType }[] = [
      ...platforms.map((p) => ({ uri: mentionsUri(p, agentId), type: 'mentions' as const })),
      ...platforms.map((p) => ({ uri: trendsUri(p), type: 'trends' as const })),
      { uri: memoryUri(agentId), type: 'memory' },
    ];
    const tools = ctx.pipeline?.tools ?? null;
    // Available means the server answers for it now; when it cannot be reached, every
    // resource is listed as unavailable rather than the list failing.
    const resources = await Promise.all(
      wanted.map(async ({ uri, type }) => {
        const read = tools ? await tools.readResource(uri, { timeoutMs: READ_TIMEOUT_MS }) : null;
        return {
          resource_uri: uri,
          resource_type: type,
          mcp_server: tools?.registration.name ?? null,
          available: read?.ok === true,
          last_updated: read?.ok ? lastUpdated(type, contentOf(read)) : null,
        };
      }),
    );
    res.json({ agent_id: agentId, resources });
  });

  // The URI URL-encoded as one segment (seed), or written out over several.
  router.get('/mcp/resources/:agent_id/*resource_uri', roles, async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const query = parseInput(fetchQuerySchema, req.query, 'query');
    const segments = (req.params as unknown as { resource_uri: string[] }).resource_uri;
    const inPath = segments.join('/');
    if (query.resource_uri !== undefined && query.resource_uri !== inPath) {
      throw new ApiError(400, 'validation_failed', 'resource_uri in the path and in the query differ', {
        issues: [{ path: 'resource_uri', message: `path names ${inPath}, query names ${query.resource_uri}` }],
      });
    }
    res.json(await fetchResource(agentId, inPath));
  });

  return router;
}
