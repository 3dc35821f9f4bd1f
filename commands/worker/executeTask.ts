import { createHash, randomUUID } from 'node:crypto';
import type { McpToolClient, ToolCallOutcome } from '../../adapters/mcp/mcpToolClient.ts';
import { nameBasedUuid } from '../nameBasedUuid.ts';
import { contentHash } from '../../domain/judge/commitHash.ts';
import type { CostInput } from '../../domain/work/workCommands.ts';
import type { Artifact, PostPublished, TaskReady, TaskSpec, WorkerResult } from '../../domain/work/workEvents.ts';

// One attempt of one task, through the agent's MCP tools. Content tasks return a result for
// the judge; publishing tasks post what their dependencies made, under an idempotency key
// derived from the task and the content, so a retry after a crash finds the first post
// instead of making a second.

export type TaskToRun = {
  agentId: string;
  spec: TaskSpec;
  inputs: TaskReady['inputs'];
  persona: { personaName: string; soulMd: string; policyVersion: string };
};

// The MCP client to call a tool on (see AgentTools).
export type ToolsFor = (tool: string) => McpToolClient;

export type TaskOutcome =
  | { kind: 'result'; result: WorkerResult; costs: CostInput[] }
  | { kind: 'publication'; post: Omit<PostPublished, 'task_id' | 'campaign_id' | 'at'>; costs: CostInput[] }
  | { kind: 'failure'; error: { code: string; message: string }; retryable: boolean };

// Tool output the sandbox platform gives no confidence for (media): how sure the worker is.
const MEDIA_CONFIDENCE = 0.95;

const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

export async function executeTask(toolsFor: ToolsFor, task: TaskToRun, timeoutMs: number): Promise<TaskOutcome> {
  const started = new Date();
  const p = task.spec.parameters;
  const platform = str(p.platform, 'twitter');
  const call = (name: string, args: Record<string, unknown>) => toolsFor(name).callTool(name, args, { timeoutMs });
  const finish = (artifact: Artifact, extra: Pick<WorkerResult, 'confidence_score' | 'risk_tags' | 'model_call'>, tool: string, args: Record<string, unknown>, cost: number | null): WorkerResult => {
    const completed = new Date();
    return {
      result_id: randomUUID(),
      artifact,
      ...extra,
      disclosure_level: 'automated',
      tool_provenance: { mcp_tool: tool, mcp_server: toolsFor(tool).registration.name, tool_version: '1', parameters_used: args, cost_estimate: cost },
      execution_metadata: { started_at: started.toISOString(), completed_at: completed.toISOString(), duration_ms: completed.getTime() - started.getTime() },
      source_content: typeof p.source_content === 'string' ? p.source_content : null,
    };
  };
  const cost = (category: CostInput['category'], tool: string, amount: number, tier: string | null = null): CostInput => ({
    cost_id: randomUUID(),
    category,
    tool_name: tool,
    tier,
    amount,
    currency: 'USD',
    estimate: task.spec.estimated_cost,
  });

  switch (task.spec.task_type) {
    case 'generate_text': {
      const args = {
        agent_id: task.agentId,
        persona_name: task.persona.personaName,
        soul_md: task.persona.soulMd,
        policy_version: task.persona.policyVersion,
        brief: str(p.prompt, task.spec.context.goal_description),
        platform,
        kind: p.kind === 'reply' ? 'reply' : 'post',
        ...(typeof p.source_content === 'string' ? { source_content: p.source_content } : {}),
      };
      const out = await call('generate_text', args);
      if (!out.ok) return failure(out);
      const s = out.structured ?? {};
      const modelCall = (s.model_call ?? null) as WorkerResult['model_call'];
      const result = finish(
        { type: 'text', content: str(s.text), metadata: { platform, chars: s.chars ?? null } },
        { confidence_score: Number(s.confidence ?? 0), risk_tags: (s.risk_tags as string[] | undefined) ?? [], model_call: modelCall },
        'generate_text',
        args,
        modelCall?.costUsd ?? 0,
      );
      return { kind: 'result', result, costs: [cost('inference', 'generate_text', modelCall?.costUsd ?? 0)] };
    }
    case 'generate_image':
    case 'render_video': {
      const tool = task.spec.task_type;
      const args =
        tool === 'generate_image'
          ? { prompt: str(p.prompt), character_reference_id: str(p.character_reference_id, `${task.agentId}-face`), style: str(p.style, 'realistic'), aspect_ratio: str(p.aspect_ratio, '4:5') }
          : { prompt: str(p.prompt), tier: str(p.tier, 'tier_1_daily'), duration_s: Number(p.duration_s ?? 15) };
      const out = await call(tool, args);
      if (!out.ok) return failure(out);
      const s = out.structured ?? {};
      const { media_url, cost_usd, ...metadata } = s as Record<string, unknown>;
      const amount = Number(cost_usd ?? 0);
      const result = finish(
        { type: tool === 'generate_image' ? 'image' : 'video', content: str(media_url), metadata: { ...metadata, caption: str(p.prompt) } },
        { confidence_score: MEDIA_CONFIDENCE, risk_tags: [], model_call: null },
        tool,
        args,
        amount,
      );
      return { kind: 'result', result, costs: [cost('generation', tool, amount, tool === 'render_video' ? str(args.tier as string) : null)] };
    }
    case 'post_content':
    case 'engage_reply': {
      const text = task.inputs.find((i) => i.artifact.type === 'text');
      if (!text) return { kind: 'failure', error: { code: 'input_missing', message: 'no text among the results this task depends on' }, retryable: false };
      const media = task.inputs.filter((i) => i.artifact.type !== 'text').map((i) => i.artifact.content);
      const disclosure = text.artifact.metadata.edited_from ? 'assisted' : 'automated';
      const hash = contentHash([text.artifact.content, ...media].join('\n'));
      const key = createHash('sha256').update(`${task.spec.task_id}:${hash}`).digest('hex');
      const out =
        task.spec.task_type === 'post_content'
          ? await call('post_content', { platform, text_content: text.artifact.content, ...(media.length ? { media_urls: media } : {}), disclosure_level: disclosure, agent_id: task.agentId, idempotency_key: key })
          : await call('engage_reply', { agent_id: task.agentId, platform, mention_id: str(p.mention_id), text: text.artifact.content, idempotency_key: key, disclosure_level: disclosure });
      if (!out.ok) return failure(out);
      const s = (out.structured ?? {}) as { post?: Record<string, unknown>; duplicate?: boolean };
      const post = s.post ?? {};
      return {
        kind: 'publication',
        post: {
          // The same post always gets the same id.
          post_id: nameBasedUuid(`post:${key}`),
          asset_result_id: text.result_id,
          platform: platform as PostPublished['platform'],
          platform_post_id: str(post.platform_post_id),
          url: str(post.url),
          text: text.artifact.content,
          idempotency_key: key,
          content_hash: hash,
          disclosure_level: disclosure,
          duplicate: s.duplicate === true,
          published_at: str(post.published_at, new Date().toISOString()),
        },
        costs: [cost('posting', task.spec.task_type, 0)],
      };
    }
  }
}

function failure(out: Extract<ToolCallOutcome, { ok: false }>): TaskOutcome {
  const code = out.error.code === 'tool_error' ? str(out.error.details?.code, 'tool_error') : out.error.code;
  return { kind: 'failure', error: { code, message: out.error.message }, retryable: out.error.retryable };
}
