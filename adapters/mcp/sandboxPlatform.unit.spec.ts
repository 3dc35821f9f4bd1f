import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SandboxPlatform, PLATFORM_TEXT_LIMITS, PLATFORMS } from './sandboxPlatform.ts';
import { TREND_WINDOWS } from './sandboxTrends.ts';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 1, 6, 10, 0, 0);

// A platform on a clock the test moves by hand.
function sandbox(seed: string | number = 'alpha') {
  let t = START;
  const platform = SandboxPlatform.open({ store: 'memory', seed, now: () => new Date(t) });
  return { platform, advance: (ms: number) => (t += ms), at: () => t };
}

const postInput = (key: string, text = 'Sunrise pour-over at the market') => ({
  agentId: 'aria', platform: 'twitter' as const, text, disclosureLevel: 'automated' as const, idempotencyKey: key,
});

// The same steps on a platform: a post, time passing, a reply, more time; what it shows after.
function worldAfterSteps(seed: string) {
  const { platform, advance } = sandbox(seed);
  const posted = platform.post(postInput('task-1'));
  assert.ok(posted.ok);
  advance(3 * HOUR);
  const mention = platform.mentions('aria', { since: platform.openedAt })[0]!;
  platform.reply({ agentId: 'aria', platform: mention.platform, mentionId: mention.id, text: 'Thank you!', idempotencyKey: 'task-2' });
  advance(5 * HOUR);
  return {
    posts: platform.posts('aria'),
    mentions: platform.mentions('aria', { since: platform.openedAt, limit: 500 }),
    engagement: platform.engagement(posted.post.platform_post_id),
    trends: PLATFORMS.map((p) => platform.trends(p, { window: '24h' })),
  };
}

describe('sandbox platform determinism', () => {
  it('gives the same mentions, engagement and trends for the same seed and clock steps', () => {
    const first = worldAfterSteps('alpha');
    const second = worldAfterSteps('alpha');
    assert.ok(first.mentions.length > 10, `enough mentions to compare: ${first.mentions.length}`);
    assert.deepEqual(second, first);
  });

  it('gives a different world for a different seed', () => {
    const alpha = worldAfterSteps('alpha');
    const beta = worldAfterSteps('beta');
    assert.notDeepEqual(beta.mentions.map((m) => [m.created_at, m.text]), alpha.mentions.map((m) => [m.created_at, m.text]));
    assert.notDeepEqual(beta.engagement, alpha.engagement);
    assert.notDeepEqual(beta.trends, alpha.trends);
  });
});

describe('sandbox platform publishing', () => {
  it('publishes once per idempotency key', () => {
    const { platform, advance } = sandbox();
    const first = platform.post(postInput('task-1'));
    advance(60_000);
    const again = platform.post(postInput('task-1', 'A different text after a crash'));
    assert.ok(first.ok && again.ok);
    assert.equal(first.duplicate, false);
    assert.equal(again.duplicate, true);
    assert.deepEqual(again.post, first.post);
    assert.equal(platform.posts('aria').length, 1);
    assert.deepEqual(platform.findByIdempotencyKey('task-1'), first.post);
    assert.equal(platform.findByIdempotencyKey('task-unknown'), null);
    const other = platform.post(postInput('task-2'));
    assert.ok(other.ok && !other.duplicate);
    assert.notEqual(other.post.platform_post_id, first.post.platform_post_id);
    assert.equal(platform.posts('aria').length, 2);
  });

  it('stores the post with its URL and disclosure label', () => {
    const { platform } = sandbox();
    const posted = platform.post({ ...postInput('task-1'), disclosureLevel: 'assisted', mediaUrls: ['https://sandbox.chimera.local/media/x.png'] });
    assert.ok(posted.ok);
    const { post } = posted;
    assert.equal(post.url, `https://sandbox.chimera.local/twitter/aria/${post.platform_post_id}`);
    assert.equal(post.published_at, new Date(START).toISOString());
    assert.equal(post.disclosure_level, 'assisted');
    assert.equal(post.disclosure_label, 'AI-assisted');
    assert.deepEqual(post.media_urls, ['https://sandbox.chimera.local/media/x.png']);
    assert.match(post.post_id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('replies to a mention once per idempotency key, and refuses unknown mentions', () => {
    const { platform, advance } = sandbox();
    advance(2 * HOUR);
    const mention = platform.mentions('aria')[0]!;
    const reply = { agentId: 'aria', platform: mention.platform, mentionId: mention.id, text: 'Thanks!', idempotencyKey: 'reply-1' };
    const first = platform.reply(reply);
    const again = platform.reply(reply);
    assert.ok(first.ok && again.ok);
    assert.equal(again.duplicate, true);
    assert.equal(first.post.kind, 'reply');
    assert.deepEqual(first.post.in_reply_to, { mention_id: mention.id, author: mention.author, text: mention.text });
    assert.equal(platform.posts('aria').length, 1);

    const unknown = platform.reply({ ...reply, mentionId: 'twitter-1-0000000000', idempotencyKey: 'reply-2' });
    assert.equal(!unknown.ok && unknown.error.code, 'mention_not_found');
    const otherAgent = platform.reply({ ...reply, agentId: 'bruno', idempotencyKey: 'reply-3' });
    assert.equal(!otherAgent.ok && otherAgent.error.code, 'mention_not_found');
    const otherPlatform = PLATFORMS.find((p) => p !== mention.platform)!;
    const wrongPlatform = platform.reply({ ...reply, platform: otherPlatform, idempotencyKey: 'reply-4' });
    assert.equal(!wrongPlatform.ok && wrongPlatform.error.code, 'mention_not_found');
    const reused = platform.post(postInput('reply-1'));
    assert.equal(!reused.ok && reused.error.code, 'idempotency_key_conflict');
    assert.equal(platform.posts('aria').length, 1);
  });

  it('refuses text over the platform limit, counted in code points', () => {
    const { platform } = sandbox();
    assert.deepEqual(PLATFORM_TEXT_LIMITS, { twitter: 280, threads: 500, instagram: 2_200, tiktok: 2_200 });
    for (const p of PLATFORMS) {
      const limit = PLATFORM_TEXT_LIMITS[p];
      // Each emoji is one code point and two UTF-16 units.
      const fits = platform.post({ ...postInput(`${p}-fits`), platform: p, text: '🌞'.repeat(limit) });
      assert.ok(fits.ok, `${p}: ${limit} code points fit`);
      const over = platform.post({ ...postInput(`${p}-over`), platform: p, text: 'a'.repeat(limit + 1) });
      assert.ok(!over.ok);
      assert.equal(over.error.code, 'platform_limit_exceeded');
      assert.match(over.error.message, new RegExp(`${p} allows ${limit}`));
      assert.equal(platform.findByIdempotencyKey(`${p}-over`), null);
    }
    assert.equal(platform.posts('aria').length, PLATFORMS.length);
    const empty = platform.post(postInput('empty', '   '));
    assert.equal(!empty.ok && empty.error.code, 'empty_text');
  });
});

describe('sandbox platform simulation', () => {
  it('grows engagement with the time since publishing', () => {
    const { platform, advance } = sandbox();
    const posted = platform.post(postInput('task-1'));
    assert.ok(posted.ok);
    const readings = [0, HOUR, 6 * HOUR, 48 * HOUR].map((step) => {
      advance(step);
      const result = platform.engagement(posted.post.platform_post_id);
      assert.ok(result.ok);
      return result.engagement;
    });
    assert.equal(readings[0]!.views, 0);
    for (let i = 1; i < readings.length; i++) {
      assert.ok(readings[i]!.views > readings[i - 1]!.views, `views grow: ${readings.map((r) => r.views)}`);
      for (const counter of ['likes', 'comments', 'shares'] as const) assert.ok(readings[i]![counter] >= readings[i - 1]![counter]);
    }
    assert.ok(readings[3]!.likes > 0);
    assert.equal(readings[3]!.measured_at, new Date(START + 55 * HOUR).toISOString());
    const missing = platform.engagement('404');
    assert.equal(!missing.ok && missing.error.code, 'post_not_found');
  });

  it('sends sensitive mentions and prompt-injection attempts within a simulated day, for every seed tried', () => {
    for (const seed of [1, 2, 3, 'gamma', 'delta']) {
      const { platform, advance } = sandbox(seed);
      advance(24 * HOUR);
      const mentions = platform.mentions('aria', { since: platform.openedAt, limit: 10_000 });
      const kinds = new Set(mentions.map((m) => m.kind));
      assert.deepEqual([...kinds].sort(), ['fan', 'injection', 'question', 'sensitive'], `seed ${seed}`);
      const injections = mentions.filter((m) => m.kind === 'injection');
      assert.ok(injections.every((m) => /ignore|SYSTEM|instructions/i.test(m.text)));
      assert.ok(mentions.every((m) => Date.parse(m.created_at) >= START && Date.parse(m.created_at) <= START + 24 * HOUR));
    }
  });

  it('pages mentions with since and limit, and defaults to the last hour', () => {
    const { platform, advance, at } = sandbox();
    advance(6 * HOUR);
    const all = platform.mentions('aria', { since: platform.openedAt, limit: 10_000 });
    const paged = [];
    let since = platform.openedAt;
    for (;;) {
      const page = platform.mentions('aria', { since, limit: 5 });
      if (page.length === 0) break;
      assert.ok(page.length <= 5);
      paged.push(...page);
      since = page[page.length - 1]!.created_at;
    }
    assert.deepEqual(paged, all);
    const lastHour = platform.mentions('aria', { limit: 10_000 });
    assert.deepEqual(lastHour, all.filter((m) => Date.parse(m.created_at) > at() - HOUR));
    assert.ok(lastHour.length > 0 && lastHour.length < all.length);
    assert.ok(platform.mentions('aria', { platform: 'tiktok', since: platform.openedAt }).every((m) => m.platform === 'tiktok'));
  });

  it('shows trends scored 0..1 and detected within the window', () => {
    const { platform, advance, at } = sandbox();
    advance(90 * 24 * HOUR);
    const windowMs = { '1h': HOUR, '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR };
    for (const window of TREND_WINDOWS) {
      const trends = platform.trends('tiktok', { window });
      assert.ok(trends.length > 0);
      for (const trend of trends) {
        assert.ok(trend.trend_score >= 0 && trend.trend_score <= 1);
        const detected = Date.parse(trend.detected_at);
        assert.ok(detected <= at() && detected >= at() - windowMs[window], `${window}: ${trend.detected_at}`);
      }
      const scores = trends.map((t) => t.trend_score);
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    }
    const coffee = platform.trends('instagram', { query: 'coffee' });
    assert.ok(coffee.length > 0 && coffee.every((t) => /coffee/i.test(t.topic + t.sample_content)));
    assert.ok(coffee.some((t) => t.topic === '#EthiopianCoffee'));
  });

  it('remembers an agent\'s recent posts and the mentions it replied to', () => {
    const { platform, advance } = sandbox();
    platform.post(postInput('task-1', 'first'));
    advance(2 * HOUR);
    const mention = platform.mentions('aria')[0]!;
    platform.reply({ agentId: 'aria', platform: mention.platform, mentionId: mention.id, text: 'thanks', idempotencyKey: 'reply-1' });
    platform.post(postInput('task-2', 'second'));
    const memory = platform.memory('aria');
    assert.deepEqual(memory.recent_posts.map((p) => p.text), ['second', 'first']);
    assert.deepEqual(memory.replied_mentions.map((m) => [m.mention_id, m.text, m.reply_text]), [[mention.id, mention.text, 'thanks']]);
    assert.deepEqual(platform.memory('nobody'), { agent_id: 'nobody', recent_posts: [], replied_mentions: [] });
    assert.deepEqual(platform.agents(), ['aria']);
  });
});
