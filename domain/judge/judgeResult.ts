// The Judge's content rules: one worker result in, one verdict out (seed 000 §2.3.1). Pure and
// deterministic. Every rule is checked and reported; the route follows the first that applies:
//   1. prompt injection in the source or the artifact      → reject (E1003)
//   2. prohibited keyword or other policy violation         → retry
//   3. platform character limit or max word count           → retry
//   4. AI disclosure missing                                → retry
//   5. near-duplicate of a recent post                      → retry
//   6. sensitive topic (text or risk tags)                  → hitl_queue 'sensitive' (E1006), at any confidence
//   7. confidence c:  c > autoExecuteThreshold             → auto_execute (high)
//                     retryBelow ≤ c ≤ autoExecuteThreshold → hitl_queue 'low_confidence' (medium)
//                     c < retryBelow                        → retry (low)
// So with the defaults 0.90 itself is medium (reviewed) and 0.70 itself is medium (reviewed), as on
// the dashboard's badge (green > 0.90, yellow 0.70–0.90, red < 0.70).
// For image and video the text rules read the caption; the content is a URL.
import { defaultContentPolicy } from './contentPolicy.ts';
import type { ContentPolicy, Platform } from './contentPolicy.ts';
import { findPhrases, foldText } from './foldText.ts';
import type { JudgedArtifact, JudgeInput } from './judgeInput.ts';
import type {
  ConfidenceTier,
  HitlCategory,
  JudgeErrorCode,
  JudgeVerdict,
  RoutingAction,
  Violation,
} from './judgeVerdict.ts';
import { detectPromptInjection } from './promptInjection.ts';
import type { InjectionSignal } from './promptInjection.ts';
import { qualityScore } from './qualityScore.ts';
import { mostSimilar } from './similarity.ts';

const RETRY_RULES: ReadonlySet<Violation['rule']> = new Set([
  'prohibited_keyword',
  'empty_content',
  'template_placeholder',
  'media_reference',
  'platform_limit',
  'max_word_count',
  'ai_disclosure',
  'near_duplicate',
]);

export function judgeResult(input: JudgeInput, policy: ContentPolicy = defaultContentPolicy): JudgeVerdict {
  const text = publishedText(input.artifact);
  const folded = foldText(text);
  const topics = sensitiveTopics(folded, input.riskTags, policy);
  const quality = qualityScore(text, input.modelQuality);
  // In precedence order, so the first violations of a kind also lead the reason.
  const violations: Violation[] = [
    ...injectionViolations(input, text),
    ...contentViolations(input.artifact, text, folded, policy),
    ...limitViolations(text, input.platform, policy),
    ...disclosureViolations(input, policy),
    ...duplicateViolations(text, input.recentPosts, policy),
    ...(topics.length > 0 ? [sensitiveViolation(topics)] : []),
    ...quality.findings,
  ];
  return {
    validation_result: {
      quality_score: quality.score,
      policy_compliant: !violations.some((v) => v.severity === 'critical'),
      sensitive_topics_detected: topics,
      violations,
    },
    ...route(violations, topics, input.confidenceScore, policy),
  };
}

function publishedText(artifact: JudgedArtifact): string {
  return artifact.type === 'text' ? artifact.content : (artifact.caption ?? '');
}

// Rule 1. The source is untrusted input; injection echoed in the artifact means the model followed it,
// and hidden characters in a post would publish text its readers cannot see.
function injectionViolations(input: JudgeInput, text: string): Violation[] {
  const where: Array<[string, InjectionSignal[]]> = [
    ['The source content', detectPromptInjection(input.sourceContent ?? '')],
    [`The generated ${input.artifact.type === 'text' ? 'text' : 'caption'}`, detectPromptInjection(text)],
  ];
  return where
    .filter(([, signals]) => signals.length > 0)
    .map(([place, signals]) => ({
      rule: 'prompt_injection',
      severity: 'critical',
      message: `${place} contains a prompt-injection attempt: ${signals.map(describeSignal).join('; ')}.`,
    }));
}

function describeSignal({ kind, evidence }: InjectionSignal): string {
  return `${kind.replace(/_/g, ' ')} ("${evidence}")`;
}

// Rule 2. Prohibited keywords are matched on folded text, so "k1ll y0urself" or "ｋｙｓ" count too.
function contentViolations(artifact: JudgedArtifact, text: string, folded: string, policy: ContentPolicy): Violation[] {
  const violations: Violation[] = findPhrases(folded, policy.prohibitedKeywords).map((keyword) => ({
    rule: 'prohibited_keyword',
    severity: 'critical',
    message: `It contains the prohibited keyword "${keyword}".`,
  }));
  if (artifact.type === 'text' && folded === '') {
    violations.push({ rule: 'empty_content', severity: 'critical', message: 'The text is empty.' });
  }
  // A template the model did not fill in ("{{product}}", "[insert link]") must never be published.
  const placeholder = text.match(
    /\{\{[^}]*\}\}|\[(?:insert|your|add|link|name|product|brand|placeholder)\b[^\]]*\]|\blorem ipsum\b/iu,
  );
  if (placeholder) {
    violations.push({
      rule: 'template_placeholder',
      severity: 'critical',
      message: `It still contains the template placeholder "${placeholder[0]}".`,
    });
  }
  if (artifact.type !== 'text' && !URL.canParse(artifact.content)) {
    violations.push({
      rule: 'media_reference',
      severity: 'critical',
      message: `The ${artifact.type} content is not a URL to the stored media.`,
    });
  }
  return violations;
}

// Rule 3. Counted in code points of the NFC text, so an emoji is one character, not two UTF-16 units,
// and an accent typed as a combining mark does not count twice.
function limitViolations(text: string, platform: Platform | undefined, policy: ContentPolicy): Violation[] {
  const violations: Violation[] = [];
  const length = Array.from(text.normalize('NFC')).length;
  if (platform !== undefined && length > policy.platformLimits[platform]) {
    violations.push({
      rule: 'platform_limit',
      severity: 'critical',
      message: `It is ${length} characters long, over the ${platform} limit of ${policy.platformLimits[platform]}.`,
    });
  }
  const words = text.split(/\s+/u).filter(Boolean).length;
  if (policy.maxWordCount !== null && words > policy.maxWordCount) {
    violations.push({
      rule: 'max_word_count',
      severity: 'critical',
      message: `It is ${words} words long, over the limit of ${policy.maxWordCount} words.`,
    });
  }
  return violations;
}

// Rule 4. 'assisted' and 'automated' both disclose; 'none' publishes AI content as if a person wrote it.
function disclosureViolations(input: JudgeInput, policy: ContentPolicy): Violation[] {
  if (!policy.requireDisclosure || input.disclosureLevel !== 'none') return [];
  const message = 'It carries no AI disclosure, which this policy requires.';
  return [{ rule: 'ai_disclosure', severity: 'critical', message }];
}

// Rule 5. A warning, not a breach, but reposting the same words looks like spam, so it is regenerated.
function duplicateViolations(text: string, recentPosts: readonly string[], policy: ContentPolicy): Violation[] {
  const nearest = mostSimilar(text, recentPosts);
  if (nearest === null || nearest.similarity < policy.duplicateSimilarity) return [];
  const shown = Array.from(nearest.text);
  const quote = shown.length > 60 ? `${shown.slice(0, 60).join('')}…` : nearest.text;
  return [
    {
      rule: 'near_duplicate',
      severity: 'warning',
      message:
        `It nearly repeats a recent post (similarity ${nearest.similarity.toFixed(2)}, ` +
        `limit ${policy.duplicateSimilarity}): "${quote}".`,
    },
  ];
}

// Rule 6. Topics in policy order, then the worker's sensitive risk tags; a tag naming a topic counts as that topic.
function sensitiveTopics(folded: string, riskTags: readonly string[], policy: ContentPolicy): string[] {
  const tags = new Set(riskTags);
  const topics = Object.entries(policy.sensitiveTopics)
    .filter(([topic, phrases]) => tags.has(topic) || findPhrases(folded, phrases).length > 0)
    .map(([topic]) => topic);
  const flagged = riskTags.filter((tag) => policy.sensitiveRiskTags.includes(tag));
  return [...new Set([...topics, ...flagged])];
}

function sensitiveViolation(topics: string[]): Violation {
  return { rule: 'sensitive_topic', severity: 'warning', message: `It touches sensitive topics: ${topics.join(', ')}.` };
}

// Rule 7. Both boundary values fall in the middle tier: above the threshold is high, below the floor low.
function confidenceTier(confidence: number, policy: ContentPolicy): ConfidenceTier {
  if (confidence > policy.autoExecuteThreshold) return 'high';
  if (confidence >= policy.retryBelow) return 'medium';
  return 'low';
}

type Route = Pick<JudgeVerdict, 'routing_decision' | 'hitl_category' | 'error_code'>;

function route(violations: Violation[], topics: string[], score: number, policy: ContentPolicy): Route {
  const confidence = Number.isFinite(score) ? score : 0; // no usable score is no confidence
  const tier = confidenceTier(confidence, policy);
  const routed = (
    action: RoutingAction,
    reason: string,
    hitl_category: HitlCategory | null = null,
    error_code?: JudgeErrorCode,
  ): Route => ({
    routing_decision: { action, reason, confidence_tier: tier },
    hitl_category,
    ...(error_code === undefined ? {} : { error_code }),
  });
  const causes = (applies: (rule: Violation['rule']) => boolean) =>
    violations.filter((v) => applies(v.rule)).map((v) => lowerFirst(v.message.replace(/\.$/, '')));

  const injection = causes((rule) => rule === 'prompt_injection');
  if (injection.length > 0) {
    const reason =
      `Rejected (E1003): ${injection.join('; ')}. ` +
      'Nothing from this task will be published; treat it as a security incident.';
    return routed('reject', reason, null, 'E1003');
  }
  const regenerate = causes((rule) => RETRY_RULES.has(rule));
  if (regenerate.length > 0) return routed('retry', `Sent back for regeneration: ${regenerate.join('; ')}.`);
  if (topics.length > 0) {
    const reason =
      `Needs human review (E1006): it touches sensitive topics (${topics.join(', ')}), which are never ` +
      `published without a person's approval, whatever the confidence (${confidence}).`;
    return routed('hitl_queue', reason, 'sensitive', 'E1006');
  }
  const { autoExecuteThreshold: threshold, retryBelow } = policy;
  switch (tier) {
    case 'high':
      return routed(
        'auto_execute',
        `Approved for publishing: confidence ${confidence} is above the auto-publish threshold ${threshold} ` +
          'and no policy rule was triggered.',
      );
    case 'medium':
      return routed(
        'hitl_queue',
        `Needs human review: confidence ${confidence} is not above the auto-publish threshold ${threshold} ` +
          `(but not below the retry floor ${retryBelow}).`,
        'low_confidence',
      );
    case 'low':
      return routed('retry', `Sent back for regeneration: confidence ${confidence} is below the retry floor ${retryBelow}.`);
  }
}

function lowerFirst(sentence: string): string {
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}
