// quality_score (0..1) for a result's published text. A judging model's score is taken as given;
// simple mechanical checks cap it, because no model score can vouch for a post that shouts in
// capitals or reads like a refusal. Each failed check lowers the cap by 0.2:
//   score = min(modelQuality ?? 1, 1 - 0.2 × failed checks), floored at 0, rounded to 2 decimals.
// The score is reported, not routed on: routing follows confidence and the policy rules.
import type { Violation } from './judgeVerdict.ts';

const PENALTY = 0.2;
const MAX_HASHTAGS = 10;

type Check = { rule: Violation['rule']; fails: (text: string) => boolean; message: string };

const CHECKS: readonly Check[] = [
  {
    rule: 'all_caps',
    fails: (text) => {
      const letters = text.match(/\p{L}/gu)?.filter((ch) => ch.toLowerCase() !== ch.toUpperCase()) ?? [];
      const upper = letters.filter((ch) => ch === ch.toUpperCase()).length;
      return letters.length >= 12 && upper / letters.length > 0.8;
    },
    message: 'The text is almost all capital letters, which reads as shouting.',
  },
  {
    rule: 'repeated_characters',
    fails: (text) => /(\S)\1{5,}/u.test(text),
    message: 'The text repeats one character six or more times in a row.',
  },
  {
    rule: 'hashtag_overuse',
    fails: (text) => (text.match(/#[\p{L}\p{N}_]+/gu)?.length ?? 0) > MAX_HASHTAGS,
    message: `The text has more than ${MAX_HASHTAGS} hashtags.`,
  },
  {
    rule: 'assistant_boilerplate',
    fails: (text) =>
      /\bas an ai(?: language)? model\b|\bi(?:'m| am) (?:sorry,? )?(?:but )?(?:unable|not able) to (?:help|assist|comply)|\bi can(?:'t|not) (?:help|assist) with (?:that|this)\b/iu.test(
        text.replace(/\u2019/g, "'"),
      ),
    message: 'The text reads like an assistant refusal or boilerplate, not the persona speaking.',
  },
];

export type QualityAssessment = { score: number; findings: Violation[] };

export function qualityScore(text: string, modelQuality?: number): QualityAssessment {
  const findings = CHECKS.filter((check) => check.fails(text)).map(
    ({ rule, message }): Violation => ({ rule, severity: 'info', message }),
  );
  const given = modelQuality !== undefined && Number.isFinite(modelQuality) ? Math.min(1, Math.max(0, modelQuality)) : 1;
  const cap = Math.max(0, 1 - PENALTY * findings.length);
  return { score: Math.round(Math.min(given, cap) * 100) / 100, findings };
}
