import type { DecomposeInput, Platform, PlannedContent } from './modelPort.ts';
import { seededIndex } from './promptHash.ts';

// The local model's planner: reads a goal written in plain words with patterns (see
// localModel.ts for the rules) and lays out one content item per post asked for.

export type LocalPlan = { campaignName: string; items: PlannedContent[]; estimatedDurationS: number };

const PLATFORM_PATTERNS: ReadonlyArray<[Platform, RegExp]> = [
  ['twitter', /\b(?:twitter|tweets?)\b/i],
  ['twitter', /(?<!\bGen\s)\bX\b(?![-'’])/], // "on X", but not "Gen X"
  ['instagram', /\b(?:instagram|insta|ig)\b/i],
  ['threads', /\bThreads\b/], // the app is a proper noun; "twitter threads" are not it
  ['threads', /\b(?:on|via)\s+threads\b/i],
  ['tiktok', /\btik\s?toks?\b/i],
];

const NUMBERS: Record<string, number> = {
  a: 1, an: 1, one: 1, single: 1, two: 2, three: 3, four: 4, five: 5, six: 6,
  seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};
const PIECES = String.raw`(?:posts?|tweets?|reels?|videos?|clips?|shorts|photos?|pictures?|images?|stories|story|pieces?|items?|captions?|carousels?|threads|updates?|tiktoks?)`;
const COUNT = new RegExp(String.raw`\b(\d{1,3}|one|single|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:[\w-]+\s+){0,2}?${PIECES}\b`, 'i');
const COUNT_ONE = new RegExp(String.raw`\b(an?)\s+(?:[\w-]+\s+)?${PIECES}\b`, 'i');
const EACH_PLATFORM = /\b(?:each|per platform|on every platform|on both)\b/i;

const AUDIENCE_NOUNS = String.raw`(?:gen\s?[zxy]|gen alpha|millennials|boomers|teens|teenagers|students|parents|moms|mums|dads|gamers|developers|founders|creators|fans|followers|professionals|women|men|kids|families|athletes|runners|travell?ers|foodies|shoppers|customers|readers|subscribers|community|youth|adults|beginners|artists|musicians|designers|engineers)`;
const AUDIENCE = new RegExp(String.raw`\b(?:to|for|targeting|aimed at|among|reaching)\s+((?:[\w-]+\s+){0,2}?${AUDIENCE_NOUNS})\b`, 'i');

const STOP_AT = String.raw`(?=\s+(?:on|for|to|via|by|with|in|before|until|across|among|targeting)\s|\s*[,.;:!?]|$)`;
const TOPIC = new RegExp(String.raw`\b(?:about|featuring|highlighting|focused on|focusing on|on the topic of|covering|around)\s+(.+?)${STOP_AT}`, 'i');
const SUBJECT = new RegExp(
  String.raw`\b(?:promote|promoting|announce|announcing|launch|launching|share|sharing|celebrate|celebrating|showcase|showcasing|introduce|introducing|advertise|advertising|hype|tease|teasing|highlight)\s+(.+?)${STOP_AT}`,
  'i',
);

const VIDEO_WORDS = /\b(?:videos?|reels?|clips?|shorts|tiktoks?)\b/i;
const VISUAL_WORDS = /\b(?:photos?|pictures?|pics?|images?|visuals?|looks?|lookbook|carousels?|selfies?)\b/i;

// Seconds to write, judge and publish one item, by media.
const ITEM_SECONDS: Record<PlannedContent['media'], number> = { none: 60, image: 150, video: 300 };

type Angle = (topic: string, subject: string | undefined, audience: string) => string;
const ANGLES: Angle[] = [
  (t, s, a) => `A first look at ${t}${s ? ` in ${s}` : ''}, made for ${a}.`,
  (t, s, a) => `Why we care about ${t}${s ? `: the story behind ${s}` : ''}, told for ${a}.`,
  (t, s, a) => `What ${a} should know about ${t}${s ? ` in ${s}` : ''}.`,
  (t, s) => `Behind the scenes${s ? ` of ${s}` : ''}: how we approach ${t}.`,
  (t, s, a) => `A question for ${a}: how do you feel about ${t}${s ? `, and which part of ${s} is your favourite` : ''}?`,
];

export function planFromGoal(input: DecomposeInput): LocalPlan {
  const goal = input.goal.replace(/\s+/g, ' ').trim();
  const maxItems = Math.max(1, Math.floor(input.maxItems ?? 3));
  const platforms = platformsIn(goal) ?? (input.platforms.length > 0 ? dedupe(input.platforms) : (['twitter'] as Platform[]));
  const audience = input.audience?.trim() || goal.match(AUDIENCE)?.[1]?.trim() || 'our followers';
  const topicPhrase = goal.match(TOPIC)?.[1]?.trim();
  const subjectPhrase = goal.match(SUBJECT)?.[1]?.trim();
  const topic = topicPhrase ?? subjectPhrase ?? (fallbackTopic(goal) || 'our latest news');
  const subject = subjectPhrase && subjectPhrase.toLowerCase() !== topic.toLowerCase() ? subjectPhrase : undefined;

  const asked = requestedCount(goal);
  const perPlatform = asked !== undefined && EACH_PLATFORM.test(goal);
  const count = Math.min(maxItems, Math.max(1, asked === undefined ? platforms.length : perPlatform ? asked * platforms.length : asked));
  const firstAngle = seededIndex(goal, ANGLES.length);

  const items: PlannedContent[] = Array.from({ length: count }, (_, i) => {
    const platform = platforms[i % platforms.length]!;
    return { platform, topic, brief: ANGLES[(firstAngle + i) % ANGLES.length]!(topic, subject, audience), media: mediaFor(platform, goal) };
  });
  const name = subject ? `${titleCase(subject)}: ${titleCase(topic)}` : titleCase(topic);
  return {
    campaignName: Array.from(name).slice(0, 80).join('').trim(),
    items,
    estimatedDurationS: items.reduce((sum, item) => sum + ITEM_SECONDS[item.media], 0),
  };
}

// Platforms named in the goal, in the order it names them; undefined when it names none.
function platformsIn(goal: string): Platform[] | undefined {
  const found = new Map<Platform, number>();
  for (const [platform, pattern] of PLATFORM_PATTERNS) {
    const at = goal.search(pattern);
    if (at >= 0 && (!found.has(platform) || at < found.get(platform)!)) found.set(platform, at);
  }
  if (found.size === 0) return undefined;
  return [...found.entries()].sort((a, b) => a[1] - b[1]).map(([platform]) => platform);
}

// The first "N posts" (or "a reel", "three short videos") in the goal.
function requestedCount(goal: string): number | undefined {
  const word = (goal.match(COUNT) ?? goal.match(COUNT_ONE))?.[1]?.toLowerCase();
  if (word === undefined) return undefined;
  return /^\d+$/.test(word) ? Number(word) : NUMBERS[word];
}

function mediaFor(platform: Platform, goal: string): PlannedContent['media'] {
  if (platform === 'tiktok' || VIDEO_WORDS.test(goal)) return 'video';
  if (platform === 'instagram' || VISUAL_WORDS.test(goal)) return 'image';
  return 'none';
}

function fallbackTopic(goal: string): string {
  return goal.split(/[,.;:!?]/)[0]!.split(' ').slice(0, 6).join(' ').trim();
}

function titleCase(phrase: string): string {
  return phrase
    .replace(/^(?:our|the|a|an|my|your|their|new)\s+/i, '')
    .split(' ')
    .map((word) => (word.length > 0 ? word[0]!.toUpperCase() + word.slice(1) : word))
    .join(' ');
}

function dedupe<T>(values: T[]): T[] {
  return [...new Set(values)];
}
