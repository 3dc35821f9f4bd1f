import type { Platform } from '../models/modelPort.ts';
import { engagementOf, type SandboxEngagement } from './sandboxEngagement.ts';
import { openSandboxJournal, type SandboxJournal } from './sandboxJournal.ts';
import { findMention, mentionsBetween, type SandboxMention } from './sandboxMentions.ts';
import { trendsAt, type SandboxTrend, type TrendWindow } from './sandboxTrends.ts';
import { sha256Hex } from './seededRandom.ts';

// The sandbox social platform: the stand-in for Twitter, Instagram, Threads and TikTok that
// Chimera's workers reach through MCP. It keeps what a real platform would (published posts
// and replies, keyed by idempotency key) in its own journal, and simulates the rest (mentions,
// engagement, trends) from a seed and an injected clock, so that runs are reproducible.

export const PLATFORMS = ['twitter', 'instagram', 'threads', 'tiktok'] as const satisfies readonly Platform[];
export const PLATFORM_TEXT_LIMITS: Record<Platform, number> = { twitter: 280, threads: 500, instagram: 2_200, tiktok: 2_200 };

export type DisclosureLevel = 'automated' | 'assisted' | 'none';
const DISCLOSURE_LABELS: Record<DisclosureLevel, string | null> = { automated: 'AI-generated', assisted: 'AI-assisted', none: null };

export type SandboxPost = {
  post_id: string;
  platform_post_id: string;
  agent_id: string;
  platform: Platform;
  kind: 'post' | 'reply';
  text: string;
  media_urls: string[];
  url: string;
  published_at: string;
  disclosure_level: DisclosureLevel;
  // What the platform shows next to the post.
  disclosure_label: string | null;
  idempotency_key: string;
  in_reply_to: { mention_id: string; author: string; text: string } | null;
};

export type SandboxFailureCode = 'platform_limit_exceeded' | 'empty_text' | 'idempotency_key_conflict' | 'mention_not_found' | 'post_not_found';
export type SandboxFailure = { code: SandboxFailureCode; message: string; details?: Record<string, unknown> };
export type PublishResult = { ok: true; post: SandboxPost; duplicate: boolean } | { ok: false; error: SandboxFailure };
export type EngagementResult = { ok: true; engagement: SandboxEngagement } | { ok: false; error: SandboxFailure };

export type PostInput = { agentId: string; platform: Platform; text: string; mediaUrls?: string[]; disclosureLevel: DisclosureLevel; idempotencyKey: string };
export type ReplyInput = { agentId: string; platform: Platform; mentionId: string; text: string; idempotencyKey: string; disclosureLevel?: DisclosureLevel };

export type AgentMemory = {
  agent_id: string;
  recent_posts: Pick<SandboxPost, 'post_id' | 'platform_post_id' | 'platform' | 'text' | 'url' | 'published_at'>[];
  replied_mentions: { mention_id: string; platform: Platform; author: string; text: string; reply_text: string; reply_post_id: string; replied_at: string }[];
};

export type SandboxPlatformOptions = {
  // A directory for the journal (one process owns it), or 'memory'.
  store: 'memory' | string;
  seed: string | number;
  now: () => Date;
  // Agents known before they publish anything (listed as resources).
  agents?: string[];
};

type JournalEntry = { type: 'opened'; v: 1; seed: string; at: string } | { type: 'published'; post: SandboxPost };

const MEMORY_ITEMS = 10;
const HOUR = 3_600_000;

export class SandboxPlatform {
  readonly seed: string;
  // The world's first instant: nothing is mentioned before it.
  readonly openedAt: string;
  private readonly byKey = new Map<string, SandboxPost>();
  private readonly byPlatformPostId = new Map<string, SandboxPost>();
  private readonly byAgent = new Map<string, SandboxPost[]>();
  private published = 0;

  private constructor(
    private readonly journal: SandboxJournal<JournalEntry>,
    private readonly now: () => Date,
    seed: string,
    agents: string[],
  ) {
    this.seed = seed;
    for (const agent of agents) this.byAgent.set(agent, []);
    let opened: string | null = null;
    for (const entry of journal.replayed) {
      if (entry.type === 'opened') {
        if (entry.seed !== seed) throw new Error(`sandbox journal was made with seed ${JSON.stringify(entry.seed)}, not ${JSON.stringify(seed)}`);
        opened = entry.at;
      } else this.remember(entry.post);
    }
    if (opened === null) {
      opened = now().toISOString();
      journal.append({ type: 'opened', v: 1, seed, at: opened });
    }
    this.openedAt = opened;
  }

  static open(options: SandboxPlatformOptions): SandboxPlatform {
    const journal = openSandboxJournal<JournalEntry>(options.store);
    try {
      return new SandboxPlatform(journal, options.now, String(options.seed), options.agents ?? []);
    } catch (error) {
      journal.close(); // a refused journal leaves the directory free
      throw error;
    }
  }

  close(): void {
    this.journal.close();
  }

  // The platform's clock, as it stamps what it returns.
  currentTime(): string {
    return this.now().toISOString();
  }

  post(input: PostInput): PublishResult {
    return this.publish({ ...input, kind: 'post', inReplyTo: null });
  }

  reply(input: ReplyInput): PublishResult {
    const existing = this.byKey.get(input.idempotencyKey);
    // A retried reply finds its first publication even if the mention left the time window.
    if (existing) return this.publish({ ...input, kind: 'reply', disclosureLevel: input.disclosureLevel ?? 'automated', inReplyTo: existing.in_reply_to });
    const mention = findMention(this.seed, input.agentId, input.mentionId, Date.parse(this.openedAt), this.now().getTime());
    if (!mention || mention.platform !== input.platform) {
      return { ok: false, error: { code: 'mention_not_found', message: `no mention ${input.mentionId} of agent ${input.agentId} on ${input.platform}` } };
    }
    return this.publish({
      ...input,
      kind: 'reply',
      disclosureLevel: input.disclosureLevel ?? 'automated',
      inReplyTo: { mention_id: mention.id, author: mention.author, text: mention.text },
    });
  }

  findByIdempotencyKey(key: string): SandboxPost | null {
    return this.byKey.get(key) ?? null;
  }

  posts(agentId: string): SandboxPost[] {
    return [...(this.byAgent.get(agentId) ?? [])];
  }

  // Agents that have published or were named at open, in the order first seen.
  agents(): string[] {
    return [...this.byAgent.keys()];
  }

  // Mentions created after `since` (default: the last hour), oldest first, at most `limit`.
  mentions(agentId: string, options: { since?: string; limit?: number; platform?: Platform } = {}): SandboxMention[] {
    const nowMs = this.now().getTime();
    const sinceMs = options.since === undefined ? nowMs - HOUR : Date.parse(options.since);
    if (Number.isNaN(sinceMs)) throw new RangeError(`since is not a date: ${options.since}`);
    const fromMs = Math.max(sinceMs, Date.parse(this.openedAt) - 1);
    const platforms = options.platform ? [options.platform] : PLATFORMS;
    return mentionsBetween(this.seed, agentId, platforms, fromMs, nowMs).slice(0, options.limit ?? 50);
  }

  engagement(platformPostId: string): EngagementResult {
    const post = this.byPlatformPostId.get(platformPostId);
    if (!post) return { ok: false, error: { code: 'post_not_found', message: `no post ${platformPostId}` } };
    return { ok: true, engagement: engagementOf(this.seed, post, this.now().getTime()) };
  }

  trends(platform: Platform, options: { query?: string; window?: TrendWindow } = {}): SandboxTrend[] {
    return trendsAt(this.seed, platform, options.window ?? '24h', this.now().getTime(), options.query);
  }

  memory(agentId: string): AgentMemory {
    const posts = this.byAgent.get(agentId) ?? [];
    const newest = [...posts].reverse();
    return {
      agent_id: agentId,
      recent_posts: newest.filter((p) => p.kind === 'post').slice(0, MEMORY_ITEMS)
        .map(({ post_id, platform_post_id, platform, text, url, published_at }) => ({ post_id, platform_post_id, platform, text, url, published_at })),
      replied_mentions: newest.filter((p) => p.in_reply_to !== null).slice(0, MEMORY_ITEMS).map((p) => ({
        mention_id: p.in_reply_to!.mention_id,
        platform: p.platform,
        author: p.in_reply_to!.author,
        text: p.in_reply_to!.text,
        reply_text: p.text,
        reply_post_id: p.post_id,
        replied_at: p.published_at,
      })),
    };
  }

  private publish(input: PostInput & { kind: SandboxPost['kind']; inReplyTo: SandboxPost['in_reply_to'] }): PublishResult {
    const existing = this.byKey.get(input.idempotencyKey);
    if (existing) {
      if (existing.kind !== input.kind || existing.agent_id !== input.agentId || existing.platform !== input.platform) {
        return {
          ok: false,
          error: {
            code: 'idempotency_key_conflict',
            message: `idempotency key ${input.idempotencyKey} was used for a ${existing.kind} of ${existing.agent_id} on ${existing.platform}`,
            details: { post_id: existing.post_id },
          },
        };
      }
      return { ok: true, post: existing, duplicate: true };
    }
    const length = [...input.text].length;
    const limit = PLATFORM_TEXT_LIMITS[input.platform];
    if (input.text.trim() === '') return { ok: false, error: { code: 'empty_text', message: 'text is empty' } };
    if (length > limit) {
      return {
        ok: false,
        error: { code: 'platform_limit_exceeded', message: `${input.platform} allows ${limit} characters, text has ${length}`, details: { limit, length } },
      };
    }
    const nowMs = this.now().getTime();
    const sequence = this.published;
    // Snowflake-like: time, then a sequence number, so ids are unique and sort by time.
    const platformPostId = String(BigInt(nowMs) * 1_000_000n + BigInt(sequence % 1_000_000));
    const post: SandboxPost = {
      post_id: uuidFrom(sha256Hex(this.seed, 'post', platformPostId)),
      platform_post_id: platformPostId,
      agent_id: input.agentId,
      platform: input.platform,
      kind: input.kind,
      text: input.text,
      media_urls: input.mediaUrls ?? [],
      url: `https://sandbox.chimera.local/${input.platform}/${encodeURIComponent(input.agentId)}/${platformPostId}`,
      published_at: new Date(nowMs).toISOString(),
      disclosure_level: input.disclosureLevel,
      disclosure_label: DISCLOSURE_LABELS[input.disclosureLevel],
      idempotency_key: input.idempotencyKey,
      in_reply_to: input.inReplyTo,
    };
    // Written (and synced) before anyone is told: what the platform acknowledged, it keeps.
    this.journal.append({ type: 'published', post });
    this.remember(post);
    return { ok: true, post, duplicate: false };
  }

  private remember(post: SandboxPost): void {
    this.published++;
    this.byKey.set(post.idempotency_key, post);
    this.byPlatformPostId.set(post.platform_post_id, post);
    const list = this.byAgent.get(post.agent_id);
    if (list) list.push(post);
    else this.byAgent.set(post.agent_id, [post]);
  }
}

// A version-8 (custom) UUID made of the hash, so post ids look like the seed's UUIDs.
function uuidFrom(hex: string): string {
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
