import { Router } from 'express';
import { z } from 'zod';
import { TASK_COST_ESTIMATES } from '../../commands/planner/composeCampaign.ts';
import { AgentTools } from '../../commands/worker/agentTools.ts';
import { executeTask } from '../../commands/worker/executeTask.ts';
import { platformSchema } from '../../domain/work/workEvents.ts';
import { ApiError } from '../apiError.ts';
import type { ApiContext } from '../apiContext.ts';
import { requireRole } from '../auth/requireRole.ts';
import { parseInput } from '../parseInput.ts';
import { agentIdSchema } from './agentIdSchema.ts';

// Seed 000 §2.2.2–2.2.3. Task status comes from the tasks read model; the seed's five statuses
// are given with ours beside them (ready is pending to the seed, review is executing).
const SEED_STATUS: Record<string, string> = {
  pending: 'pending',
  ready: 'pending',
  executing: 'executing',
  review: 'executing',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

const trendsSchema = z.strictObject({
  agent_id: agentIdSchema,
  platform: z.enum(['twitter', 'instagram', 'tiktok', 'threads']),
  query: z.string().trim().max(100).optional(),
  time_window: z.enum(['1h', '24h', '7d', '30d']).default('24h'),
});

// Seed 000 §2.2.1, as a preview: one content task run through the MCP tools the pipeline's
// workers use, its WorkerResult answered and nothing recorded (no attempt, no result, no cost
// event: the tool's own cost is in tool_provenance.cost_estimate). Results that count are made
// by the pipeline's workers from planned tasks; publishing (post_content, engage_reply) happens
// only there, exactly once, so it is refused here. `state_version_snapshot` is only compared
// with the stream's version and echoed (occ_check): a preview decides nothing on it.
const PUBLISHING = new Set(['post_content', 'engage_reply']);
const executeSchema = z
  .strictObject({
    task_id: z.string().min(1).max(255),
    agent_id: agentIdSchema,
    task_type: z.enum(['generate_text', 'generate_image', 'render_video', 'post_content', 'engage_reply']),
    priority: z.enum(['high', 'medium', 'low']).default('medium'),
    context: z
      .strictObject({
        goal_description: z.string().max(5000).default(''),
        persona_constraints: z.array(z.string().max(500)).max(50).default([]),
        required_resources: z.array(z.string().max(500)).max(50).default([]),
      })
      .default({ goal_description: '', persona_constraints: [], required_resources: [] }),
    parameters: z.strictObject({
      prompt: z.string().trim().min(1).max(5000),
      platform: platformSchema.optional(),
      tier: z.enum(['tier_1_daily', 'tier_2_hero']).optional(),
      character_reference_id: z.string().min(1).max(255).optional(),
      // Our tools are named after the task types they run.
      mcp_tool: z.string().min(1).max(100),
      context: z.record(z.string(), z.unknown()).optional(),
      // Ours, as the planner sets them: image style and shape, video length.
      style: z.enum(['realistic', 'anime', 'artistic']).optional(),
      aspect_ratio: z.enum(['1:1', '4:5', '16:9']).optional(),
      duration_s: z.int().min(1).max(600).optional(),
    }),
    state_version_snapshot: z.int().nonnegative(),
  })
  .refine((b) => PUBLISHING.has(b.task_type) || b.parameters.mcp_tool === b.task_type, {
    message: 'parameters.mcp_tool must be the task type\'s tool',
    path: ['parameters', 'mcp_tool'],
  });

export function workerRoutes(ctx: ApiContext): Router {
  const router = Router();

  router.get('/worker/task/:task_id/status', requireRole('operator', 'moderator', 'viewer', 'service'), async (req, res) => {
    const taskId = parseInput(z.uuid(), req.params.task_id, 'task_id');
    const task = await ctx.database.db.selectFrom('tasks').selectAll().where('task_id', '=', taskId).executeTakeFirst();
    if (!task) throw new ApiError(404, 'not_found', `task ${taskId} not found`);
    const error = task.error as { code: string; message: string } | null;
    res.json({
      task_id: task.task_id,
      agent_id: task.agent_id,
      status: SEED_STATUS[task.status] ?? task.status,
      pipeline_status: task.status,
      attempt: task.attempt,
      ...(task.result_id ? { result_id: task.result_id } : {}),
      ...(task.review_id ? { review_id: task.review_id } : {}),
      ...(error && (task.status === 'failed' || task.status === 'cancelled' || task.status === 'pending') ? { error } : {}),
    });
  });

  router.post('/worker/execute', requireRole('operator', 'service'), async (req, res) => {
    const body = parseInput(executeSchema, req.body);
    if (PUBLISHING.has(body.task_type)) {
      throw new ApiError(422, 'validation_failed', `${body.task_type} publishes: it runs only in the pipeline, once its content is committed`, { reason: 'task_publishes', task_type: body.task_type });
    }
    const tools = ctx.pipeline?.tools;
    if (!ctx.pipeline || !tools) throw new ApiError(503, 'internal_error', 'no MCP tools in this process (set CHIMERA_MCP_URL)');
    const { state, version } = await ctx.pipeline.work.states.load(body.agent_id);
    const { agent } = state;
    if (agent.status === 'absent') throw new ApiError(404, 'not_found', `agent ${body.agent_id} not found`, { reason: 'agent_not_found' });
    if (agent.status === 'deleted') throw new ApiError(409, 'conflict', `agent ${body.agent_id} has been deleted`, { reason: 'agent_deleted' });
    const { prompt, context, ...rest } = body.parameters;
    const estimate =
      body.task_type === 'render_video'
        ? body.parameters.tier === 'tier_2_hero' ? TASK_COST_ESTIMATES.render_video_tier_2_hero : TASK_COST_ESTIMATES.render_video_tier_1_daily
        : TASK_COST_ESTIMATES[body.task_type];
    // The tools the pipeline's worker would call for this agent (its registered MCP servers,
    // else the default one); connections opened for this preview are closed after it.
    const agentTools = new AgentTools(tools);
    const outcome = await executeTask(
      (tool) => agentTools.clientFor(agent.mcp_servers, tool),
      {
        agentId: body.agent_id,
        spec: {
          task_id: body.task_id,
          task_type: body.task_type,
          priority: body.priority,
          dependencies: [],
          context: body.context,
          // The untrusted text a reply answers travels as parameters.context.source_content.
          parameters: { ...rest, prompt, ...(typeof context?.source_content === 'string' ? { source_content: context.source_content } : {}) },
          estimated_cost: estimate,
        },
        inputs: [],
        persona: { personaName: agent.persona_name, soulMd: agent.soul_md, policyVersion: agent.policy_version },
      },
      ctx.config.pipeline.taskTimeoutMs,
    ).finally(() => agentTools.close());
    if (outcome.kind === 'failure') {
      const { error, retryable } = outcome;
      throw new ApiError(retryable ? 503 : 422, retryable ? 'internal_error' : 'validation_failed', error.message, { reason: error.code, retryable }, { recorded: false });
    }
    if (outcome.kind !== 'result') throw new ApiError(500, 'internal_error', 'a content task published');
    const { result } = outcome;
    res.json({
      result_id: result.result_id,
      task_id: body.task_id,
      agent_id: body.agent_id,
      artifact: result.artifact,
      confidence_score: result.confidence_score,
      risk_tags: result.risk_tags,
      disclosure_level: result.disclosure_level,
      tool_provenance: result.tool_provenance,
      execution_metadata: result.execution_metadata,
      recorded: false,
      occ_check: { state_version_snapshot: body.state_version_snapshot, current_state_version: version, consistent: body.state_version_snapshot === version },
    });
  });

  router.post('/worker/detect-trends', requireRole('operator', 'service'), async (req, res) => {
    const body = parseInput(trendsSchema, req.body);
    const tools = ctx.pipeline?.tools;
    if (!tools) throw new ApiError(503, 'internal_error', 'no MCP tools in this process (set CHIMERA_MCP_URL)');
    const out = await tools.callTool('detect_trends', {
      agent_id: body.agent_id,
      platform: body.platform,
      time_window: body.time_window,
      ...(body.query ? { query: body.query } : {}),
    });
    if (!out.ok) throw new ApiError(out.error.retryable ? 503 : 422, out.error.retryable ? 'internal_error' : 'validation_failed', out.error.message, { reason: out.error.code });
    res.json(out.structured ?? { trends: [], total_trends: 0 });
  });

  return router;
}
