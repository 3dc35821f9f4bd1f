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
    const status = database === 'healthy' ? 'healthy' : 'unhealthy';
    res.status(status === 'healthy' ? 200 : 503).json({
      status,
      components: {
        database,
        database_engine: ctx.database.kind,
        event_store: database,
        projections,
        ...(ctx.forwarder ? { forwarder } : {}),
      },
      log_position: endOfLog ? formatLogPosition(endOfLog) : null,
      check_ms: Date.now() - started,
      timestamp: new Date().toISOString(),
    });
  });
  return router;
}
