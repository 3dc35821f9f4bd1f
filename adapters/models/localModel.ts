import { performance } from 'node:perf_hooks';
import { codePointLength } from './codePoints.ts';
import { planFromGoal } from './localPlan.ts';
import { scoreContent } from './localScoring.ts';
import { writeAsPersona } from './localWriting.ts';
import type {
  DecomposeInput,
  DecomposeOutput,
  ModelCall,
  ModelPort,
  ModelPurpose,
  ScoreInput,
  ScoreOutput,
  WriteInput,
  WriteOutput,
} from './modelPort.ts';
import { canonicalJson, promptHash } from './promptHash.ts';

/*
 * The deterministic local model: the embedded default, so that Chimera runs offline and a
 * replay gets identical answers. Every answer is a pure function of the input (choices among
 * phrasings are seeded by a hash of it); only `call.durationMs` is measured.
 *
 * decompose (localPlan.ts)
 * - Platforms named in the goal (Twitter/tweet/X, Instagram/IG, Threads, TikTok), in the order
 *   named, replace `platforms`; with neither, twitter.
 * - Count: the first "N <posts|tweets|reels|videos|photos|stories|...>" ("3 posts", "two
 *   short videos", "a reel"); "each"/"per platform" multiplies by the platforms. No count: one
 *   item per platform. Always 1..maxItems (default 3). Items go round-robin over platforms.
 * - Audience: `audience`, else "to/for/targeting <... Gen Z|students|gamers|fans|...>", else
 *   "our followers". Topic: "about/featuring/highlighting/focused on X"; subject: "promote/
 *   launch/announce/share/... X" (each ends at on/for/to/with/punctuation).
 * - Brief: one of five angles (first look, why we care, what to know, behind the scenes, a
 *   question), rotating from a goal-seeded start. Media: video for TikTok or when the goal says
 *   video/reel/clip; else image for Instagram or when it says photo/picture/image/look/visual;
 *   else none. Duration: 60 s per text item, 150 s per image, 300 s per video.
 *
 * write (localWriting.ts)
 * - Text: opener + brief (a leading "write a post about" dropped) + emoji + sign-off + hashtags.
 *   Posts open by the SOUL.md's first tone word (playful, warm, professional, bold, inspiring
 *   groups); replies open by what the source is (a question, thanks, a complaint) and sign with
 *   the persona name, and never copy text from the source. Emoji and hashtags only when the
 *   SOUL.md asks for them ("no/never/avoid/don't" or a Don't heading turns a cue off).
 * - maxChars (code points) always holds: extras are dropped (hashtags, sign-off, emoji, opener)
 *   before the body is shortened with "…" (tag `truncated`).
 * - Confidence, the lowest that applies, examining the brief and (replies) the source:
 *     0.94  a clear brief (3+ content words), nothing below            → high tier
 *     0.85  vague brief (< 3 content words)              `vague_brief`  → medium
 *     0.80  politics/elections/health/medical/religion/finance words
 *                             `sensitive_topic` + `sensitive:<area>`   → medium
 *     0.78  the source (or a brief sentence) gives orders ("ignore previous instructions",
 *           "system prompt", "you are now"...)    `prompt_injection_attempt`; such brief
 *           sentences are dropped                                        → medium
 *     0.62  speculation/rumour/unverified/unconfirmed/leak/allegedly  `unverified_claim` → low
 *
 * score (localScoring.ts)
 * - quality = 1 minus: 0.3 shorter than 20 or longer than 2,200 characters; 0.3 shouting
 *   (> 60% capitals of 12+ letters); 0.1 "!!!"; 0.1 emoji/hashtags missing that the SOUL.md
 *   asks for; 0.15 emoji/hashtags present that it forbids. No words at all: 0.
 * - relevance = for the best-served goal, matched content words / min(4, goal's content words),
 *   capped at 1 (platform names, "promote", "post"... are not content words); 0.5 with no goals.
 *
 * The ModelCall: provider 'local', model 'chimera-local-1', promptHash = SHA-256 of the
 * canonical JSON of {purpose, input}, output = the answer as JSON, tokens estimated as one
 * per four characters, cost 0.
 */
export class LocalModel implements ModelPort {
  readonly provider = 'local';
  readonly model = 'chimera-local-1';

  async decompose(input: DecomposeInput): Promise<DecomposeOutput> {
    return this.answer('decompose', input, () => planFromGoal(input));
  }

  async write(input: WriteInput): Promise<WriteOutput> {
    return this.answer('write', input, () => writeAsPersona(input));
  }

  async score(input: ScoreInput): Promise<ScoreOutput> {
    return this.answer('score', input, () => scoreContent(input));
  }

  private answer<T extends object>(purpose: ModelPurpose, input: unknown, compute: () => T): T & { call: ModelCall } {
    const started = performance.now();
    const prompt = canonicalJson({ purpose, input });
    const result = compute();
    const output = JSON.stringify(result);
    const call: ModelCall = {
      provider: this.provider,
      model: this.model,
      purpose,
      promptHash: promptHash(prompt),
      output,
      inputTokens: estimateTokens(prompt),
      outputTokens: estimateTokens(output),
      costUsd: 0,
      durationMs: Math.round(performance.now() - started),
    };
    return { ...result, call };
  }
}

function estimateTokens(text: string): number {
  return Math.ceil(codePointLength(text) / 4);
}
