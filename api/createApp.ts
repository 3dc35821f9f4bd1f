import express from 'express';
import type { ApiContext } from './apiContext.ts';
import { AgentStates } from '../commands/agentStates.ts';
import { authenticate } from './auth/authenticate.ts';
import { errorHandler, notFoundRoute } from './errorHandler.ts';
import { requestId } from './requestId.ts';
import { agentRoutes } from './routes/agentRoutes.ts';
import { globalStateRoutes } from './routes/globalStateRoutes.ts';
import { healthRoutes } from './routes/healthRoutes.ts';
import { campaignRoutes } from './routes/campaignRoutes.ts';
import { hitlRoutes } from './routes/hitlRoutes.ts';
import { workerRoutes } from './routes/workerRoutes.ts';
import { plannerRoutes } from './routes/plannerRoutes.ts';
import { judgeRoutes } from './routes/judgeRoutes.ts';
import { mcpResourceRoutes } from './routes/mcpResourceRoutes.ts';
import { agentMetricsRoutes } from './routes/agentMetricsRoutes.ts';

export function createApp(given: ApiContext): express.Express {
  const ctx: ApiContext = { ...given, agentStates: given.agentStates ?? new AgentStates(given.store) };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestId);
  app.use(express.json({ limit: ctx.config.maxBodyBytes, strict: true }));
  app.use(healthRoutes(ctx));
  app.use(authenticate(ctx.keys));
  app.use(agentRoutes(ctx));
  app.use(globalStateRoutes(ctx));
  app.use(campaignRoutes(ctx));
  app.use(hitlRoutes(ctx));
  app.use(workerRoutes(ctx));
  app.use(plannerRoutes(ctx));
  app.use(judgeRoutes(ctx));
  app.use(mcpResourceRoutes(ctx));
  app.use(agentMetricsRoutes(ctx));
  app.use(notFoundRoute);
  app.use(errorHandler(ctx.log ?? ((message, error) => console.error(message, error))));
  return app;
}
