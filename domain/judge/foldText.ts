// Text as the judge's word rules read it, so that simple evasion ("p0l1tics", "ｐｏｌｉｔｉｃｓ",
// "k\u200Bys", Cyrillic look-alikes, "k.i.l.l", "kiiiill", "selling 🔫") reads as the word it
// imitates. Folded text is only ever matched against, never published or stored; foldWithOrigins
// keeps, for every folded character, where it came from, so a match can be quoted as written.

// \p{Cf} covers zero-width spaces and joiners, bidi controls, tag characters, soft hyphens and the
// BOM; the rest are invisible fillers that Unicode files under other categories.
// (Alternatives, not one class: several of them combine with the character before.)
const INVISIBLE_SOURCE = '\\p{Cf}|[\\u{E0100}-\\u{E01EF}]|\\u034F|\\u115F|\\u1160|\\u17B4|\\u17B5|\\u3164|\\uFFA0';
const INVISIBLE = new RegExp(INVISIBLE_SOURCE, 'gu');
const ONE_INVISIBLE = new RegExp(`^(?:${INVISIBLE_SOURCE})$`, 'u');

export function isInvisible(character: string): boolean {
  return ONE_INVISIBLE.test(character);
}

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

// NFKC already folds full-width, circled and mathematical letters; these are the common
// look-alikes it leaves alone: Cyrillic, Greek, Latin letters with a stroke or a ligature, small
// capitals, typographic apostrophes. Capitals are listed where they imitate another letter than
// their lower case does (Greek Η looks like H, η like n).
const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', һ: 'h', ԛ: 'q', ԝ: 'w', ӏ: 'l', В: 'b', Н: 'h', М: 'm', Т: 't', К: 'k',
  // Greek
  α: 'a', β: 'b', γ: 'y', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
  ω: 'w', μ: 'u', Η: 'h', Ν: 'n', Μ: 'm', Τ: 't', Κ: 'k', Χ: 'x', Ρ: 'p', Β: 'b', Ι: 'i', Ζ: 'z', Υ: 'y',
  // Latin look-alikes
  ı: 'i', ł: 'l', ø: 'o', ß: 'ss', đ: 'd', ð: 'd', ħ: 'h', ŧ: 't', æ: 'ae', œ: 'oe', ɑ: 'a', ɡ: 'g', ɩ: 'i',
  ĸ: 'k', ƒ: 'f', ȷ: 'j', ŀ: 'l', ǀ: 'l', ғ: 'f',
  // Small capitals
  ᴀ: 'a', ʙ: 'b', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ꜰ: 'f', ɢ: 'g', ʜ: 'h', ɪ: 'i', ᴊ: 'j', ᴋ: 'k', ʟ: 'l', ᴍ: 'm',
  ɴ: 'n', ᴏ: 'o', ᴘ: 'p', ʀ: 'r', ꜱ: 's', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ʏ: 'y', ᴢ: 'z',
  '\u2018': "'", '\u2019': "'", '\u02BC': "'", '\u201B': "'", '\u2032': "'",
};

// Emoji that stand in for a word in harmful posts ("selling 🔫", "how to make a 💣", "dm for 💊").
// 💀, 🔥 and 🧨 are left alone: they overwhelmingly mean "I'm laughing", "great" and "hype", and
// reading them as death or explosives would flag every excited post.
const EMOJI_WORDS: Readonly<Record<string, string>> = {
  '\u{1F52B}': 'gun', // 🔫
  '\u{1F4A3}': 'bomb', // 💣
  '\u{1F52A}': 'knife', // 🔪
  '\u{1F5E1}': 'dagger', // 🗡
  '\u{1FA93}': 'axe', // 🪓
  '\u{1F48A}': 'pills', // 💊
  '\u{1F489}': 'syringe', // 💉
};

const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', $: 's', '@': 'a', '!': 'i' };

// A number with a unit is a number, not leetspeak: "10x", "2x", "1eth", "5th", "401k", "15yo", "$10k".
const NUMBER_WITH_UNIT =
  /^\$?\d+(?:x|k|m|b|bn|st|nd|rd|th|am|pm|g|kg|mg|mcg|lbs?|ml|l|oz|mm|cm|km|ft|yo|yrs?|eth|btc|sol|h|hrs?|mins?|s|d|p|gb|mb|tb|hz|w|v|mph|kph|usd|eur|gbp|fps|iu|pcs?)$/;

// Single letters in a row ("k i l l", "k.i.l.l", "k-i-l-l", "k_i_l_l", "k*i*l*l"), one separator
// throughout. Leet digits count as letters inside such a run when at least two real letters do.
const SPACED_LETTERS = /(?<![\p{L}\p{N}$])[a-z013457$](?<sep>[ ._*-])[a-z013457$](?:\k<sep>[a-z013457$])+(?![\p{L}\p{N}$])/gu;
// Three letters that are each a word in texting ("u r a queen", "r u a fan"): left as words.
const TEXTING_LETTERS = new Set(['a', 'i', 'u', 'r', 'y', 'n', 'c', 'b', 'k', 'o', 'x']);
// Leetspeak is folded only in tokens that already hold a letter, so plain numbers ("455 followers",
// "$5") are never read as words; @ and ! only between letters ("h@te", "k!ll"), not in "@handle".
const TOKEN = /[\p{L}\p{N}$]+(?:[@!][\p{L}\p{N}$]+)*/gu;
// Stretched letters ("kiiiill", "kyssss"); w is spared for "www".
const STRETCHED = /([a-vx-z])\1{2,}/g;
// Only what changes: space around a line break, runs of spaces, tabs and other spaces.
const SPACES = /[^\S\n]*\n[^\S\n]*|[^\S\n]{2,}|[^\S\n ]/gu;
const MARK = /^\p{M}$/u;

// Folded text, and for each of its UTF-16 code units the span [origins[i], ends[i]) of the text
// it was read from (an original character folded into several, like ß → ss, gives each the same span).
export type FoldedText = { folded: string; origins: number[]; ends: number[] };

// NFKC, invisible characters dropped, lower case, Latin diacritics dropped, look-alikes, emoji,
// spaced and stretched letters and leetspeak folded, runs of spaces collapsed (line breaks kept:
// some injection markup is only suspicious at the start of a line).
export function foldText(text: string): string {
  return foldWithOrigins(text).folded;
}

export function foldWithOrigins(text: string): FoldedText {
  let folding = foldCharacters(text);
  folding = rewrite(folding, SPACED_LETTERS, (m) => {
    const separator = m.groups?.sep ?? ' ';
    const members = m[0].split(separator);
    const letters = members.filter((ch) => /[a-z]/.test(ch)).length;
    if (letters < 2) return null;
    if (separator === ' ' && members.length === 3 && members.every((ch) => TEXTING_LETTERS.has(ch))) return null;
    return members.map((ch, k) => ({ text: ch, from: m.index + 2 * k, to: m.index + 2 * k + 1 }));
  });
  // Leetspeak: only texts that hold a leet character pay for the token pass.
  if (/[013457$@!]/.test(folding.text)) {
    folding = rewrite(folding, TOKEN, (m) => {
      const token = m[0];
      if (!/\p{L}/u.test(token) || NUMBER_WITH_UNIT.test(token) || !/[013457$@!]/.test(token)) return null;
      return Array.from(token, (ch, k) => ({ text: LEET[ch] ?? ch, from: m.index + k, to: m.index + k + 1 }));
    });
  }
  folding = rewrite(folding, STRETCHED, (m) => [{ text: m[1] ?? '', from: m.index, to: m.index + m[0].length }]);
  folding = rewrite(folding, SPACES, (m) => {
    const newline = m[0].indexOf('\n');
    return newline < 0
      ? [{ text: ' ', from: m.index, to: m.index + m[0].length }]
      : [{ text: '\n', from: m.index + newline, to: m.index + newline + 1 }];
  });
  return trimmed(folding);
}

// The span of the original text that folded[start, end) was read from.
export function originalSpan(fold: FoldedText, start: number, end: number): { start: number; end: number } {
  if (end <= start) {
    const at = start < fold.origins.length ? (fold.origins[start] ?? 0) : (fold.ends[fold.ends.length - 1] ?? 0);
    return { start: at, end: at };
  }
  return { start: fold.origins[start] ?? 0, end: fold.ends[end - 1] ?? 0 };
}

type Folding = { text: string; starts: number[]; ends: number[] };
// A replacement's text, read from units [from, to) of the folding it replaces in.
type Piece = { text: string; from: number; to: number };

// Character by character: a base character with its combining marks is folded as one.
function foldCharacters(text: string): Folding {
  let out = '';
  const starts: number[] = [];
  const ends: number[] = [];
  const emit = (piece: string, start: number, end: number) => {
    for (let k = 0; k < piece.length; k++) {
      starts.push(start);
      ends.push(end);
    }
    out += piece;
  };
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    // Fast path: ASCII not followed by a combining mark (all marks are U+0300 and up).
    if (code < 0x80 && !(next >= 0x300)) {
      emit(code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : text.charAt(i), i, i + 1);
      i += 1;
      continue;
    }
    const first = String.fromCodePoint(text.codePointAt(i) ?? code);
    let end = i + first.length;
    if (isInvisible(first)) {
      i = end;
      continue;
    }
    let group = first;
    while (end < text.length) {
      const mark = String.fromCodePoint(text.codePointAt(end) ?? 0);
      if (!MARK.test(mark) || isInvisible(mark)) break;
      group += mark;
      end += mark.length;
    }
    const word = EMOJI_WORDS[first];
    if (word !== undefined) {
      // "selling🔫" reads "selling gun"; "🔫s" reads "guns".
      if (/[\p{L}\p{N}]$/u.test(out)) emit(' ', i, end);
      emit(word, i, end);
    } else if (MARK.test(first)) {
      // A mark left alone (after an invisible character): dropped after a Latin letter, like the rest.
      if (!/[a-z]$/.test(out)) emit(group.normalize('NFKC'), i, end);
    } else {
      emit(foldGroup(group), i, end);
    }
    i = end;
  }
  return { text: out, starts, ends };
}

function foldGroup(group: string): string {
  let mapped = '';
  for (const ch of group.normalize('NFKD')) {
    const lower = ch.toLowerCase();
    mapped += CONFUSABLES[ch] ?? CONFUSABLES[lower] ?? lower;
  }
  // Diacritics come off Latin letters only ("kíll" → kill); other scripts need theirs.
  return mapped.replace(/([a-z])\p{M}+/gu, '$1').normalize('NFC');
}

function rewrite(folding: Folding, pattern: RegExp, replace: (match: RegExpExecArray) => Piece[] | null): Folding {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let changed = false;
  const copy = (from: number, to: number) => {
    text += folding.text.slice(from, to);
    for (let k = from; k < to; k++) {
      starts.push(folding.starts[k] ?? 0);
      ends.push(folding.ends[k] ?? 0);
    }
  };
  let last = 0;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(folding.text); m !== null; m = pattern.exec(folding.text)) {
    const pieces = replace(m);
    if (pieces !== null) {
      changed = true;
      copy(last, m.index);
      for (const piece of pieces) {
        const start = folding.starts[piece.from] ?? 0;
        const end = folding.ends[piece.to - 1] ?? start;
        for (let k = 0; k < piece.text.length; k++) {
          starts.push(start);
          ends.push(end);
        }
        text += piece.text;
      }
      last = m.index + m[0].length;
    }
    if (m[0].length === 0) pattern.lastIndex += 1;
  }
  if (!changed) return folding;
  copy(last, folding.text.length);
  return { text, starts, ends };
}

function trimmed(folding: Folding): FoldedText {
  let from = 0;
  let to = folding.text.length;
  while (from < to && /[ \n]/.test(folding.text.charAt(from))) from += 1;
  while (to > from && /[ \n]/.test(folding.text.charAt(to - 1))) to -= 1;
  return { folded: folding.text.slice(from, to), origins: folding.starts.slice(from, to), ends: folding.ends.slice(from, to) };
}

// A policy phrase as a pattern over folded text: whole words only, case- and evasion-insensitive;
// a trailing `*` stands for any word ending ("vaccin*" matches vaccine, vaccines, vaccination), and
// spaces inside a phrase also match `_`, `-` or nothing (so "get rich quick" catches
// "get_rich_quick" and "#getrichquick"). Words of four letters or more also match with one inner
// letter masked ("k*ll") and with a final double letter stretched down to one ("killll" folds to "kil").
export function phrasePattern(phrase: string): RegExp {
  const cached = PHRASE_PATTERNS.get(phrase);
  if (cached) return cached;
  if (PHRASE_PATTERNS.size >= 10_000) PHRASE_PATTERNS.clear();
  const pattern = new RegExp(`${WORD_START}${phraseSource(phrase, { masked: true })}${WORD_END}`, 'u');
  PHRASE_PATTERNS.set(phrase, pattern);
  return pattern;
}
const PHRASE_PATTERNS = new Map<string, RegExp>();

const WORD_START = '(?<![\\p{L}\\p{N}])';
const WORD_END = '(?![\\p{L}\\p{N}])';

// A phrase list as one matcher: find(folded, from) is the leftmost whole-word occurrence of any of
// them at or after `from` (the first listed phrase that matches there). `masked` adds the "k*ll"
// spellings (only worth the longer pattern when the text holds a `*`).
export type PhraseMatch = { start: number; end: number; phrase: string };
export type PhraseMatcher = { phrases: readonly string[]; find(folded: string, from: number): PhraseMatch | null };

export function phraseMatcher(phrases: readonly string[], options: { masked: boolean }): PhraseMatcher {
  const alternatives = phrases.map((phrase) => `(${phraseSource(phrase, options)})`);
  // The start of a word is checked here rather than with a look-behind, which costs more than the
  // rest of the pattern when run at every position of the text.
  const pattern = new RegExp(`(?:${alternatives.join('|')})${WORD_END}`, 'gu');
  return {
    phrases,
    find(folded, from) {
      pattern.lastIndex = from;
      for (let m = pattern.exec(folded); m !== null; m = pattern.exec(folded)) {
        if (!WORD_BEFORE.test(folded.slice(Math.max(0, m.index - 2), m.index))) {
          const k = m.findIndex((group, i) => i > 0 && group !== undefined);
          return { start: m.index, end: m.index + m[0].length, phrase: phrases[k - 1] ?? m[0] };
        }
        pattern.lastIndex = m.index + 1;
      }
      return null;
    },
  };
}
const WORD_BEFORE = /[\p{L}\p{N}]$/u;

// The phrases (as written in the policy) that occur in `foldedText`, in policy order.
export function findPhrases(foldedText: string, phrases: readonly string[]): string[] {
  return phrases.filter((phrase) => phrasePattern(phrase).test(foldedText));
}

function phraseSource(phrase: string, options: { masked: boolean }): string {
  const folded = foldText(phrase);
  const wildcard = folded.endsWith('*');
  const words = (wildcard ? folded.slice(0, -1) : folded).trim().split(/\s+/u);
  const last = words.length - 1;
  const sources = words.map((word, k) => wordSource(word, { masked: options.masked, stem: wildcard && k === last }));
  return `${sources.join('[\\s_-]*')}${wildcard ? '[\\p{L}\\p{N}]*' : ''}`;
}

function wordSource(word: string, options: { masked: boolean; stem: boolean }): string {
  if (!/^[a-z]{4,}$/.test(word)) return escapeRegExp(word);
  const doubled = !options.stem && word.at(-1) === word.at(-2);
  const variants = [doubled ? `${word}?` : word];
  if (options.masked) {
    for (let k = 1; k < word.length; k++) variants.push(`${word.slice(0, k)}\\*${word.slice(k + 1)}`);
  }
  return variants.length === 1 ? (variants[0] ?? word) : `(?:${variants.join('|')})`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
