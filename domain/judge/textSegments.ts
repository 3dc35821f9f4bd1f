// The pieces of a text the semantic classifier reads: the whole text, and each sentence of a
// longer one, so that one harmful sentence among friendly ones is not averaged away, and the
// finding can quote it. Offsets are code-unit offsets into the original text.

export type TextSegment = { text: string; start: number; end: number };

// Sentence ends (. ! ? … and runs of them, closing quotes and emoji after them) or line breaks.
const SENTENCE = /[^\n.!?…]+(?:[.!?…]+["'”’)\]]*|\n|$)/gu;
const MIN_WORDS = 3;
// A sentence under this many words is read with its neighbour.
const SHORT = 5;

export function segmentsOf(text: string, maxSegments = 8): TextSegment[] {
  const whole = trimmed(text, 0, text.length);
  if (whole === null) return [];
  const sentences: TextSegment[] = [];
  for (const match of text.matchAll(SENTENCE)) {
    const piece = trimmed(text, match.index, match.index + match[0].length);
    if (piece !== null && words(piece.text) > 0) sentences.push(piece);
  }
  // Short fragments join the sentence before them ("Tag her. All of you."), or the next one.
  const merged = mergeShort(text, sentences).filter((s) => words(s.text) >= MIN_WORDS);
  if (merged.length <= 1) return [whole];
  const pieces = merged.length > maxSegments - 1 ? windows(text, merged, maxSegments - 1) : merged;
  return [whole, ...pieces];
}

function trimmed(text: string, start: number, end: number): TextSegment | null {
  let s = start;
  let e = end;
  while (s < e && /\s/u.test(text[s]!)) s++;
  while (e > s && /\s/u.test(text[e - 1]!)) e--;
  return e > s ? { text: text.slice(s, e), start: s, end: e } : null;
}

function words(text: string): number {
  return text.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

function mergeShort(text: string, sentences: TextSegment[]): TextSegment[] {
  const out: TextSegment[] = [];
  let pending: TextSegment | null = null;
  for (const sentence of sentences) {
    const last = out.at(-1);
    if (words(sentence.text) < SHORT) {
      if (last) out[out.length - 1] = span(text, last.start, sentence.end);
      else pending = span(text, pending?.start ?? sentence.start, sentence.end);
    } else {
      out.push(pending ? span(text, pending.start, sentence.end) : sentence);
      pending = null;
    }
  }
  if (pending) out.push(pending);
  return out;
}

// A long caption: consecutive sentences grouped into at most `count` windows.
function windows(text: string, sentences: TextSegment[], count: number): TextSegment[] {
  const size = Math.ceil(sentences.length / count);
  const out: TextSegment[] = [];
  for (let i = 0; i < sentences.length; i += size) {
    const group = sentences.slice(i, i + size);
    out.push(span(text, group[0]!.start, group.at(-1)!.end));
  }
  return out;
}

function span(text: string, start: number, end: number): TextSegment {
  return { text: text.slice(start, end), start, end };
}
