// What the local model reads in a SOUL.md: tone words, and whether the persona wants emoji and
// hashtags. A line that says no (no/never/avoid/don't...) or sits under a "Don't"/"Avoid"
// heading turns a cue off instead of on; a cue never mentioned stays 'unspecified'.

export type CueSetting = 'yes' | 'no' | 'unspecified';

export type PersonaCues = {
  // Known tone words in the order the SOUL.md gives them.
  tones: string[];
  emoji: CueSetting;
  hashtags: CueSetting;
  // Hashtags the SOUL.md spells out (#LikeThis), first ones first.
  signatureHashtags: string[];
};

export const TONE_WORDS = [
  'playful', 'witty', 'funny', 'cheeky', 'sarcastic',
  'warm', 'friendly', 'empathetic', 'caring', 'casual', 'chill',
  'professional', 'formal', 'calm', 'thoughtful', 'precise',
  'bold', 'energetic', 'enthusiastic', 'upbeat', 'confident', 'hype',
  'inspiring', 'curious', 'dreamy', 'poetic',
] as const;

const NEGATION = /\b(?:no|not|never|avoid|don'?t|do not|without|zero|none)\b|\bdon’t\b/i;
const NEGATIVE_HEADING = /^\s*#+.*\b(?:don'?t|don’t|avoid|never|not|no-go|forbidden)\b/i;

export function readPersonaCues(soulMd: string): PersonaCues {
  const cues: PersonaCues = { tones: [], emoji: 'unspecified', hashtags: 'unspecified', signatureHashtags: [] };
  let underNegativeHeading = false;
  for (const line of soulMd.split(/\r?\n/)) {
    if (/^\s*#+\s/.test(line)) {
      underNegativeHeading = NEGATIVE_HEADING.test(line);
      continue;
    }
    // Clause by clause, so that "warm, never sarcastic" keeps warm and drops sarcastic.
    for (const clause of line.split(/[,;.!?]|\bbut\b/)) readClause(clause, underNegativeHeading || NEGATION.test(clause), cues);
  }
  return cues;
}

function readClause(clause: string, negated: boolean, cues: PersonaCues): void {
  const lower = clause.toLowerCase();
  if (/\bemojis?\b/.test(lower)) cues.emoji = negated ? 'no' : 'yes';
  if (/\bhashtags?\b/.test(lower)) cues.hashtags = negated ? 'no' : 'yes';
  if (negated) return;
  for (const word of lower.match(/[a-z]+/g) ?? []) {
    if ((TONE_WORDS as readonly string[]).includes(word) && !cues.tones.includes(word)) cues.tones.push(word);
  }
  for (const tag of clause.match(/(?<![\w#])#[A-Za-z]\w*/g) ?? []) {
    if (!cues.signatureHashtags.includes(tag)) cues.signatureHashtags.push(tag);
  }
}
