import { codePointLength } from './codePoints.ts';
import { contentWords } from './contentSignals.ts';
import type { ScoreInput } from './modelPort.ts';
import { readPersonaCues } from './personaCues.ts';

// The local model's judge: quality by deductions for length, shouting and missed persona
// cues; relevance by how many of a goal's content words the content uses (rules in
// localModel.ts).

export type LocalScore = { quality: number; relevance: number; reasoning: string };

// The longest text any platform takes (an Instagram caption).
const LONGEST_POST = 2200;
// Matching this many of a goal's content words (or all of them, if it has fewer) is full
// relevance: a post cannot be expected to repeat the whole goal.
const WORDS_FOR_FULL_RELEVANCE = 4;
// No goal to serve: neither relevant nor irrelevant.
const RELEVANCE_WITHOUT_GOALS = 0.5;

const EMOJI = /\p{Extended_Pictographic}/u;
const HASHTAG = /(?<![\w#])#[\p{L}\p{N}_]+/u;

export function scoreContent(input: ScoreInput): LocalScore {
  const { quality, notes } = qualityOf(input);
  const { relevance, note } = relevanceOf(input);
  return { quality, relevance, reasoning: `Quality ${quality.toFixed(2)}: ${notes.length > 0 ? notes.join('; ') : 'no issues'}. Relevance ${relevance.toFixed(2)}: ${note}.` };
}

function qualityOf(input: ScoreInput): { quality: number; notes: string[] } {
  const content = input.content.trim();
  if (!/[\p{L}\p{N}]/u.test(content)) return { quality: 0, notes: ['no words'] };
  const notes: string[] = [];
  let quality = 1;
  const deduct = (points: number, why: string) => {
    quality -= points;
    notes.push(why);
  };
  const length = codePointLength(content);
  if (length < 20) deduct(0.3, `too short (${length} characters)`);
  if (length > LONGEST_POST) deduct(0.3, `longer than any platform allows (${length} characters)`);
  const letters = content.match(/\p{L}/gu) ?? [];
  const upper = content.match(/\p{Lu}/gu) ?? [];
  if (letters.length >= 12 && upper.length / letters.length > 0.6) deduct(0.3, 'shouting (mostly capitals)');
  if (/[!?]{3,}/.test(content)) deduct(0.1, 'runs of !!!');
  const cues = readPersonaCues(input.persona.soulMd);
  const hasEmoji = EMOJI.test(content);
  const hasHashtags = HASHTAG.test(content);
  if (cues.emoji === 'yes' && !hasEmoji) deduct(0.1, 'no emoji though the persona uses them');
  if (cues.emoji === 'no' && hasEmoji) deduct(0.15, 'emoji the persona avoids');
  if (cues.hashtags === 'yes' && !hasHashtags) deduct(0.1, 'no hashtags though the persona uses them');
  if (cues.hashtags === 'no' && hasHashtags) deduct(0.15, 'hashtags the persona avoids');
  return { quality: round2(Math.max(0, quality)), notes };
}

function relevanceOf(input: ScoreInput): { relevance: number; note: string } {
  const content = contentWords(input.content);
  const goals = input.goals.map((goal) => contentWords(goal, { dropGoalNoise: true })).filter((words) => words.size > 0);
  if (goals.length === 0) return { relevance: RELEVANCE_WITHOUT_GOALS, note: 'no goal words to compare with' };
  // The goal the content serves best.
  let best = { relevance: 0, matched: [] as string[], of: 0 };
  for (const goal of goals) {
    const matched = [...goal].filter((word) => content.has(word));
    const relevance = Math.min(1, matched.length / Math.min(WORDS_FOR_FULL_RELEVANCE, goal.size));
    if (relevance > best.relevance || (relevance === best.relevance && matched.length > best.matched.length)) best = { relevance, matched, of: goal.size };
  }
  const note = best.matched.length > 0 ? `uses ${best.matched.length} of ${best.of} goal words (${best.matched.slice(0, 5).join(', ')})` : 'shares no words with the goals';
  return { relevance: round2(best.relevance), note };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
