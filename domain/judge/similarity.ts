// How alike two posts are (0..1), for the judge's near-duplicate rule. Two measures, the higher wins:
// word 3-shingle Jaccard catches a longer post said again with a word or two changed; character
// trigram Jaccard catches small edits (a typo, a swapped emoji) in short posts that have few shingles.
import { stripInvisible } from './foldText.ts';

const SHINGLE_WORDS = 3;

// NFKC, lower case, links, punctuation and emoji variation selectors dropped, spaces collapsed.
// Emoji stay: "🔥🔥🔥" twice is a repeat.
export function normaliseForSimilarity(text: string): string {
  return stripInvisible(text.normalize('NFKC'))
    .toLowerCase()
    .replace(/\b(?:https?|ftp):\/\/\S+|\bwww\.\S+/gu, ' ')
    .replace(/[\p{P}\uFE0E\uFE0F]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared += 1;
  return shared / (a.size + b.size - shared);
}

// Texts shorter than a shingle or trigram count as one unit, so short posts still compare.
export function wordShingles(normalised: string, size = SHINGLE_WORDS): Set<string> {
  const words = normalised.split(' ').filter(Boolean);
  if (words.length <= size) return new Set(words.length ? [words.join(' ')] : []);
  return new Set(words.slice(0, words.length - size + 1).map((_, i) => words.slice(i, i + size).join(' ')));
}

// Over code points, so an astral emoji is one character, not two halves.
export function characterTrigrams(normalised: string): Set<string> {
  const chars = Array.from(normalised);
  if (chars.length <= 3) return new Set(chars.length ? [normalised] : []);
  return new Set(chars.slice(0, chars.length - 2).map((_, i) => chars.slice(i, i + 3).join('')));
}

// Two texts with nothing left after normalisation (say, two bare links) are not called alike.
export function similarity(a: string, b: string): number {
  const left = normaliseForSimilarity(a);
  const right = normaliseForSimilarity(b);
  return Math.max(
    jaccard(wordShingles(left), wordShingles(right)),
    jaccard(characterTrigrams(left), characterTrigrams(right)),
  );
}

export type SimilarPost = { index: number; text: string; similarity: number };

// The candidate most like `text` (the earliest on ties), or null when there are none.
export function mostSimilar(text: string, candidates: readonly string[]): SimilarPost | null {
  let best: SimilarPost | null = null;
  for (const [index, candidate] of candidates.entries()) {
    const score = similarity(text, candidate);
    if (best === null || score > best.similarity) best = { index, text: candidate, similarity: score };
  }
  return best;
}
