import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentPolicySchema, defaultContentPolicy, resolveContentPolicy } from './contentPolicy.ts';
import type { ContentPolicy } from './contentPolicy.ts';

function resolved(overrides: unknown): ContentPolicy {
  const resolution = resolveContentPolicy(overrides);
  if (!resolution.ok) assert.fail(`expected a policy, got ${resolution.error.message}`);
  return resolution.policy;
}

function refusal(overrides: unknown) {
  const resolution = resolveContentPolicy(overrides);
  if (resolution.ok) assert.fail('expected the policy to be refused');
  assert.equal(resolution.error.code, 'content_policy_invalid');
  return resolution.error;
}

describe('defaultContentPolicy', () => {
  it('has the documented defaults', () => {
    assert.equal(defaultContentPolicy.autoExecuteThreshold, 0.9);
    assert.equal(defaultContentPolicy.retryBelow, 0.7);
    assert.deepEqual(defaultContentPolicy.platformLimits, { twitter: 280, threads: 500, instagram: 2200, tiktok: 2200 });
    assert.equal(defaultContentPolicy.requireDisclosure, true);
    assert.equal(defaultContentPolicy.duplicateSimilarity, 0.85);
    assert.equal(defaultContentPolicy.maxWordCount, 280);
    assert.deepEqual(Object.keys(defaultContentPolicy.sensitiveTopics), ['politics', 'health', 'religion', 'finance', 'legal', 'tragedy']);
  });

  it('passes its own schema', () => {
    assert.ok(contentPolicySchema.safeParse(defaultContentPolicy).success);
  });

  it('survives a JSON round trip unchanged', () => {
    assert.deepEqual(resolved(JSON.parse(JSON.stringify(defaultContentPolicy))), defaultContentPolicy);
  });

  it('cannot be changed by one judgement for the next', () => {
    assert.throws(() => {
      (defaultContentPolicy.prohibitedKeywords as string[]).push('oops');
    }, TypeError);
    assert.throws(() => {
      (defaultContentPolicy.platformLimits as { twitter: number }).twitter = 1;
    }, TypeError);
  });
});

describe('resolveContentPolicy', () => {
  it('given no overrides, is the default policy', () => {
    assert.deepEqual(resolved(undefined), defaultContentPolicy);
    assert.deepEqual(resolved({}), defaultContentPolicy);
  });

  it('given HITL_CONFIDENCE_THRESHOLD, sets the auto-execute threshold and keeps the rest', () => {
    const policy = resolved({ autoExecuteThreshold: Number('0.8') });
    assert.equal(policy.autoExecuteThreshold, 0.8);
    assert.equal(policy.retryBelow, 0.7);
    assert.deepEqual(policy.prohibitedKeywords, defaultContentPolicy.prohibitedKeywords);
  });

  it('merges platform limits one platform at a time', () => {
    assert.deepEqual(resolved({ platformLimits: { tiktok: 4000 } }).platformLimits, {
      twitter: 280,
      threads: 500,
      instagram: 2200,
      tiktok: 4000,
    });
  });

  it('merges sensitive topics one topic at a time; an empty topic is switched off', () => {
    const topics = resolved({ sensitiveTopics: { gambling: ['casino*', 'betting'], religion: [] } }).sensitiveTopics;
    assert.deepEqual(topics.gambling, ['casino*', 'betting']);
    assert.equal('religion' in topics, false);
    assert.deepEqual(topics.politics, defaultContentPolicy.sensitiveTopics.politics);
  });

  it('replaces lists such as prohibited keywords whole', () => {
    assert.deepEqual(resolved({ prohibitedKeywords: ['politics', 'violence'] }).prohibitedKeywords, ['politics', 'violence']);
  });

  it('lays overrides over a given base policy', () => {
    const strict = resolved({ requireDisclosure: true, duplicateSimilarity: 0.5 });
    const policy = resolveContentPolicy({ maxWordCount: null }, strict);
    assert.ok(policy.ok);
    assert.equal(policy.policy.duplicateSimilarity, 0.5);
    assert.equal(policy.policy.maxWordCount, null);
  });

  it('refuses thresholds outside 0..1, with the path', () => {
    const error = refusal({ autoExecuteThreshold: 1.5 });
    assert.match(error.message, /autoExecuteThreshold/);
  });

  it('refuses a retry floor above the auto-execute threshold', () => {
    const error = refusal({ autoExecuteThreshold: 0.6 });
    assert.match(error.message, /retryBelow/);
  });

  it('refuses unknown fields, bad limits, a zero duplicate threshold and invisible-only phrases', () => {
    refusal({ autoExecuteTreshold: 0.8 });
    refusal({ platformLimits: { twitter: 0 } });
    refusal({ platformLimits: { myspace: 100 } });
    refusal({ maxWordCount: 12.5 });
    refusal({ duplicateSimilarity: 0 });
    refusal({ prohibitedKeywords: ['\u200B'] });
    refusal({ sensitiveTopics: { politics: ['*'] } });
    refusal('not a policy');
  });

  it('lists every issue in the refusal details', () => {
    const error = refusal({ retryBelow: -1, requireDisclosure: 'yes' });
    const issues = (error.details as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path);
    assert.deepEqual(issues.sort(), ['requireDisclosure', 'retryBelow']);
  });
});
