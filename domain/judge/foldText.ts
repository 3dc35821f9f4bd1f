// Text as the judge's word rules read it, so that simple evasion ("p0l1tics", "ｐｏｌｉｔｉｃｓ",
// "k\u200Bys", Cyrillic look-alikes) reads as the word it imitates. Folded text is only ever
// matched against, never published or stored.

// \p{Cf} covers zero-width spaces and joiners, bidi controls, tag characters, soft hyphens and the
// BOM; the rest are invisible fillers that Unicode files under other categories.
// (Alternatives, not one class: several of them combine with the character before.)
const INVISIBLE_SOURCE = '\\p{Cf}|[\\u{E0100}-\\u{E01EF}]|\\u034F|\\u115F|\\u1160|\\u17B4|\\u17B5|\\u3164|\\uFFA0';
const INVISIBLE = new RegExp(INVISIBLE_SOURCE, 'gu');
const ONE_INVISIBLE = new RegExp(`^(?:${INVISIBLE_SOURCE})$`, 'u');

export function isInvisible(character: string): boolean {
  return ONE_INVISIBLE.test(character);
}

// NFKC already folds full-width, circled and mathematical letters; these are the common
// look-alikes it leaves alone (Cyrillic and Greek), plus typographic apostrophes.
const CONFUSABLES: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ο: 'o', α: 'a',
  '\u2018': "'", '\u2019': "'", '\u02BC': "'",
};

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', $: 's' };

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

// NFKC, invisible characters dropped, lower case, look-alikes and leetspeak folded, runs of spaces
// collapsed (line breaks kept: some injection markup is only suspicious at the start of a line).
export function foldText(text: string): string {
  const plain = stripInvisible(text.normalize('NFKC')).toLowerCase();
  const latin = Array.from(plain, (ch) => CONFUSABLES[ch] ?? ch).join('');
  // Only tokens that already hold a letter are leet-folded, so plain numbers ("455 followers", "$5")
  // are never read as words.
  const unleet = latin.replace(/[\p{L}\p{N}$]+/gu, (token) =>
    /\p{L}/u.test(token) ? token.replace(/[013457$]/g, (ch) => LEET[ch] ?? ch) : token,
  );
  return unleet.replace(/[^\S\n]+/gu, ' ').replace(/ ?\n ?/g, '\n').trim();
}

// A policy phrase as a pattern over folded text: whole words only, case- and evasion-insensitive;
// a trailing `*` stands for any word ending ("vaccin*" matches vaccine, vaccines, vaccination), and
// spaces inside a phrase also match `_` and `-` (so "get rich quick" catches "get_rich_quick").
export function phrasePattern(phrase: string): RegExp {
  const folded = foldText(phrase);
  const wildcard = folded.endsWith('*');
  const words = (wildcard ? folded.slice(0, -1) : folded).trim().split(/\s+/u).map(escapeRegExp);
  const ending = wildcard ? '[\\p{L}\\p{N}]*' : '';
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.join('[\\s_-]+')}${ending}(?![\\p{L}\\p{N}])`, 'u');
}

// The phrases (as written in the policy) that occur in `foldedText`, in policy order.
export function findPhrases(foldedText: string, phrases: readonly string[]): string[] {
  return phrases.filter((phrase) => phrasePattern(phrase).test(foldedText));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
