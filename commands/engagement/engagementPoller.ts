import { z } from 'zod';
import type { Database } from '../../adapters/database/database.ts';
import type { Actor, EventStore, NewEvent } from '../../adapters/eventstore/eventStore.ts';
import type { McpFailure, McpToolClient } from '../../adapters/mcp/mcpToolClient.ts';
import {
  ENGAGEMENT_EVENT_SCHEMA_VERSION,
  engagementMeasuredSchema,
  interactionsOf,
  type EngagementMeasured,
} from '../../domain/engagement/engagementEvents.ts';
import { nameBasedUuid } from '../nameBasedUuid.ts';
import { engagementStreamOf } from './engagementStream.ts';
import { PeriodicRounds } from '../periodicRounds.ts';

// Seed 000 §4 (data flow 3): engagement is ingested by polling the platforms. Every round
// measures the recently published posts whose last measurement is oldest, through the MCP
// resource `mcp://{platform}/engagement/{platform_post_id}`, and records what changed as
// EngagementMeasured in `engagement-<agent_id>`.

export type EngagementPollerOptions = {
  intervalMs: number;
  // Posts published longer ago than this are no longer measured (default 7 days).
  windowMs?: number;
  // At most this many posts per round (default 100), so a round stays short.
  postsPerRound?: number;
  // Deadline of one resource read (default 10 s).
  readTimeoutMs?: number;
  // A post the platform could not measure (unknown to it, bad answer) is left alone this long
  // (default 1 hour), so that it does not take a place in every round.
  retryFailedMs?: number;
  now?: () => Date;
  actor?: Actor;
  onError?: (error: unknown) => void;
};

export type PollReport = {
  // Posts looked at this round.
  posts: number;
  appended: number;
  unchanged: number;
  // Agents whose append lost to another poller; their posts come round again.
  conflicts: number;
  failures: { post_id: string; code: string; message: string }[];
  // Set when the MCP server could not be reached: the rest of the round was left for later.
  interrupted: McpFailure | null;
};

type DuePost = { post_id: string; agent_id: string; platform: string; platform_post_id: string };
// What this process knows of one agent's engagement stream: its revision and, per post, the
// last measurement in it. Caught up from the stream before each use, so it stays right when
// other pollers append too.
type KnownStream = { revision: number; last: Map<string, EngagementMeasured> };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STREAM_PAGE = 1_000;

// What the platform reports; it may say more (the sandbox adds ids and the agent).
const platformCountersSchema = z.object({
  views: z.number().int().nonnegative(),
  likes: z.number().int().nonnegative(),
  comments: z.number().int().nonnegative(),
  shares: z.number().int().nonnegative(),
  measured_at: z.iso.datetime({ offset: true }),
});

const sameCounters = (a: EngagementMeasured, b: z.infer<typeof platformCountersSchema>) =>
  a.views === b.views && a.likes === b.likes && a.comments === b.comments && a.shares === b.shares;

export class EngagementPoller {
  private readonly rounds: PeriodicRounds;
  private readonly known = new Map<string, KnownStream>();
  // Posts whose last measurement failed, and when.
  private readonly failedAt = new Map<string, number>();
  private readonly now: () => Date;
  private readonly actor: Actor;

  constructor(
    private readonly database: Database,
    private readonly store: EventStore,
    private readonly tools: McpToolClient,
    private readonly options: EngagementPollerOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.actor = options.actor ?? { sub: 'chimera-engagement', role: 'service' };
    this.rounds = new PeriodicRounds(() => this.poll(), options.intervalMs, options.onError);
  }

  start(): void {
    this.rounds.start();
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  async poll(): Promise<PollReport> {
    const report: PollReport = { posts: 0, appended: 0, unchanged: 0, conflicts: 0, failures: [], interrupted: null };
    const due = await this.duePosts();
    report.posts = due.length;
    const byAgent = new Map<string, DuePost[]>();
    for (const post of due) byAgent.set(post.agent_id, [...(byAgent.get(post.agent_id) ?? []), post]);

    for (const [agentId, posts] of byAgent) {
      const known = await this.catchUp(agentId);
      const measured: EngagementMeasured[] = [];
      for (const post of posts) {
        const outcome = await this.measure(post, known.last.get(post.post_id));
        if (outcome.kind === 'unreachable') {
          report.interrupted = outcome.error;
          break;
        }
        if (outcome.kind === 'failed') {
          report.failures.push({ post_id: post.post_id, code: outcome.code, message: outcome.message });
          this.failedAt.set(post.post_id, this.now().getTime());
          continue;
        }
        this.failedAt.delete(post.post_id);
        if (outcome.kind === 'unchanged') report.unchanged++;
        else measured.push(outcome.event);
      }
      if (measured.length > 0) {
        if (await this.append(agentId, known, measured)) report.appended += measured.length;
        else report.conflicts++;
      }
      if (report.interrupted) break;
    }
    this.forgetOld();
    return report;
  }

  // Published posts of the window, never measured first, then the longest unmeasured. The
  // order comes from the read model (a hint: lagging only reorders); what counts as changed
  // comes from the stream itself.
  private async duePosts(): Promise<DuePost[]> {
    const nowMs = this.now().getTime();
    const since = new Date(nowMs - (this.options.windowMs ?? 7 * DAY));
    const retryMs = this.options.retryFailedMs ?? HOUR;
    const resting = [...this.failedAt].filter(([, at]) => nowMs - at < retryMs).map(([postId]) => postId);
    let query = this.database.db
      .selectFrom('posts as p')
      .select((eb) => [
        'p.post_id',
        'p.agent_id',
        'p.platform',
        'p.platform_post_id',
        eb.selectFrom('engagement_metrics as m').select((m) => m.fn.max('m.measured_at').as('at')).whereRef('m.post_id', '=', 'p.post_id').as('last_measured_at'),
      ])
      .where('p.status', '=', 'published')
      .where('p.platform_post_id', 'is not', null)
      .where('p.published_at', '>=', since);
    if (resting.length > 0) query = query.where('p.post_id', 'not in', resting);
    const rows = await query
      .orderBy('last_measured_at', (o) => o.asc().nullsFirst())
      .orderBy('p.published_at')
      .orderBy('p.post_id')
      .limit(this.options.postsPerRound ?? 100)
      .execute();
    return rows.map((r) => ({ post_id: r.post_id, agent_id: r.agent_id, platform: r.platform, platform_post_id: r.platform_post_id! }));
  }

  private async catchUp(agentId: string): Promise<KnownStream> {
    const known = this.known.get(agentId) ?? { revision: 0, last: new Map<string, EngagementMeasured>() };
    this.known.set(agentId, known);
    for (;;) {
      const { events, currentVersion } = await this.store.readStream(engagementStreamOf(agentId), { from: known.revision + 1, maxCount: STREAM_PAGE });
      for (const event of events) {
        if (event.type === 'EngagementMeasured') {
          const data = event.data as EngagementMeasured;
          known.last.set(data.post_id, data);
        }
        known.revision = event.streamPosition;
      }
      if (events.length === 0 || known.revision >= currentVersion) return known;
    }
  }

  private async measure(
    post: DuePost,
    previous: EngagementMeasured | undefined,
  ): Promise<
    | { kind: 'measured'; event: EngagementMeasured }
    | { kind: 'unchanged' }
    | { kind: 'failed'; code: string; message: string }
    | { kind: 'unreachable'; error: McpFailure }
  > {
    const uri = `mcp://${post.platform}/engagement/${encodeURIComponent(post.platform_post_id)}`;
    const read = await this.tools.readResource(uri, { timeoutMs: this.options.readTimeoutMs ?? 10_000 });
    if (!read.ok) {
      if (read.error.code === 'E1002' || read.error.code === 'E2001') return { kind: 'unreachable', error: read.error };
      return { kind: 'failed', code: read.error.code, message: read.error.message };
    }
    const counters = platformCountersSchema.safeParse(read.json);
    if (!counters.success) return { kind: 'failed', code: 'invalid_content', message: `${uri}: ${counters.error.message}` };
    const now = counters.data;
    if (previous && sameCounters(previous, now)) return { kind: 'unchanged' };
    // A stale answer (the platform's clock behind our last reading) would make a negative
    // delta out of nothing: not recorded.
    if (previous && Date.parse(now.measured_at) <= Date.parse(previous.measured_at)) return { kind: 'unchanged' };
    const measured_at = new Date(now.measured_at).toISOString();
    const event = engagementMeasuredSchema.safeParse({
      // The same post measured at the same instant is the same measurement.
      metric_id: nameBasedUuid(`engagement:${post.post_id}:${measured_at}`),
      post_id: post.post_id,
      platform: post.platform,
      platform_post_id: post.platform_post_id,
      views: now.views,
      likes: now.likes,
      comments: now.comments,
      shares: now.shares,
      engagement_delta: interactionsOf(now) - (previous ? interactionsOf(previous) : 0),
      measured_at,
    });
    if (!event.success) return { kind: 'failed', code: 'invalid_measurement', message: `${uri}: ${event.error.message}` };
    return { kind: 'measured', event: event.data };
  }

  // Appends at the revision the deltas were computed against: if another poller appended in
  // between, this append is refused rather than recording the same change twice.
  private async append(agentId: string, known: KnownStream, measured: EngagementMeasured[]): Promise<boolean> {
    const events: NewEvent[] = measured.map((data) => ({
      type: 'EngagementMeasured',
      data,
      schemaVersion: ENGAGEMENT_EVENT_SCHEMA_VERSION,
      metadata: { actor: this.actor, correlationId: `engagement:${agentId}`, causationId: null },
    }));
    const result = await this.store.appendToStream(engagementStreamOf(agentId), events, { expectedRevision: known.revision });
    if (!result.ok) return false;
    known.revision = result.nextExpectedVersion;
    for (const data of measured) known.last.set(data.post_id, data);
    return true;
  }

  // Posts measured last long before the window are not measured again: their entries go.
  // (Twice the window: a post inside it was measured after it was published, so within it.)
  private forgetOld(): void {
    const before = this.now().getTime() - 2 * (this.options.windowMs ?? 7 * DAY);
    for (const [postId, at] of this.failedAt) if (at < before) this.failedAt.delete(postId);
    for (const known of this.known.values()) {
      for (const [postId, last] of known.last) if (Date.parse(last.measured_at) < before) known.last.delete(postId);
    }
  }
}
