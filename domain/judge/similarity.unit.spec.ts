import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { characterTrigrams, jaccard, mostSimilar, normaliseForSimilarity, similarity, wordShingles } from './similarity.ts';

const hike =
  'Just finished a sunrise hike up the ridge and the light over the valley was unreal, grateful for mornings like this and for everyone who joined the livestream today';

describe('jaccard', () => {
  it('is shared items over all items', () => {
    assert.equal(jaccard(new Set(['a', 'b']), new Set(['b', 'c'])), 1 / 3);
    assert.equal(jaccard(new Set(['a']), new Set(['a'])), 1);
    assert.equal(jaccard(new Set(['a']), new Set(['b'])), 0);
  });

  it('calls two empty sets unalike', () => {
    assert.equal(jaccard(new Set(), new Set()), 0);
  });
});

describe('normaliseForSimilarity', () => {
  it('drops case, punctuation, links and invisible characters', () => {
    assert.equal(normaliseForSimilarity('Hello,\u200B WORLD!! https://x.co/abc  see www.site.com'), 'hello world see');
  });
});

describe('shingles and trigrams', () => {
  it('makes overlapping 3-word shingles, or one shingle for a short text', () => {
    assert.deepEqual([...wordShingles('a b c d')], ['a b c', 'b c d']);
    assert.deepEqual([...wordShingles('gm fam')], ['gm fam']);
    assert.deepEqual([...wordShingles('')], []);
  });

  it('makes trigrams over code points, so an astral emoji is one character', () => {
    assert.deepEqual([...characterTrigrams('a🔥b')], ['a🔥b']);
    assert.deepEqual([...characterTrigrams('ab🔥c')], ['ab🔥', 'b🔥c']);
  });
});

describe('similarity', () => {
  it('given the same post, is 1', () => {
    assert.equal(similarity(hike, hike), 1);
  });

  it('given the same words with other case, punctuation and links, is 1', () => {
    assert.equal(similarity('New video is up! https://yt.be/a1', 'new video is up https://yt.be/b2 !!!'), 1);
  });

  it('given one word changed in a long post, stays above the default threshold 0.85', () => {
    assert.ok(similarity(hike, hike.replace('unreal', 'magical')) >= 0.85);
  });

  it('given unrelated posts, is low', () => {
    assert.ok(similarity(hike, 'Three-ingredient banana pancakes, perfect for busy weekday mornings') < 0.2);
  });

  it('given short posts that differ by one emoji, compares character trigrams over code points (5 of 7 shared)', () => {
    assert.equal(similarity('gm fam ☀️', 'gm fam 🌙'), 5 / 7);
  });

  it('given two emoji-only posts, compares the emoji', () => {
    assert.equal(similarity('🔥🔥🔥', '🔥🔥🔥'), 1);
    assert.equal(similarity('🔥🔥🔥', '💧💧💧'), 0);
  });

  it('given texts with nothing left after normalisation, is 0', () => {
    assert.equal(similarity('https://a.co/1', 'https://b.co/2'), 0);
  });

  it('is symmetric', () => {
    const other = 'Sunrise hike up the ridge done, the valley light was unreal';
    assert.equal(similarity(hike, other), similarity(other, hike));
  });
});

describe('mostSimilar', () => {
  it('picks the closest candidate, with its index and score', () => {
    const recent = ['Pancake recipe drop 🥞', hike.replace('unreal', 'magical'), 'gm'];
    const nearest = mostSimilar(hike, recent);
    assert.equal(nearest?.index, 1);
    assert.equal(nearest?.similarity, similarity(hike, recent[1] ?? ''));
  });

  it('keeps the earliest candidate on a tie', () => {
    assert.equal(mostSimilar('gm', ['hello', 'GM!', 'gm'])?.index, 1);
  });

  it('given no candidates, is null', () => {
    assert.equal(mostSimilar(hike, []), null);
  });
});
