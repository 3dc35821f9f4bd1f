import { Router } from 'express';
import { compareLogPositions, formatLogPosition } from '../../adapters/eventstore/eventStore.ts';
import { PostgresEventStore } from '../../adapters/eventstore/postgresEventStore.ts';
import type { ApiContext } from '../apiContext.ts';

// Seed 004 §9. Unauthenticated, so that load balancers and orchestrators can ask; it names
// no agents and no data, only the state of the parts.
export function healthRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const started = Date.now();
    let database: 'healthy' | 'unhealthy' = 'healthy';
    let endOfLog = null;
    try {
      await ctx.database.sql.query('SELECT 1');
      if (ctx.store instanceof PostgresEventStore) endOfLog = await ctx.store.endOfLog();
    } catch {
      database = 'unhealthy';
    }
    const projections = Object.fromEntries(
      ctx.projections.map((runner) => [
        runner.projection.name,
        {
          checkpoint: formatLogPosition(runner.checkpoint),
          caught_up: endOfLog ? compareLogPositions(runner.checkpoint, endOfLog) >= 0 : null,
        },
      ]),
    );
    let forwarder = null;
    if (ctx.forwarder && database === 'healthy') forwarder = await ctx.forwarder.lag().catch(() => null);
    // The Judge's embedder: while it is down nothing is auto-published (results wait for
    // moderators), so the API still serves, degraded.
    const embedder = ctx.embedder ? await ctx.embedder.health().catch((error: unknown) => ({ status: 'down' as const, model_id: ctx.embedder!.modelId, detail: String(error) })) : null;
    const status = database !== 'healthy' ? 'unhealthy' : embedder?.status === 'down' ? 'degraded' : 'healthy';
    res.status(status === 'unhealthy' ? 503 : 200).json({
      status,
      components: {
        database,
        database_engine: ctx.database.kind,
        event_store: database,
        projections,
        ...(ctx.forwarder ? { forwarder } : {}),
        ...(embedder ? { embedder: { status: embedder.status === 'up' ? 'healthy' : 'unhealthy', model_id: embedder.model_id, detail: embedder.detail } } : {}),
      },
      log_position: endOfLog ? formatLogPosition(endOfLog) : null,
      check_ms: Date.now() - started,
      timestamp: new Date().toISOString(),
    });
  });
  return router;
}
