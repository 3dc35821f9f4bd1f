import { Router } from 'express';
import { sql } from 'kysely';
import { z } from 'zod';
import { ApiError } from '../apiError.ts';
import type { ApiContext } from '../apiContext.ts';
import { requireRole } from '../auth/requireRole.ts';
import { parseInput } from '../parseInput.ts';
import { agentIdSchema } from './agentIdSchema.ts';

// Seed 001 §3.1 GET /agents/{agent_id}/metrics, from the read models: posts, the latest
// engagement measurement of each (engagement_metrics), cost_events and judge_reviews. And the
// agent's posts with their latest engagement, for the dashboard.

const DAY = 86_400_000;
const PERIOD_DAYS = { last_7_days: 7, last_30_days: 30, all: null } as const;

const metricsQuery = z.strictObject({ period: z.enum(['last_7_days', 'last_30_days', 'all']).default('last_7_days') });
const postsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

// What the numbers cannot show yet, said beside them rather than left to be guessed.
const NOTES = {
  followers_gained: 'always 0: the sandbox platform has no followers to count',
  revenue_usd: 'always 0 until agents have wallets; roi is revenue_usd / spend_usd, 0 without spend',
  engagement_rate: "mean over the period's posts with views of (likes + comments + shares) / views, from each post's latest measurement",
  autonomy_rate: 'reviews auto-executed by the judge / reviews decided (by the judge or a human), in the period',
};

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function agentMetricsRoutes(ctx: ApiContext): Router {
  const router = Router();
  const db = ctx.database.db;
  const roles = requireRole('operator', 'moderator', 'viewer', 'service');
  const clock = () => (ctx.now ?? (() => new Date()))();

  const requireAgent = async (agentId: string) => {
    const row = await db.selectFrom('agents').select('agent_id').where('agent_id', '=', agentId).executeTakeFirst();
    if (!row) throw new ApiError(404, 'not_found', `agent ${agentId} not found (new agents appear here once projected)`);
  };

  // Each of the agent's posts (published since `since`) with its latest measurement, if any.
  const latestEngagement = (agentId: string, since: Date | null) => {
    let posts = db.selectFrom('posts').select('post_id').where('agent_id', '=', agentId);
    if (since) posts = posts.where('published_at', '>=', since);
    return db
      .selectFrom('engagement_metrics')
      .distinctOn('post_id')
      .select(['post_id', 'views', 'likes', 'comments', 'shares', 'measured_at'])
      .where('agent_id', '=', agentId)
      .where('post_id', 'in', posts)
      .orderBy('post_id')
      .orderBy('measured_at', 'desc');
  };

  router.get('/agents/:agent_id/metrics', roles, async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const { period } = parseInput(metricsQuery, req.query, 'query');
    await requireAgent(agentId);
    const days = PERIOD_DAYS[period];
    const since = days === null ? null : new Date(clock().getTime() - days * DAY);

    let posts = db.selectFrom('posts').select((eb) => eb.fn.countAll<string>().as('n')).where('agent_id', '=', agentId);
    if (since) posts = posts.where('published_at', '>=', since);
    let spend = db.selectFrom('cost_events').select((eb) => eb.fn.sum<string | null>('cost_amount').as('usd')).where('agent_id', '=', agentId);
    if (since) spend = spend.where('created_at', '>=', since);
    let reviews = db
      .selectFrom('judge_reviews')
      .select([
        sql<string>`count(*) FILTER (WHERE status = 'auto_executed')`.as('auto'),
        sql<string>`count(*)`.as('decided'),
      ])
      .where('agent_id', '=', agentId)
      .where('decided_at', 'is not', null);
    if (since) reviews = reviews.where('created_at', '>=', since);

    const [postCount, spent, reviewed, engagement] = await Promise.all([
      posts.executeTakeFirstOrThrow(),
      spend.executeTakeFirstOrThrow(),
      reviews.executeTakeFirstOrThrow(),
      latestEngagement(agentId, since).execute(),
    ]);
    const rates = engagement.filter((m) => m.views > 0).map((m) => (m.likes + m.comments + m.shares) / m.views);
    const spendUsd = round(Number(spent.usd ?? 0), 4);
    const revenueUsd = 0;
    const decided = Number(reviewed.decided);
    res.json({
      agent_id: agentId,
      period,
      metrics: {
        posts_created: Number(postCount.n),
        engagement_rate: rates.length > 0 ? round(rates.reduce((a, b) => a + b, 0) / rates.length, 4) : 0,
        followers_gained: 0,
        spend_usd: spendUsd,
        revenue_usd: revenueUsd,
        roi: spendUsd > 0 ? round(revenueUsd / spendUsd, 4) : 0,
        autonomy_rate: decided > 0 ? round(Number(reviewed.auto) / decided, 4) : 0,
      },
      period_start: iso(since),
      notes: NOTES,
    });
  });

  router.get('/agents/:agent_id/posts', roles, async (req, res) => {
    const agentId = parseInput(agentIdSchema, req.params.agent_id, 'agent_id');
    const q = parseInput(postsQuery, req.query, 'query');
    await requireAgent(agentId);
    const [rows, total] = await Promise.all([
      db
        .selectFrom('posts')
        .select(['post_id', 'task_id', 'campaign_id', 'asset_id', 'platform', 'platform_post_id', 'platform_url', 'text', 'status', 'disclosure_level', 'published_at', 'created_at'])
        .where('agent_id', '=', agentId)
        .orderBy('published_at', (o) => o.desc().nullsLast())
        .orderBy('post_id')
        .limit(q.limit)
        .offset(q.offset)
        .execute(),
      db.selectFrom('posts').select((eb) => eb.fn.countAll<string>().as('n')).where('agent_id', '=', agentId).executeTakeFirstOrThrow(),
    ]);
    const ids = rows.map((r) => r.post_id);
    const latest =
      ids.length === 0
        ? []
        : await db
            .selectFrom('engagement_metrics')
            .distinctOn('post_id')
            .select(['post_id', 'views', 'likes', 'comments', 'shares', 'engagement_delta', 'measured_at'])
            .where('post_id', 'in', ids)
            .orderBy('post_id')
            .orderBy('measured_at', 'desc')
            .execute();
    const byPost = new Map(latest.map((m) => [m.post_id, m]));
    res.json({
      agent_id: agentId,
      items: rows.map((r) => {
        const m = byPost.get(r.post_id);
        return {
          ...r,
          published_at: iso(r.published_at),
          created_at: iso(r.created_at),
          engagement: m
            ? {
                views: m.views,
                likes: m.likes,
                comments: m.comments,
                shares: m.shares,
                engagement_rate: m.views > 0 ? round((m.likes + m.comments + m.shares) / m.views, 4) : 0,
                engagement_delta: m.engagement_delta,
                measured_at: iso(m.measured_at),
              }
            : null,
        };
      }),
      total_count: Number(total.n),
      has_more: q.offset + rows.length < Number(total.n),
    });
  });

  return router;
}
