import { Router } from 'express';
import { z } from 'zod';
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
