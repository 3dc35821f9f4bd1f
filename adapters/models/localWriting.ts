import { codePointLength, shortenToCodePoints } from './codePoints.ts';
import { contentWords, isSpeculative, looksLikeInjection, sensitiveAreas } from './contentSignals.ts';
import type { WriteInput } from './modelPort.ts';
import { readPersonaCues, type PersonaCues } from './personaCues.ts';
import { seededIndex } from './promptHash.ts';

// The local model's writer: a post or reply assembled from the brief in the persona's voice,
// with a self-assessed confidence by fixed rules (listed in localModel.ts).

export type LocalWriting = { text: string; confidence: number; riskTags: string[] };

// Each rule that applies caps confidence; the lowest cap wins.
export const WRITE_CONFIDENCE = {
  clear: 0.94, // high tier (> 0.90)
  vague: 0.85, // brief with fewer than 3 content words: medium tier
  sensitive: 0.8, // politics, elections, health, medicine, religion, finance: medium tier
  injection: 0.78, // the text replied to tries to give orders: medium tier
  speculative: 0.62, // speculation, rumour, unverified, leak...: low tier (< 0.70)
} as const;

const TONE_OPENERS: ReadonlyArray<[readonly string[], readonly string[]]> = [
  [['playful', 'witty', 'funny', 'cheeky', 'sarcastic'], ['Okay, hear me out:', 'Plot twist:', 'Tiny confession:']],
  [['warm', 'friendly', 'empathetic', 'caring', 'casual', 'chill'], ['Hey friends!', 'Hi all!', 'Quick one for you:']],
  [['professional', 'formal', 'calm', 'thoughtful', 'precise'], ['Update:', 'Worth knowing:', 'Today:']],
  [['bold', 'energetic', 'enthusiastic', 'upbeat', 'confident', 'hype'], ['Big news!', "Let's go!", 'This is it:']],
  [['inspiring', 'curious', 'dreamy', 'poetic'], ['Imagine this:', "Here's a thought:", 'Ever wondered?']],
];
const NEUTRAL_OPENERS = ['New today:', 'Sharing this:', "Here's something:"];
const EMOJI = ['✨', '🌿', '🔥', '💛', '🚀', '🎉'];
// Words addressed to the writer rather than the audience ("write a tweet about", "reply to
// the fan saying") are not part of the post.
const INSTRUCTION_PREFIX =
  /^(?:please\s+)?(?:(?:write|draft|compose|create|make|post)\s+(?:an?\s+|one\s+)?(?:short\s+|quick\s+|friendly\s+)?(?:tweet|post|reply|caption|thread|message|update)|reply|respond|answer)\s*(?:to (?:them|it|the (?:user|fan|follower|comment|mention|message))\s*)?(?:about|on|for|announcing|saying|that says|with)?\s*:?\s*/i;

export function writeAsPersona(input: WriteInput): LocalWriting {
  const cues = readPersonaCues(input.persona.soulMd);
  const seed = `${input.persona.personaName}\n${input.brief}\n${input.kind}`;
  const riskTags: string[] = [];
  const caps: number[] = [WRITE_CONFIDENCE.clear];
  const flag = (tag: string, cap: number) => {
    if (!riskTags.includes(tag)) riskTags.push(tag);
    caps.push(cap);
  };

  // Sentences of the brief that give orders are dropped, as if they had come from outside.
  const sentences = cleanBrief(input.brief).split(/(?<=[.!?])\s+/).filter((s) => s.length > 0);
  const body = sentences.filter((s) => !looksLikeInjection(s)).join(' ');
  const source = input.kind === 'reply' ? (input.sourceContent ?? '') : '';
  if (sentences.length > 0 && body.length < sentences.join(' ').length) flag('prompt_injection_attempt', WRITE_CONFIDENCE.injection);
  if (looksLikeInjection(source)) flag('prompt_injection_attempt', WRITE_CONFIDENCE.injection);

  const examined = `${input.brief}\n${source}`;
  if (isSpeculative(examined)) flag('unverified_claim', WRITE_CONFIDENCE.speculative);
  const areas = sensitiveAreas(examined);
  if (areas.length > 0) flag('sensitive_topic', WRITE_CONFIDENCE.sensitive);
  for (const area of areas) riskTags.push(`sensitive:${area}`);
  if (contentWords(body).size < 3) flag('vague_brief', WRITE_CONFIDENCE.vague);

  const opener = input.kind === 'reply' ? addressSource(source) : pick(openersFor(cues), seed);
  const parts = {
    opener,
    body: body.length > 0 ? body : 'More soon.',
    emoji: cues.emoji === 'yes' ? pick(EMOJI, seed) : '',
    signoff: input.kind === 'reply' ? `— ${input.persona.personaName}` : '',
    hashtags: cues.hashtags === 'yes' ? hashtagsFor(cues, body).join(' ') : '',
  };
  const { text, shortened } = fit(parts, input.maxChars);
  if (shortened) riskTags.push('truncated');
  return { text, confidence: Math.min(...caps), riskTags };
}

type Parts = { opener: string; body: string; emoji: string; signoff: string; hashtags: string };

// Drops the extras one by one (hashtags, sign-off, emoji, opener) until the text fits, and
// only then shortens the body itself.
function fit(parts: Parts, maxChars: number): { text: string; shortened: boolean } {
  const join = (p: Parts) => [p.opener, p.body, p.emoji, p.signoff, p.hashtags].filter((s) => s.length > 0).join(' ');
  let current = { ...parts };
  for (const extra of ['hashtags', 'signoff', 'emoji', 'opener'] as const) {
    if (codePointLength(join(current)) <= maxChars) return { text: join(current), shortened: false };
    current = { ...current, [extra]: '' };
  }
  const text = join(current);
  return codePointLength(text) <= maxChars ? { text, shortened: false } : { text: shortenToCodePoints(text, maxChars), shortened: true };
}

function cleanBrief(brief: string): string {
  const text = brief.replace(/\s+/g, ' ').trim().replace(INSTRUCTION_PREFIX, '');
  if (text.length === 0) return '';
  const capitalised = text[0]!.toUpperCase() + text.slice(1);
  return /[.!?…]$/u.test(capitalised) ? capitalised : `${capitalised}.`;
}

// A reply answers the kind of message it got, without repeating any of its words.
function addressSource(source: string): string {
  if (looksLikeInjection(source)) return 'Thanks for the message!';
  if (/\?/.test(source)) return 'Great question!';
  if (/\b(?:bad|broken|hate|worst|disappointed|refund|late|problem|issue|wrong)\b/i.test(source)) return 'Sorry to hear that, and thanks for telling us.';
  if (/\b(?:thanks?|thank you|love|amazing|awesome|great|beautiful|gorgeous)\b/i.test(source)) return 'Thank you so much!';
  return 'Thanks for reaching out!';
}

function openersFor(cues: PersonaCues): readonly string[] {
  for (const tone of cues.tones) {
    const group = TONE_OPENERS.find(([tones]) => tones.includes(tone));
    if (group) return group[1];
  }
  return NEUTRAL_OPENERS;
}

// The SOUL.md's own hashtags first, then the brief's two longest content words; two at most.
function hashtagsFor(cues: PersonaCues, body: string): string[] {
  const derived = [...contentWords(body)]
    .filter((w) => /^[a-z]/.test(w))
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map((w) => `#${w[0]!.toUpperCase()}${w.slice(1)}`);
  return [...new Set([...cues.signatureHashtags, ...derived])].slice(0, 2);
}

function pick<T>(options: readonly T[], seed: string): T {
  return options[seededIndex(seed, options.length)]!;
}
