// The Judge's content policy as data. An agent's policy version may override any field (loaded
// from JSON and checked by resolveContentPolicy); the judge service sets autoExecuteThreshold from
// HITL_CONFIDENCE_THRESHOLD (seed 001 §5.1).
import { z } from 'zod';
import type { DomainError } from '../decider.ts';
import { foldText } from './foldText.ts';
import {
  POLICY_CATEGORIES,
  categoryRuleSchema,
  defaultCategoryRules,
  detectorSchema,
  policyCategorySchema,
  type PolicyCategory,
} from './policyTaxonomy.ts';

export const platformSchema = z.enum(['twitter', 'threads', 'instagram', 'tiktok']);
export type Platform = z.infer<typeof platformSchema>;

const share = z.number().min(0).max(1);
const limit = z.int().positive();
// A phrase that folds to nothing (say, only zero-width characters) would match everywhere.
const phrase = z
  .string()
  .refine((text) => foldText(text).replace(/\*$/, '').trim() !== '', 'a phrase needs visible text');

const platformLimitsSchema = z.strictObject({ twitter: limit, threads: limit, instagram: limit, tiktok: limit });
const categoriesSchema = z.strictObject(
  Object.fromEntries(POLICY_CATEGORIES.map((c) => [c, categoryRuleSchema])) as Record<PolicyCategory, typeof categoryRuleSchema>,
);
const categoryOverridesSchema = z.partialRecord(policyCategorySchema, categoryRuleSchema.partial());

const contentPolicyFields = z.strictObject({
  // Confidence strictly above this is published without review.
  autoExecuteThreshold: share,
  // Confidence strictly below this is regenerated; from here up to the threshold a person reviews.
  retryBelow: share,
  // Topic name → phrases (see phrasePattern). A topic with no phrases is switched off.
  sensitiveTopics: z.record(z.string().min(1), z.array(phrase)),
  // Worker risk tags that make a result sensitive by themselves (a tag naming a topic does too).
  sensitiveRiskTags: z.array(z.string().min(1)),
  prohibitedKeywords: z.array(phrase),
  // Caption/text length per platform, in Unicode code points.
  platformLimits: platformLimitsSchema,
  // Seed 002's max_word_count; null for none.
  maxWordCount: limit.nullable(),
  requireDisclosure: z.boolean(),
  // Similarity (0..1) to a recent post at or above which a result counts as a near-duplicate.
  duplicateSimilarity: z.number().gt(0).max(1),
  // The taxonomy (policyTaxonomy.ts): each category's label, severity and whether it is checked.
  categories: categoriesSchema,
  // The semantic classifier's bank (domain/judge/classifier/banks/<id>.json), and any thresholds
  // this policy sets over the bank's own.
  classifierBank: z.string().min(1),
  semanticThresholds: z.partialRecord(policyCategorySchema, share),
  // Detectors whose answer a result needs before it may be published without a person: one
  // that is missing, down, late or talking nonsense sends the result to moderators.
  requiredDetectors: z.array(detectorSchema),
});

export const contentPolicySchema = contentPolicyFields.refine((p) => p.retryBelow <= p.autoExecuteThreshold, {
  message: 'retryBelow must not exceed autoExecuteThreshold',
  path: ['retryBelow'],
});
export type ContentPolicy = z.infer<typeof contentPolicySchema>;

// What a policy version may set: any field; platform limits and sensitive topics merge one entry at a time.
export const contentPolicyOverridesSchema = contentPolicyFields
  .partial()
  .extend({ platformLimits: platformLimitsSchema.partial().optional(), categories: categoryOverridesSchema.optional() });
export type ContentPolicyOverrides = z.infer<typeof contentPolicyOverridesSchema>;

// A starting list; policy versions tune it. Phrases are whole words, matched after folding (foldText).
// They lean towards specific wording: a sensitive match sends a post to a person, so loose words
// ("vote" in "vote for your fave look", "killed it", "shooting" for a photo shoot, zodiac "Cancer")
// would flood the queue.
const defaultSensitiveTopics: Record<string, string[]> = {
  politics: [
    'politic*', 'election*', 'ballot*', 'voter*', 'president*', 'senator*', 'parliament*', 'congress*',
    'democrat*', 'republican*', 'prime minister', 'impeach*', 'legislat*', 'political party', 'left wing',
    'right wing',
  ],
  health: [
    'diagnos*', 'symptom*', 'vaccin*', 'medication*', 'prescription*', 'dosage*', 'disease*', 'tumor*',
    'tumour*', 'chemotherapy', 'oncolog*', 'diabet*', 'covid*', 'pandemic*', 'mental health', 'depression',
    'eating disorder*', 'weight loss', 'side effect*', 'overdose*', 'suicid*', 'self harm', 'medical advice',
  ],
  religion: [
    'religio*', 'church*', 'mosque*', 'synagogue*', 'bible*', 'quran*', 'koran*', 'torah*', 'islam*',
    'muslim*', 'christianity', 'christians', 'jewish', 'judaism', 'hindu*', 'buddhis*', 'atheis*',
    'blasphem*', 'sermon*',
  ],
  finance: [
    'financial advice', 'investment advice', 'stocks', 'stock market', 'stock pick*', 'crypto*',
    'bitcoin*', 'ethereum', 'buy the dip', 'price target*', 'day trading', 'forex', 'passive income',
    'dividend*', 'interest rate*', 'mortgage*', '401k', 'token sale', 'funding round*', 'seed round',
    'series a', 'series b', 'series c', 'our investors', 'venture capital', 'ipo', 'shareholder*', 'earnings call',
  ],
  legal: [
    'lawsuit*', 'legal advice', 'attorney*', 'lawyer*', 'court case*', 'defamat*', 'libel*',
    'class action', 'indict*', 'subpoena*', 'cease and desist', 'plead guilty', 'infring*',
  ],
  tragedy: [
    'mass shooting*', 'shooter*', 'gunman', 'terroris*', 'terror attack*', 'bombing*', 'murder*',
    'death toll', 'massacre*', 'genocide*', 'war crime*', 'earthquake*', 'hurricane*', 'tsunami*',
    'natural disaster*', 'plane crash*', 'tragedy', 'tragedies', 'victims', 'condolence*', 'rest in peace',
    'funeral*', 'hostage*', 'stabbing*', 'assault*', 'violen*',
  ],
};

// The bank `chimera judge train` wrote last for the local embedding model.
export const DEFAULT_CLASSIFIER_BANK = 'minilm-l6-v2';

export const defaultContentPolicy: ContentPolicy = deepFreeze({
  autoExecuteThreshold: 0.9,
  retryBelow: 0.7,
  sensitiveTopics: defaultSensitiveTopics,
  sensitiveRiskTags: ['sensitive_topic', 'sensitive_activity'],
  // The brand's own banned phrases (regenerated); harm is the taxonomy's (lexicalRules.ts).
  prohibitedKeywords: ['buy followers', 'follow for follow'],
  platformLimits: { twitter: 280, threads: 500, instagram: 2200, tiktok: 2200 },
  maxWordCount: 280,
  requireDisclosure: true,
  duplicateSimilarity: 0.85,
  categories: defaultCategoryRules,
  classifierBank: DEFAULT_CLASSIFIER_BANK,
  // The linear classifier confused brand small talk with sensitive topics (a reading list as
  // religion, a latte as politics) at its own thresholds; there it must be sure. The
  // neighbours and the phrase lists still read them.
  semanticThresholds: { politics: 0.9, health: 0.9, religion: 0.9, finance: 0.9, legal: 0.9, tragedy: 0.9 },
  requiredDetectors: ['lexical', 'semantic'],
});

export type ContentPolicyResolution = { ok: true; policy: ContentPolicy } | { ok: false; error: DomainError };

// Overrides (e.g. parsed JSON of a policy version) laid over `base`, then the whole policy checked.
// An invalid policy is a value, not an exception: the caller decides whether to fall back or stop.
export function resolveContentPolicy(
  overrides: unknown,
  base: ContentPolicy = defaultContentPolicy,
): ContentPolicyResolution {
  const parsed = contentPolicyOverridesSchema.safeParse(overrides ?? {});
  if (!parsed.success) return invalid(parsed.error);
  const { platformLimits, sensitiveTopics, categories, ...fields } = parsed.data;
  const topics = Object.entries({ ...base.sensitiveTopics, ...sensitiveTopics }).filter(([, list]) => list.length > 0);
  const merged = {
    ...base,
    ...fields,
    platformLimits: { ...base.platformLimits, ...platformLimits },
    sensitiveTopics: Object.fromEntries(topics),
    categories: Object.fromEntries(POLICY_CATEGORIES.map((c) => [c, { ...base.categories[c], ...categories?.[c] }])),
  };
  const checked = contentPolicySchema.safeParse(merged);
  return checked.success ? { ok: true, policy: deepFreeze(checked.data) } : invalid(checked.error);
}

function invalid(error: z.ZodError): ContentPolicyResolution {
  const issues = error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const first = issues[0];
  const message = first ? `content policy invalid at ${first.path || '(root)'}: ${first.message}` : 'content policy invalid';
  return { ok: false, error: { code: 'content_policy_invalid', message, details: { issues } } };
}

// Policies are shared by every judgement; freezing them keeps one judgement from changing the next.
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
