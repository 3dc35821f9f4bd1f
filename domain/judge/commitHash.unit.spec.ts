import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, commitHash, contentHash } from './commitHash.ts';

const artifact = { type: 'text', content: 'AI is reshaping the future 🚀 #AI', metadata: { mime_type: 'text/plain', size: 34 } };
const metadata = { agent_id: 'agent-1', task_id: 'task-9', tags: ['launch', 'ai'], model: { name: 'local', version: 2 } };

// The same objects written with their keys in another order, at every level.
const reordered = {
  metadata: { tags: ['launch', 'ai'], model: { version: 2, name: 'local' }, task_id: 'task-9', agent_id: 'agent-1' },
  artifact: { metadata: { size: 34, mime_type: 'text/plain' }, content: 'AI is reshaping the future 🚀 #AI', type: 'text' },
};

describe('canonicalJson', () => {
  it('sorts keys at every level and leaves out whitespace', () => {
    assert.equal(canonicalJson({ z: 'x', a: [1, { c: null, b: 2 }], m: { y: true, x: false } }), '{"a":[1,{"b":2,"c":null}],"m":{"x":false,"y":true},"z":"x"}');
  });

  it('keeps array order, which is meaningful', () => {
    assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
  });

  it('follows JSON for undefined, non-finite numbers and dates', () => {
    assert.equal(canonicalJson({ b: undefined, a: [undefined, NaN], d: new Date('2025-03-01T09:00:00.000Z') }), '{"a":[null,null],"d":"2025-03-01T09:00:00.000Z"}');
    assert.equal(canonicalJson(undefined), 'null');
  });

  it('escapes strings as JSON does and keeps non-ASCII text as is', () => {
    assert.equal(canonicalJson({ 'k"ey': 'line\nbreak é 🚀' }), '{"k\\"ey":"line\\nbreak é 🚀"}');
  });
});

describe('commitHash', () => {
  it('is a SHA-256 hex digest', () => {
    assert.match(commitHash({ artifact, metadata }), /^[0-9a-f]{64}$/);
  });

  it('gives the same hash whatever the key order', () => {
    assert.equal(commitHash({ artifact, metadata }), commitHash(reordered));
  });

  it('changes when the content changes, even by one character', () => {
    const edited = { ...artifact, content: artifact.content.replace('🚀', '🚁') };
    assert.notEqual(commitHash({ artifact, metadata }), commitHash({ artifact: edited, metadata }));
  });

  it('changes when the metadata changes', () => {
    assert.notEqual(commitHash({ artifact, metadata }), commitHash({ artifact, metadata: { ...metadata, task_id: 'task-10' } }));
  });

  it('tells artifact from metadata apart', () => {
    assert.notEqual(commitHash({ artifact: { a: 1 }, metadata: {} }), commitHash({ artifact: {}, metadata: { a: 1 } }));
  });
});

describe('contentHash', () => {
  it('is plain SHA-256 of the text (FIPS 180-2 test vector "abc")', () => {
    assert.equal(contentHash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes precomposed and combining accents alike (NFC)', () => {
    assert.equal(contentHash('caf\u00E9'), contentHash('cafe\u0301'));
  });

  it('tells different texts apart', () => {
    assert.notEqual(contentHash('gm'), contentHash('gn'));
  });
});
