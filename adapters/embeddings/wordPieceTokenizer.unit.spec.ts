import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { readConfig } from '../../config.ts';
import { readModelFolder } from './modelFolder.ts';
import { WordPieceTokenizer } from './wordPieceTokenizer.ts';

// Our tokenizer against the reference: the fixture holds the ids that Hugging Face `tokenizers`
// gave, once, from the model's own tokenizer.json, for texts chosen to hit BERT's edge cases
// (accents, emoji, CJK, control characters, punctuation, URLs, handles, very long words, the
// special tokens written in a text, truncation). The vocabulary is the installed model's.

type FixtureCase = {
  name: string;
  text: string;
  max_tokens: number;
  tokens: string[];
  input_ids: number[];
  attention_mask: number[];
  token_type_ids: number[];
};
const fixture = JSON.parse(readFileSync(new URL('./wordPieceTokenizer.fixture.json', import.meta.url), 'utf8')) as { cases: FixtureCase[] };

describe('WordPieceTokenizer (against the reference ids)', () => {
  let tokenizer: WordPieceTokenizer;
  let vocab: string[];
  before(async () => {
    const reading = await readModelFolder(readConfig().embeddings.modelDir);
    assert.ok(reading.ok, reading.ok ? '' : reading.reason);
    assert.equal(reading.folder.maxSeqLength, 256);
    tokenizer = WordPieceTokenizer.fromVocabText(reading.folder.vocabText, reading.folder.maxSeqLength);
    vocab = reading.folder.vocabText.split('\n');
  });

  it('covers the cases the fixture was made for', () => {
    assert.ok(fixture.cases.length >= 40, `${fixture.cases.length} cases`);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const encoded = tokenizer.encode(c.text, c.max_tokens);
      // Pieces first: a mismatch reads better as text than as ids.
      assert.deepEqual(
        encoded.input_ids.map((id) => vocab[id]),
        c.tokens,
      );
      assert.deepEqual(encoded, { input_ids: c.input_ids, attention_mask: c.attention_mask, token_type_ids: c.token_type_ids });
    });
  }

  it('never raises the cap above max_seq_length', () => {
    const long = 'word '.repeat(1000);
    assert.equal(tokenizer.encode(long).input_ids.length, 256);
    assert.equal(tokenizer.encode(long, 10_000).input_ids.length, 256);
    assert.equal(tokenizer.encode(long, 2).input_ids.length, 2);
  });
});
