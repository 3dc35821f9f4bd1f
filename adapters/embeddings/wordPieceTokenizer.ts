// BERT's uncased tokenization, as the model's tokenizer.json describes it (BertNormalizer with
// lowercase and accent stripping, BertPreTokenizer, WordPiece, [CLS] … [SEP]), written here so
// that no tokenizer package is needed. wordPieceTokenizer.unit.spec.ts holds it to the ids the
// reference implementation (Hugging Face `tokenizers`) gives.

export type TokenizedText = { input_ids: number[]; attention_mask: number[]; token_type_ids: number[] };

// tokenizer.json's added tokens. The reference matches them in the raw text, case-sensitively,
// before any normalisation ("[SEP]" in a text is the separator, "[sep]" is three pieces).
const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const SPECIAL_IN_TEXT = /(\[(?:PAD|UNK|CLS|SEP|MASK)\])/;
const CONTINUATION = '##';
// Longer words are one [UNK], as in BERT (counted in code points).
const MAX_CHARS_PER_WORD = 100;

export class WordPieceTokenizer {
  private readonly ids = new Map<string, number>();
  private readonly unk: number;
  private readonly cls: number;
  private readonly sep: number;

  // `vocab`: vocab.txt's lines (the id of a piece is its line number). `maxTokens`: the longest
  // encoding, [CLS] and [SEP] included (sentence_bert_config.json's max_seq_length).
  constructor(
    vocab: readonly string[],
    readonly maxTokens: number,
  ) {
    vocab.forEach((piece, id) => {
      if (piece !== '' && !this.ids.has(piece)) this.ids.set(piece, id);
    });
    for (const special of SPECIAL_TOKENS) {
      if (!this.ids.has(special)) throw new Error(`the vocabulary has no ${special}`);
    }
    this.unk = this.ids.get('[UNK]')!;
    this.cls = this.ids.get('[CLS]')!;
    this.sep = this.ids.get('[SEP]')!;
    if (!Number.isInteger(maxTokens) || maxTokens < 2) throw new Error(`maxTokens must be a whole number of at least 2, not ${maxTokens}`);
  }

  static fromVocabText(text: string, maxTokens: number): WordPieceTokenizer {
    return new WordPieceTokenizer(text.split('\n').map((line) => line.replace(/\r$/, '')), maxTokens);
  }

  // A smaller `maxTokens` than the tokenizer's own caps this encoding further (never raises it).
  encode(text: string, maxTokens: number = this.maxTokens): TokenizedText {
    const room = Math.min(maxTokens, this.maxTokens) - 2;
    const pieces: number[] = [];
    for (const part of text.split(SPECIAL_IN_TEXT)) {
      if (pieces.length >= room) break;
      if ((SPECIAL_TOKENS as readonly string[]).includes(part)) {
        pieces.push(this.ids.get(part)!);
        continue;
      }
      for (const word of preTokenized(normalised(part))) {
        pieces.push(...this.wordPieces(word));
        if (pieces.length >= room) break;
      }
    }
    const input_ids = [this.cls, ...pieces.slice(0, Math.max(0, room)), this.sep];
    return { input_ids, attention_mask: input_ids.map(() => 1), token_type_ids: input_ids.map(() => 0) };
  }

  // Greedy longest-match-first; a word with any unmatched rest is one [UNK], as in BERT.
  private wordPieces(word: string): number[] {
    const chars = Array.from(word);
    if (chars.length > MAX_CHARS_PER_WORD) return [this.unk];
    const out: number[] = [];
    for (let start = 0; start < chars.length; ) {
      let found: number | undefined;
      let end = chars.length;
      for (; end > start; end--) {
        const piece = (start > 0 ? CONTINUATION : '') + chars.slice(start, end).join('');
        found = this.ids.get(piece);
        if (found !== undefined) break;
      }
      if (found === undefined) return [this.unk];
      out.push(found);
      start = end;
    }
    return out;
  }
}

// BertNormalizer: drop NUL, U+FFFD and other control characters, every whitespace a space,
// spaces around CJK ideographs, strip accents (NFD, drop non-spacing marks), then lowercase one
// code point at a time (as the reference does: no final-sigma rule).
function normalised(text: string): string {
  let cleaned = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code === 0 || code === 0xfffd || isControl(char)) continue;
    if (isWhitespace(char)) cleaned += ' ';
    else if (isCjkIdeograph(code)) cleaned += ` ${char} `;
    else cleaned += char;
  }
  let lowered = '';
  for (const char of cleaned.normalize('NFD').replace(/\p{Mn}/gu, '')) lowered += char.toLowerCase();
  return lowered;
}

// BertPreTokenizer: split on whitespace, and every punctuation character is a word of its own.
function preTokenized(text: string): string[] {
  const words: string[] = [];
  let word = '';
  for (const char of text) {
    if (isWhitespace(char) || isPunctuation(char)) {
      if (word !== '') words.push(word);
      word = '';
      if (!isWhitespace(char)) words.push(char);
    } else {
      word += char;
    }
  }
  if (word !== '') words.push(word);
  return words;
}

// Tab, newline and carriage return count as whitespace, not as control characters.
function isControl(char: string): boolean {
  return char !== '\t' && char !== '\n' && char !== '\r' && /\p{C}/u.test(char);
}

function isWhitespace(char: string): boolean {
  return /\s/u.test(char);
}

// ASCII symbols such as $ + < = > ^ ` | ~ count as punctuation too, as in BERT.
function isPunctuation(char: string): boolean {
  const code = char.codePointAt(0)!;
  const asciiPunctuation = (code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126);
  return asciiPunctuation || /\p{P}/u.test(char);
}

// The CJK Unified Ideographs blocks BERT splits character by character (not kana, not Hangul).
function isCjkIdeograph(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x20000 && code <= 0x2a6df) ||
    (code >= 0x2a700 && code <= 0x2b73f) ||
    (code >= 0x2b740 && code <= 0x2b81f) ||
    (code >= 0x2b920 && code <= 0x2ceaf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x2f800 && code <= 0x2fa1f)
  );
}
