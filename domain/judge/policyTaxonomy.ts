// The Judge's policy taxonomy as data: what a trust-and-safety team looks for, how severe each
// kind of harm is and where it sends a result. Seed 001 §6's E1006 (content safety violation:
// escalate to HITL, log for review) is the route of every category:
//   - critical: an incident; the result is held for moderators in a blocked state that only an
//     explicit override, recorded as the moderator's, can release;
//   - high and sensitive: a moderator decides, at any confidence (HITL 'sensitive').
// A policy version may change any category's severity or switch it off (contentPolicy.ts).
import { z } from 'zod';

// Kinds of harm. A finding of one is a policy violation.
export const harmCategorySchema = z.enum([
  'hate', // against protected groups: race, ethnicity, nationality, religion, gender, sexuality, disability
  'violence', // glorifying violence, incitement, calls to attack
  'harassment', // a targeted person: harassment, brigading, threats
  'self_harm', // encouraging or instructing suicide, self-injury, eating disorders
  'sexual', // explicit sexual content, solicitation
  'sexual_minors', // anything sexual involving minors
  'scam', // financial fraud: doubling offers, guaranteed returns, fake giveaways, pump schemes
  'privacy', // doxxing: home addresses, phone numbers, personal documents of private people
  'impersonation', // posing as a person, brand or authority; false official statements
  'dangerous', // weapons, drugs and illegal goods, instructions for harm
  'health_misinformation', // miracle cures, anti-treatment claims
  'civic_misinformation', // false voting procedures, dates, eligibility; election fraud claims
]);
export type HarmCategory = z.infer<typeof harmCategorySchema>;

// Sensitive topics: not harmful in themselves, but never published without a person.
export const sensitiveTopicSchema = z.enum(['politics', 'health', 'religion', 'finance', 'legal', 'tragedy']);
export type SensitiveTopic = z.infer<typeof sensitiveTopicSchema>;

export const policyCategorySchema = z.union([harmCategorySchema, sensitiveTopicSchema]);
export type PolicyCategory = z.infer<typeof policyCategorySchema>;

export const POLICY_CATEGORIES: readonly PolicyCategory[] = [...harmCategorySchema.options, ...sensitiveTopicSchema.options];

export function isHarmCategory(category: string): category is HarmCategory {
  return (harmCategorySchema.options as readonly string[]).includes(category);
}

export const findingSeveritySchema = z.enum(['critical', 'high', 'sensitive']);
export type FindingSeverity = z.infer<typeof findingSeveritySchema>;

// Where each severity sends a result.
export type FindingRoute = 'block' | 'hitl';
export function routeOf(severity: FindingSeverity): FindingRoute {
  return severity === 'critical' ? 'block' : 'hitl';
}

export const SEVERITY_RANK: Readonly<Record<FindingSeverity, number>> = { critical: 3, high: 2, sensitive: 1 };

export const categoryRuleSchema = z.strictObject({
  label: z.string().min(1),
  severity: findingSeveritySchema,
  // A switched-off category is neither detected nor reported.
  enabled: z.boolean(),
});
export type CategoryRule = z.infer<typeof categoryRuleSchema>;

const rule = (label: string, severity: FindingSeverity): CategoryRule => ({ label, severity, enabled: true });

export const defaultCategoryRules: Readonly<Record<PolicyCategory, CategoryRule>> = {
  hate: rule('Hate against a protected group', 'critical'),
  violence: rule('Violence or incitement', 'critical'),
  harassment: rule('Targeted harassment, brigading or threats', 'critical'),
  self_harm: rule('Encouraging self-harm', 'critical'),
  sexual: rule('Sexual content', 'high'),
  sexual_minors: rule('Sexual content involving minors', 'critical'),
  scam: rule('Scam or financial fraud', 'critical'),
  privacy: rule("Private person's personal data (doxxing)", 'critical'),
  impersonation: rule('Impersonation or a false official statement', 'high'),
  dangerous: rule('Dangerous or illegal goods or instructions', 'critical'),
  health_misinformation: rule('Health misinformation', 'high'),
  civic_misinformation: rule('Election or civic misinformation', 'high'),
  politics: rule('Politics and elections', 'sensitive'),
  health: rule('Health and medicine', 'sensitive'),
  religion: rule('Religion', 'sensitive'),
  finance: rule('Financial advice', 'sensitive'),
  legal: rule('Legal matters', 'sensitive'),
  tragedy: rule('Tragedy and violence in the news', 'sensitive'),
};

export const detectorSchema = z.enum(['lexical', 'semantic', 'llm']);
export type Detector = z.infer<typeof detectorSchema>;

// What was read: the published text, the campaign goal it serves, or the untrusted source it answers.
export const findingSourceSchema = z.enum(['content', 'goal', 'source']);
export type FindingSource = z.infer<typeof findingSourceSchema>;

export const policyFindingSchema = z.strictObject({
  category: policyCategorySchema,
  severity: findingSeveritySchema,
  detector: detectorSchema,
  source: findingSourceSchema,
  // The words that triggered it, as written (at most 200 characters), and where they are in
  // the text that was read (code-unit offsets), when the detector can say.
  evidence: z.string(),
  span: z.strictObject({ start: z.int().nonnegative(), end: z.int().nonnegative() }).nullable(),
  // The detector's score (0..1) when it has one.
  score: z.number().min(0).max(1).nullable(),
  reason: z.string().min(1),
});
export type PolicyFinding = z.infer<typeof policyFindingSchema>;

// One detector's answer on one result: it ran and found these, or it could not say.
export const detectorStatusSchema = z.enum(['ok', 'unavailable', 'timeout', 'invalid']);
export type DetectorStatus = z.infer<typeof detectorStatusSchema>;

export const detectorReportSchema = z.strictObject({
  detector: detectorSchema,
  status: detectorStatusSchema,
  findings: z.array(policyFindingSchema),
  // Why it could not say (status other than ok), or what it ran on (a model id).
  detail: z.string().nullable(),
  duration_ms: z.number().nonnegative(),
});
export type DetectorReport = z.infer<typeof detectorReportSchema>;

// The most severe first; ties keep detector order.
export function bySeverity(a: PolicyFinding, b: PolicyFinding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
}

export function evidenceOf(text: string, start: number, end: number): { evidence: string; span: { start: number; end: number } } {
  const quoted = text.slice(start, end);
  return { evidence: quoted.length > 200 ? `${quoted.slice(0, 199)}…` : quoted, span: { start, end } };
}
