// What the Judge decides about one worker result: seed 000 §2.3.1's validation_result and
// routing_decision, plus the HITL queue category (§2.5.1 filters) and the seed 001 error code.
// 'reject' extends the seed's three actions, for prompt injection (E1003: reject task, log incident).
import { z } from 'zod';
import { detectorSchema, detectorStatusSchema, harmCategorySchema, policyFindingSchema } from './policyTaxonomy.ts';

// A harm category (policyTaxonomy.ts) is a rule of its own: the violation names what was found.
export const judgeRuleSchema = z.enum([
  ...harmCategorySchema.options,
  'prompt_injection',
  'prohibited_keyword',
  'empty_content',
  'template_placeholder',
  'media_reference',
  'platform_limit',
  'max_word_count',
  'ai_disclosure',
  'near_duplicate',
  'sensitive_topic',
  // A detector that did not answer: the result cannot be cleared without a person.
  'detector_unavailable',
  // Quality checks: reported with severity 'info', they lower quality_score and never route.
  'all_caps',
  'repeated_characters',
  'hashtag_overuse',
  'assistant_boilerplate',
]);
export type JudgeRule = z.infer<typeof judgeRuleSchema>;

export const severitySchema = z.enum(['critical', 'warning', 'info']);
export type Severity = z.infer<typeof severitySchema>;

export const violationSchema = z.strictObject({ rule: judgeRuleSchema, severity: severitySchema, message: z.string().min(1) });
export type Violation = z.infer<typeof violationSchema>;

export const routingActionSchema = z.enum(['auto_execute', 'hitl_queue', 'retry', 'reject']);
export type RoutingAction = z.infer<typeof routingActionSchema>;

export const confidenceTierSchema = z.enum(['high', 'medium', 'low']);
export type ConfidenceTier = z.infer<typeof confidenceTierSchema>;

// 'blocked': a critical finding (an incident); only a moderator's explicit override releases it.
// 'unverified': a detector could not say, so nobody can vouch for it but a person.
export const hitlCategorySchema = z.enum(['blocked', 'sensitive', 'unverified', 'low_confidence']);
export type HitlCategory = z.infer<typeof hitlCategorySchema>;

export const judgeErrorCodeSchema = z.enum(['E1003', 'E1006']);
export type JudgeErrorCode = z.infer<typeof judgeErrorCodeSchema>;

export const judgeVerdictSchema = z.strictObject({
  validation_result: z.strictObject({
    quality_score: z.number().min(0).max(1),
    // False when any violation is critical.
    policy_compliant: z.boolean(),
    // Every policy category found (harm and sensitive topics), most severe first.
    sensitive_topics_detected: z.array(z.string()),
    violations: z.array(violationSchema),
    // What each detector found, with its evidence, and how each detector fared.
    findings: z.array(policyFindingSchema),
    detectors: z.array(
      z.strictObject({ detector: detectorSchema, status: detectorStatusSchema, detail: z.string().nullable(), duration_ms: z.number().nonnegative() }),
    ),
  }),
  routing_decision: z.strictObject({
    action: routingActionSchema,
    // A sentence for the operator; the dashboard shows it as the judge's reasoning.
    reason: z.string().min(1),
    confidence_tier: confidenceTierSchema,
  }),
  // Set exactly when action is hitl_queue.
  hitl_category: hitlCategorySchema.nullable(),
  // E1003 with reject, E1006 with a sensitive hitl_queue; absent otherwise.
  error_code: judgeErrorCodeSchema.optional(),
});
export type JudgeVerdict = z.infer<typeof judgeVerdictSchema>;
