import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ModelPort } from '../models/modelPort.ts';
import { registerSandboxResources } from './sandboxMcpResources.ts';
import { sandboxImage, sandboxVideo } from './sandboxMedia.ts';
import { PLATFORM_TEXT_LIMITS, PLATFORMS, type PublishResult, type SandboxPlatform } from './sandboxPlatform.ts';
import { TREND_WINDOWS } from './sandboxTrends.ts';
import { toolFailure, toolSuccess } from './toolResults.ts';

// The sandbox platform as an MCP server: the tools of seed 001 §3.2 and seed 000 §2.2, plus the
// resources of §2.7. `writer` is the model behind generate_text.

export const SANDBOX_SERVER_INFO = { name: 'chimera-sandbox-social', version: '1.0.0' };

const platform = z.enum(PLATFORMS);
const disclosureLevel = z.enum(['automated', 'assisted', 'none']);
const agentId = z.string().min(1).max(255);
const idempotencyKey = z.string().min(1).max(255).describe('Derived from the task: the same key never publishes twice');

function published(result: PublishResult) {
  if (!result.ok) return toolFailure({ ...result.error, retryable: false });
  return toolSuccess({ post: result.post, duplicate: result.duplicate });
}

export function createSandboxMcpServer(sandbox: SandboxPlatform, writer: ModelPort): McpServer {
  const server = new McpServer(SANDBOX_SERVER_INFO);

  server.registerTool('post_content', {
    description: 'Publishes text and media to a connected social platform (sandbox)',
    inputSchema: {
      platform,
      text_content: z.string().min(1).describe('The body of the post/tweet'),
      media_urls: z.array(z.url()).max(10).optional(),
      disclosure_level: disclosureLevel.describe('AI disclosure level'),
      agent_id: agentId,
      idempotency_key: idempotencyKey,
    },
  }, async (args) => published(sandbox.post({
    agentId: args.agent_id,
    platform: args.platform,
    text: args.text_content,
    mediaUrls: args.media_urls,
    disclosureLevel: args.disclosure_level,
    idempotencyKey: args.idempotency_key,
  })));

  server.registerTool('engage_reply', {
    description: 'Replies to a mention of the agent (sandbox)',
    inputSchema: {
      agent_id: agentId,
      platform,
      mention_id: z.string().min(1),
      text: z.string().min(1),
      idempotency_key: idempotencyKey,
      disclosure_level: disclosureLevel.default('automated'),
    },
  }, async (args) => published(sandbox.reply({
    agentId: args.agent_id,
    platform: args.platform,
    mentionId: args.mention_id,
    text: args.text,
    idempotencyKey: args.idempotency_key,
    disclosureLevel: args.disclosure_level,
  })));

  server.registerTool('generate_text', {
    description: "Writes a post or a reply in the persona's voice",
    inputSchema: {
      agent_id: agentId,
      persona_name: z.string().min(1),
      soul_md: z.string(),
      policy_version: z.string().min(1),
      brief: z.string().min(1),
      platform,
      kind: z.enum(['post', 'reply']),
      max_chars: z.number().int().positive().optional().describe("Defaults to the platform's limit"),
      source_content: z.string().optional().describe('For a reply: the text replied to (untrusted)'),
    },
  }, async (args) => {
    const maxChars = args.max_chars ?? PLATFORM_TEXT_LIMITS[args.platform];
    try {
      const written = await writer.write({
        persona: { agentId: args.agent_id, personaName: args.persona_name, soulMd: args.soul_md, policyVersion: args.policy_version },
        brief: args.brief,
        platform: args.platform,
        kind: args.kind,
        maxChars,
        sourceContent: args.source_content,
      });
      const chars = [...written.text].length;
      return toolSuccess({
        text: written.text,
        chars,
        within_limit: chars <= maxChars,
        confidence: written.confidence,
        risk_tags: written.riskTags,
        model_call: written.call,
      });
    } catch (error) {
      return toolFailure({ code: 'model_error', message: error instanceof Error ? error.message : String(error), retryable: true, details: { provider: writer.provider } });
    }
  });

  server.registerTool('generate_image', {
    description: 'Generates an image with character consistency (sandbox: describes the asset, makes no pixels)',
    inputSchema: {
      prompt: z.string().min(1),
      character_reference_id: z.string().min(1).describe('ID for character consistency LoRA'),
      style: z.enum(['realistic', 'anime', 'artistic']).default('realistic'),
      aspect_ratio: z.enum(['1:1', '4:5', '16:9']).default('4:5'),
    },
  }, async (args) => toolSuccess(sandboxImage(args)));

  server.registerTool('render_video', {
    description: 'Renders a short video (sandbox: describes the asset, makes no frames)',
    inputSchema: {
      prompt: z.string().min(1),
      tier: z.enum(['tier_1_daily', 'tier_2_hero']),
      duration_s: z.number().int().min(1).max(600),
    },
  }, async (args) => toolSuccess(sandboxVideo(args)));

  server.registerTool('detect_trends', {
    description: 'Trending topics on a platform (seed 000 §2.2.3)',
    inputSchema: {
      platform,
      query: z.string().max(100).optional(),
      time_window: z.enum(TREND_WINDOWS).default('24h'),
      agent_id: agentId.optional(),
    },
  }, async (args) => {
    const trends = sandbox.trends(args.platform, { query: args.query, window: args.time_window });
    return toolSuccess({ trends, total_trends: trends.length });
  });

  registerSandboxResources(server, sandbox);
  return server;
}
