import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { handleAgentCommand, type CommandResult } from '../../commands/handleAgentCommand.ts';
import { AgentStates } from '../../commands/agentStates.ts';
import { formatLogPosition } from '../../adapters/eventstore/eventStore.ts';
import { agentBudgetSchema } from '../../domain/agent/agentEvents.ts';
import type { AgentCommand } from '../../domain/agent/agentCommands.ts';
import type { SetBudgets } from '../../domain/money/moneyCommands.ts';
import { ApiError } from '../apiError.ts';
import type { ApiContext } from '../apiContext.ts';
import { requireRole } from '../auth/requireRole.ts';
import { commandContextOf } from '../commandContextOf.ts';
import { commandErrorToApiError } from '../commandErrorToApiError.ts';
import { parseInput } from '../parseInput.ts';
import { agentIdSchema } from './agentIdSchema.ts';

const MAX_SOUL_MD_BYTES = 256 * 1024;

// Seed 001 §3.1 POST /agents. The persona arrives as base64 SOUL.md (`persona_file`) or as
// plain text (`soul_md`); the agent id may be chosen by the caller.
const createAgentSchema = z
  .strictObject({
    agent_id: agentIdSchema.optional(),
    name: z.string().trim().min(1).max(255),
    persona_name: z.string().trim().min(1).max(255).optional(),
    persona_file: z.base64().optional(),
    soul_md: z.string().optional(),
    policy_version: z.string().trim().min(1).max(50).default('1.0.0'),
    social_accounts: z
      .partialRecord(z.enum(['twitter', 'instagram', 'tiktok', 'threads']), z.strictObject({ username: z.string().trim().min(1).max(255) }))
      .default({}),
    budget: agentBudgetSchema.refine((b) => b.daily_usd <= b.total_usd, {
      message: 'daily_usd may not exceed total_usd',
      path: ['daily_usd'],
    }),
  })
  .refine((b) => (b.persona_file === undefined) !== (b.soul_md === undefined), {
    message: 'give the persona as exactly one of persona_file (base64 SOUL.md) or soul_md',
    path: ['persona_file'],
  });

const expectedVersionSchema = z.int().nonnegative().optional();
const pauseSchema = z.strictObject({ reason: z.string().max(1000).optional(), input_state_version: expectedVersionSchema });
const personaSchema = z
  .strictObject({
    persona_name: z.string().trim().min(1).max(255).optional(),
    persona_file: z.base64().optional(),
    soul_md: z.string().optional(),
    input_state_version: expectedVersionSchema,
  })
  .refine((b) => !(b.persona_file !== undefined && b.soul_md !== undefined), {
    message: 'give at most one of persona_file or soul_md',
    path: ['persona_file'],
  });
const policySchema = z.strictObject({ policy_version: z.string().trim().min(1).max(50), input_state_version: expectedVersionSchema });

function soulText(persona_file: string | undefined, soul_md: string | undefined): string | undefined {
  const text = persona_file !== undefined ? Buffer.from(persona_file, 'base64').toString('utf8') : soul_md;
  if (text !== undefined && Buffer.byteLength(text) > MAX_SOUL_MD_BYTES) {
    throw new ApiError(400, 'validation_failed', `SOUL.md exceeds ${MAX_SOUL_MD_BYTES} bytes`, { issues: [{ path: 'persona_file', message: 'too large' }] });
  }
  return text;
}

export function agentRoutes(ctx: ApiContext): Router {
  const router = Router();
  const now = () => (ctx.now ?? (() => new Date()))().toISOString();

  const run = async (agentId: string, command: AgentCommand | SetBudgets, res: Parameters<typeof commandContextOf>[0], expectedVersion?: number): Promise<Extract<CommandResult, { ok: true }>> => {
    const result = await handleAgentCommand(ctx.store, agentId, command, commandContextOf(res), expectedVersion === undefined ? {} : { expectedVersion }, ctx.agentStates);
    if (!result.ok) throw commandErrorToApiError(result.error);
    if (result.position) res.setHeader('X-Log-Position', formatLogPosition(result.position));
    return result;
  };

  router.post('/agents', requireRole('operator', 'service'), async (req, res) => {
    const body = parseInput(createAgentSchema, req.body);
    const agentId = body.agent_id ?? randomUUID();
    const result = await run(
      agentId,
      {
        type: 'CreateAgent',
        data: {
          agent_id: agentId,
          name: body.name,
          persona_name: body.persona_name ?? body.name,
          soul_md: soulText(body.persona_file, body.soul_md) ?? '',
          policy_version: body.policy_version,
          social_accounts: body.social_accounts,
          budget: body.budget,
        },
        now: now(),
      },
      res,
    );
    res.status(201).location(`/agents/${encodeURIComponent(agentId)}`).json({
      agent_id: agentId,
      name: result.state.agent.name,
      persona_name: result.state.agent.persona_name,
      policy_version: result.state.agent.policy_version,
      status: result.state.agent.status,
      wallet_address: null,
      state_version: result.stateVersion,
      created_at: result.state.agent.created_at,
    });
  });

  const lifecycle = (path: string, method: 'post' | 'delete', toCommand: (body: z.infer<typeof pauseSchema>, at: string) => AgentCommand) => {
    router[method](path, requireRole('operator'), async (req, res) => {
      const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
      const body = parseInput(pauseSchema, req.body ?? {});
      const result = await run(agentId, toCommand(body, now()), res, body.input_state_version);
      res.json({ agent_id: agentId, status: result.state.agent.status, state_version: result.stateVersion, changed: result.events.length > 0 });
    });
  };
  lifecycle('/agents/:agent_id/pause', 'post', (b, at) => ({ type: 'PauseAgent', data: b.reason === undefined ? {} : { reason: b.reason }, now: at }));
  lifecycle('/agents/:agent_id/resume', 'post', (_b, at) => ({ type: 'ResumeAgent', data: {}, now: at }));
  lifecycle('/agents/:agent_id', 'delete', (_b, at) => ({ type: 'DeleteAgent', data: {}, now: at }));

  router.put('/agents/:agent_id/persona', requireRole('operator'), async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const body = parseInput(personaSchema, req.body);
    const soul_md = soulText(body.persona_file, body.soul_md);
    const data = { ...(body.persona_name !== undefined ? { persona_name: body.persona_name } : {}), ...(soul_md !== undefined ? { soul_md } : {}) };
    const result = await run(agentId, { type: 'UpdatePersona', data, now: now() }, res, body.input_state_version);
    res.json({ agent_id: agentId, persona_name: result.state.agent.persona_name, state_version: result.stateVersion, changed: result.events.length > 0 });
  });

  router.put('/agents/:agent_id/policy-version', requireRole('operator'), async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const body = parseInput(policySchema, req.body);
    const result = await run(agentId, { type: 'ChangePolicyVersion', data: { policy_version: body.policy_version }, now: now() }, res, body.input_state_version);
    res.json({ agent_id: agentId, policy_version: result.state.agent.policy_version, state_version: result.stateVersion, changed: result.events.length > 0 });
  });

  // The agent's budget windows for the CFO Judge (UTC day, week from Monday, month): a window
  // left out keeps its limit, null removes it. The total stays the one the agent was created with.
  const usdLimit = z.number().nonnegative().max(1e9).nullable().optional();
  const budgetSchema = z.strictObject({ daily_usd: usdLimit, weekly_usd: usdLimit, monthly_usd: usdLimit, input_state_version: expectedVersionSchema });
  router.put('/agents/:agent_id/budget', requireRole('operator'), async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const { input_state_version, ...windows } = parseInput(budgetSchema, req.body);
    const result = await run(agentId, { type: 'SetBudgets', data: windows, now: now() }, res, input_state_version);
    const budgets = result.state.money.budgets;
    res.json({
      agent_id: agentId,
      budget: { daily_usd: budgets ? budgets.daily_usd : result.state.agent.budget.daily_usd, weekly_usd: budgets?.weekly_usd ?? null, monthly_usd: budgets?.monthly_usd ?? null, total_usd: result.state.agent.budget.total_usd },
      state_version: result.stateVersion,
      changed: result.events.length > 0,
    });
  });

  // Further MCP servers for the agent's workers, each with the tools it may be asked for.
  const mcpServerSchema = z.strictObject({
    url: z.url({ protocol: /^https?$/ }),
    allowed_tools: z.array(z.string().trim().min(1).max(100)).min(1).max(100),
    input_state_version: expectedVersionSchema,
  });
  const serverName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - and _');
  router.put('/agents/:agent_id/mcp-servers/:name', requireRole('operator'), async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const name = parseInput(serverName, req.params.name, 'name');
    const body = parseInput(mcpServerSchema, req.body);
    const result = await run(agentId, { type: 'RegisterMcpServer', data: { name, url: body.url, allowed_tools: body.allowed_tools }, now: now() }, res, body.input_state_version);
    res.json({ agent_id: agentId, mcp_servers: result.state.agent.mcp_servers, state_version: result.stateVersion, changed: result.events.length > 0 });
  });
  router.delete('/agents/:agent_id/mcp-servers/:name', requireRole('operator'), async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const name = parseInput(serverName, req.params.name, 'name');
    const result = await run(agentId, { type: 'RemoveMcpServer', data: { name }, now: now() }, res);
    res.json({ agent_id: agentId, mcp_servers: result.state.agent.mcp_servers, state_version: result.stateVersion, changed: true });
  });
  router.get('/agents/:agent_id/mcp-servers', requireRole('operator', 'moderator', 'viewer', 'service'), async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const { state, version } = await (ctx.agentStates ?? new AgentStates(ctx.store)).load(agentId);
    if (state.agent.status === 'absent') throw new ApiError(404, 'not_found', `agent ${agentId} not found`);
    res.json({ agent_id: agentId, mcp_servers: state.agent.mcp_servers, state_version: version });
  });

  // Dashboard reads come from the read models.
  const listQuery = z.strictObject({
    status: z.enum(['active', 'paused', 'deleted']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  });
  router.get('/agents', requireRole('operator', 'moderator', 'viewer', 'service'), async (req, res) => {
    const q = parseInput(listQuery, req.query, 'query');
    let query = ctx.database.db.selectFrom('agents');
    if (q.status) query = query.where('status', '=', q.status);
    const [rows, total] = await Promise.all([
      query.selectAll().orderBy('created_at', 'desc').orderBy('agent_id').limit(q.limit).offset(q.offset).execute(),
      query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    res.json({ items: rows.map(agentRow), total_count: Number(total.n), has_more: q.offset + rows.length < Number(total.n) });
  });

  router.get('/agents/:agent_id', requireRole('operator', 'moderator', 'viewer', 'service'), async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const row = await ctx.database.db.selectFrom('agents').selectAll().where('agent_id', '=', agentId).executeTakeFirst();
    if (!row) throw new ApiError(404, 'not_found', `agent ${agentId} not found (new agents appear here once projected)`);
    const campaigns = await ctx.database.db.selectFrom('campaigns').selectAll().where('agent_id', '=', agentId).orderBy('created_at').execute();
    res.json({ ...agentRow(row), campaigns: campaigns.map((c) => ({ ...c, created_at: iso(c.created_at), updated_at: iso(c.updated_at) })) });
  });

  return router;
}

const iso = (d: Date | string) => new Date(d).toISOString();

function agentRow(row: { created_at: Date | string; updated_at: Date | string; persona_config: Record<string, unknown> } & Record<string, unknown>) {
  const { soul_md: _soul, ...persona } = row.persona_config;
  return { ...row, persona_config: persona, created_at: iso(row.created_at), updated_at: iso(row.updated_at) };
}
