// The Judge's content rules: one worker result in, one verdict out (seed 000 §2.3.1). Pure and
// deterministic: the semantic and LLM detectors run outside and bring their reports; the lexical
// rules run here. Every rule is checked and reported; the route follows the first that applies,
// the most severe first:
//   1. prompt injection in the source or the artifact      → reject (E1003)
//   2. a critical policy finding (policyTaxonomy.ts)      → hitl_queue 'blocked' (E1006, an incident)
//   3. a high policy finding                               → hitl_queue 'sensitive' (E1006)
//   4. prohibited keyword, empty text, template placeholder, media reference,
//      platform character limit or max word count, AI disclosure missing,
//      near-duplicate of a recent post                     → retry
//   5. sensitive topic (text, goal or risk tags)           → hitl_queue 'sensitive' (E1006), at any confidence
//   6. a required detector missing, down, late or invalid  → hitl_queue 'unverified' (fails closed)
//   7. confidence c:  c > autoExecuteThreshold             → auto_execute (high)
//                     retryBelow ≤ c ≤ autoExecuteThreshold → hitl_queue 'low_confidence' (medium)
//                     c < retryBelow                        → retry (low)
// So with the defaults 0.90 itself is medium (reviewed) and 0.70 itself is medium (reviewed), as on
// the dashboard's badge (green > 0.90, yellow 0.70–0.90, red < 0.70).
// For image and video the text rules read the caption; the content is a URL. The goal the result
// serves is read too: what the goal asks for is what the result is for.
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
import { detectLexical } from './lexicalDetector.ts';
import { withMinorsRule } from './minorsRule.ts';
import { bySeverity, isHarmCategory, type DetectorReport, type PolicyFinding } from './policyTaxonomy.ts';
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

export function judgeResult(input: JudgeInput, policy: ContentPolicy = defaultContentPolicy, reports: readonly DetectorReport[] = []): JudgeVerdict {
  const text = publishedText(input.artifact);
  const folded = foldText(text);
  const lexical = lexicalReport(text, input.goal, policy);
  const all = [lexical, ...reports];
  const reported = all
    .filter((r) => r.status === 'ok')
    .flatMap((r) => r.findings)
    .filter((f) => policy.categories[f.category].enabled);
  const findings = withMinorsRule(reported, { content: text, ...(input.goal ? { goal: input.goal } : {}) }, policy).sort(bySeverity);
  const unanswered = unansweredDetectors(all, policy);
  const topics = sensitiveTopics(folded, input.riskTags, findings, policy);
  const quality = qualityScore(text, input.modelQuality);
  // In precedence order, so the first violations of a kind also lead the reason.
  const violations: Violation[] = [
    ...injectionViolations(input, text),
    ...harmViolations(findings, policy),
    ...contentViolations(input.artifact, text, folded, policy),
    ...limitViolations(text, input.platform, policy),
    ...disclosureViolations(input, policy),
    ...duplicateViolations(text, input.recentPosts, policy),
    ...(topics.length > 0 ? [sensitiveViolation(topics)] : []),
    ...unanswered.map(unansweredViolation),
    ...quality.findings,
  ];
  return {
    validation_result: {
      quality_score: quality.score,
      policy_compliant: !violations.some((v) => v.severity === 'critical'),
      sensitive_topics_detected: topics,
      violations,
      findings,
      detectors: all.map(({ detector, status, detail, duration_ms }) => ({ detector, status, detail, duration_ms })),
    },
    ...route(violations, findings, topics, unanswered, input.confidenceScore, policy),
  };
}

// The lexical rules read the published text and the goal it serves.
function lexicalReport(text: string, goal: string | undefined, policy: ContentPolicy): DetectorReport {
  const options = { categories: policy.categories, sensitiveTopics: policy.sensitiveTopics };
  const findings = [...detectLexical(text, 'content', options), ...(goal ? detectLexical(goal, 'goal', options) : [])];
  return { detector: 'lexical', status: 'ok', findings, detail: null, duration_ms: 0 };
}

// A required detector that sent no report counts as one that could not say.
function unansweredDetectors(reports: readonly DetectorReport[], policy: ContentPolicy): DetectorReport[] {
  const failed = reports.filter((r) => r.status !== 'ok' && policy.requiredDetectors.includes(r.detector));
  const missing = policy.requiredDetectors
    .filter((d) => !reports.some((r) => r.detector === d))
    .map((detector): DetectorReport => ({ detector, status: 'unavailable', findings: [], detail: 'it did not report on this result', duration_ms: 0 }));
  return [...failed, ...missing];
}

// One violation per harm category found, the most severe first, quoting the first evidence.
function harmViolations(findings: readonly PolicyFinding[], policy: ContentPolicy): Violation[] {
  const seen = new Set<string>();
  const violations: Violation[] = [];
  for (const finding of findings) {
    if (!isHarmCategory(finding.category) || seen.has(finding.category)) continue;
    seen.add(finding.category);
    const { label } = policy.categories[finding.category];
    const where = finding.source === 'goal' ? "The campaign's goal" : finding.source === 'source' ? 'The source' : 'It';
    violations.push({
      rule: finding.category,
      severity: 'critical',
      message: `${where} reads as ${lowerFirst(label)} (${finding.severity}, found by the ${finding.detector} detector): "${finding.evidence}".`,
    });
  }
  return violations;
}

function unansweredViolation(report: DetectorReport): Violation {
  return {
    rule: 'detector_unavailable',
    severity: 'warning',
    message: `The ${report.detector} detector could not check it (${report.status}: ${report.detail ?? 'no detail'}).`,
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

// Rule 5. Every category the detectors found, most severe first; then the policy's own topics
// beyond the taxonomy and the worker's sensitive risk tags (a tag naming a topic counts as it).
function sensitiveTopics(folded: string, riskTags: readonly string[], findings: readonly PolicyFinding[], policy: ContentPolicy): string[] {
  const tags = new Set(riskTags);
  const found = findings.map((f) => f.category as string);
  const taxonomy = new Set<string>(Object.keys(policy.categories));
  const topics = Object.entries(policy.sensitiveTopics)
    .filter(([topic, phrases]) => tags.has(topic) || (!taxonomy.has(topic) && findPhrases(folded, phrases).length > 0))
    .map(([topic]) => topic);
  const flagged = riskTags.filter((tag) => policy.sensitiveRiskTags.includes(tag));
  return [...new Set([...found, ...topics, ...flagged])];
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

function route(
  violations: Violation[],
  findings: readonly PolicyFinding[],
  topics: string[],
  unanswered: readonly DetectorReport[],
  score: number,
  policy: ContentPolicy,
): Route {
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
  const harm = (severity: PolicyFinding['severity']) =>
    causes((rule) => findings.some((f) => f.category === rule && f.severity === severity && isHarmCategory(rule)));
  const critical = harm('critical');
  if (critical.length > 0) {
    const reason =
      `Blocked (E1006): ${critical.join('; ')}. It is logged as an incident and held for moderators; ` +
      'only a moderator who overrides the block on the record can release it.';
    return routed('hitl_queue', reason, 'blocked', 'E1006');
  }
  const high = harm('high');
  if (high.length > 0) {
    const reason = `Needs human review (E1006): ${high.join('; ')}. A moderator decides, whatever the confidence (${confidence}).`;
    return routed('hitl_queue', reason, 'sensitive', 'E1006');
  }
  const regenerate = causes((rule) => RETRY_RULES.has(rule));
  if (regenerate.length > 0) return routed('retry', `Sent back for regeneration: ${regenerate.join('; ')}.`);
  const unchecked = unanswered.length > 0 ? ` ${unanswered.map(unansweredViolation).map((v) => v.message.replace(/\.$/, '')).join('; ')}.` : '';
  if (topics.length > 0) {
    const reason =
      `Needs human review (E1006): it touches sensitive topics (${topics.join(', ')}), which are never ` +
      `published without a person's approval, whatever the confidence (${confidence}).${unchecked}`;
    return routed('hitl_queue', reason, 'sensitive', 'E1006');
  }
  if (unanswered.length > 0) {
    const reason = `Needs human review: nothing may be published that the policy's detectors did not clear.${unchecked}`;
    return routed('hitl_queue', reason, 'unverified');
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
