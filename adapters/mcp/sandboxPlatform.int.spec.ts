import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { JOURNAL_FILE } from './sandboxJournal.ts';
import { SandboxPlatform } from './sandboxPlatform.ts';

const HOUR = 3_600_000;
const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chimera-sandbox-'));
  dirs.push(dir);
  return dir;
}

function clock(start = Date.UTC(2026, 1, 6, 10)) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

const post = (key: string, text: string) => ({ agentId: 'aria', platform: 'threads' as const, text, disclosureLevel: 'automated' as const, idempotencyKey: key });

describe('sandbox platform journal', () => {
  it('keeps posts and replies across a reopen, and idempotency with them', () => {
    const dir = tempDir();
    const time = clock();
    const first = SandboxPlatform.open({ store: dir, seed: 42, now: time.now });
    const posted = first.post(post('task-1', 'hello'));
    time.advance(2 * HOUR);
    const mention = first.mentions('aria')[0]!;
    const replied = first.reply({ agentId: 'aria', platform: mention.platform, mentionId: mention.id, text: 'thanks', idempotencyKey: 'task-2' });
    assert.ok(posted.ok && replied.ok);
    const before = first.posts('aria');
    const openedAt = first.openedAt;
    first.close();

    time.advance(HOUR);
    const second = SandboxPlatform.open({ store: dir, seed: 42, now: time.now });
    assert.deepEqual(second.posts('aria'), before);
    assert.equal(second.openedAt, openedAt);
    assert.deepEqual(second.findByIdempotencyKey('task-2'), replied.post);
    const again = second.post(post('task-1', 'hello, second attempt'));
    assert.ok(again.ok);
    assert.equal(again.duplicate, true);
    assert.deepEqual(again.post, posted.post);
    const replyAgain = second.reply({ agentId: 'aria', platform: mention.platform, mentionId: mention.id, text: 'thanks', idempotencyKey: 'task-2' });
    assert.ok(replyAgain.ok && replyAgain.duplicate);
    const next = second.post(post('task-3', 'new'));
    assert.ok(next.ok && !next.duplicate);
    assert.equal(second.posts('aria').length, 3);
    // The same world after a reopen: mentions and engagement carry on from the stored opening.
    assert.deepEqual(second.mentions('aria', { since: openedAt, limit: 1 })[0], first.mentions('aria', { since: openedAt, limit: 1 })[0]);
    assert.ok(second.engagement(posted.post.platform_post_id).ok);
    second.close();

    const lines = readFileSync(join(dir, JOURNAL_FILE), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(lines.map((l) => l.type), ['opened', 'published', 'published', 'published']);
  });

  it('lets one platform own a directory at a time, and frees it on close', () => {
    const dir = tempDir();
    const time = clock();
    const owner = SandboxPlatform.open({ store: dir, seed: 'x', now: time.now });
    assert.throws(() => SandboxPlatform.open({ store: dir, seed: 'x', now: time.now }), /owned by process/);
    owner.close();
    assert.equal(existsSync(join(dir, 'sandbox-platform.lock')), false);
    SandboxPlatform.open({ store: dir, seed: 'x', now: time.now }).close();
  });

  it('refuses to reopen a journal with another seed', () => {
    const dir = tempDir();
    const time = clock();
    SandboxPlatform.open({ store: dir, seed: 'x', now: time.now }).close();
    assert.throws(() => SandboxPlatform.open({ store: dir, seed: 'y', now: time.now }), /seed "x"/);
    // The failed open left the directory free.
    SandboxPlatform.open({ store: dir, seed: 'x', now: time.now }).close();
  });

  it('drops a torn last line left by a crash and appends cleanly after it', () => {
    const dir = tempDir();
    const time = clock();
    const first = SandboxPlatform.open({ store: dir, seed: 7, now: time.now });
    assert.ok(first.post(post('task-1', 'kept')).ok);
    first.close();
    appendFileSync(join(dir, JOURNAL_FILE), '{"type":"published","post":{"post_id":"tor');

    const second = SandboxPlatform.open({ store: dir, seed: 7, now: time.now });
    assert.deepEqual(second.posts('aria').map((p) => p.text), ['kept']);
    assert.ok(second.post(post('task-2', 'after the crash')).ok);
    second.close();
    const third = SandboxPlatform.open({ store: dir, seed: 7, now: time.now });
    assert.deepEqual(third.posts('aria').map((p) => p.text), ['kept', 'after the crash']);
    third.close();
  });
});
