// Word-level signals the local model reads in text: sensitive areas, speculation, attempts
// to give it orders, and the content words used for relevance. Word lists, not judgement.

export type SensitiveArea = 'politics' | 'health' | 'religion' | 'finance';

const SENSITIVE: ReadonlyArray<[SensitiveArea, RegExp]> = [
  ['politics', /\b(?:politic\w*|elections?|electoral|ballots?|president\w*|government\w*|parliament\w*|senat\w*|congress\w*|democrat\w*|republican\w*|partisan)\b/i],
  ['health', /\b(?:health|medical|medicine\w*|medication\w*|doctors?|diagnos\w*|diseases?|vaccin\w*|symptoms?|cures?|cured|therapy|covid\w*|pandemic|prescription\w*|supplements?)\b/i],
  ['religion', /\b(?:religio\w*|church\w*|mosques?|synagogues?|faith|prayers?|bible|quran|koran|torah|spiritual\w*)\b/i],
  ['finance', /\b(?:invest\w*|stocks|stock (?:market|tips?|picks?)|crypto\w*|bitcoin|ethereum|trading|financ\w*|retirement|loans?|mortgages?)\b/i],
];

// "Back in stock", "healthy", "vote for your favourite look" are deliberately not sensitive.
export function sensitiveAreas(text: string): SensitiveArea[] {
  return SENSITIVE.filter(([, pattern]) => pattern.test(text)).map(([area]) => area);
}

const SPECULATION = /\b(?:speculat\w*|rumou?rs?|rumou?red|unverified|unconfirmed|alleged|allegedly|leak(?:s|ed)?|gossip|hearsay|reportedly)\b/i;

export function isSpeculative(text: string): boolean {
  return SPECULATION.test(text);
}

const INJECTION = [
  /\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(?:instructions?|rules|prompts?|guidelines|everything|above)\b/i,
  /\bsystem prompt\b/i,
  /\byou are now\b/i,
  /\bnew instructions?\b/i,
  /\b(?:act|pretend) (?:as|to be)\b/i,
  /\bjailbreak\w*\b/i,
  /\bdeveloper mode\b/i,
  /\breveal (?:your|the)\b/i,
  /<\/?(?:system|instructions?)>/i,
];

// Text that tries to give the model orders (prompt injection) rather than talk to it.
export function looksLikeInjection(text: string): boolean {
  return INJECTION.some((pattern) => pattern.test(text));
}

const STOPWORDS = new Set(
  (
    'the and for with from that this these those our your their its his her you we they them are was were been be ' +
    'is am has have had not but all any can will just into onto over about out off more most very than then so ' +
    'what which who whom when where why how also each per via its it’s it\'s let’s let\'s here there some such ' +
    'new now get got make made one two three four five six seven eight nine ten own'
  ).split(' '),
);
// Words that describe the campaign machinery rather than what it is about.
const GOAL_NOISE = new Set(
  'promote promoting post posts tweet tweets content campaign twitter instagram threads tiktok reel reels video videos photo photos image images audience share sharing'.split(
    ' ',
  ),
);

// Lower-cased, de-pluralised words of three letters or more, minus stopwords.
export function contentWords(text: string, options: { dropGoalNoise?: boolean } = {}): Set<string> {
  const words = new Set<string>();
  for (const raw of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (raw.length < 3 || STOPWORDS.has(raw) || /^\d+$/.test(raw)) continue;
    if (options.dropGoalNoise && GOAL_NOISE.has(raw)) continue;
    words.add(singular(raw));
  }
  return words;
}

function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}
