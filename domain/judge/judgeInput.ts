// What the Judge is given about one worker result (seed 000 §2.2.1 / §2.3.1, in the domain's own
// camelCase), plus what the service adds: the untrusted text the task acted on and the agent's
// recent posts. The edge validates with this schema; judgeResult itself trusts its input's shape.
import { z } from 'zod';
import { platformSchema } from './contentPolicy.ts';

export const artifactTypeSchema = z.enum(['text', 'image', 'video']);
export type ArtifactType = z.infer<typeof artifactTypeSchema>;

export const disclosureLevelSchema = z.enum(['automated', 'assisted', 'none']);
export type DisclosureLevel = z.infer<typeof disclosureLevelSchema>;

export const judgedArtifactSchema = z.strictObject({
  type: artifactTypeSchema,
  // The text itself for 'text'; a URL (object storage) for 'image' and 'video'.
  content: z.string(),
  // For media, the words that would be published with it; text rules read this instead of the URL.
  caption: z.string().optional(),
});
export type JudgedArtifact = z.infer<typeof judgedArtifactSchema>;

export const judgeInputSchema = z.strictObject({
  artifact: judgedArtifactSchema,
  confidenceScore: z.number().min(0).max(1),
  riskTags: z.array(z.string()),
  disclosureLevel: disclosureLevelSchema,
  platform: platformSchema.optional(),
  // Untrusted text the task acted on (a mention, a DM, a trend sample), checked for injection.
  sourceContent: z.string().optional(),
  // The goal the result serves (the campaign's or the agent's), judged with it: a planner's
  // rewording must not launder what the goal asked for.
  goal: z.string().optional(),
  // The agent's recently published texts, for the near-duplicate rule.
  recentPosts: z.array(z.string()),
  // A quality score from a judging model, when one was asked.
  modelQuality: z.number().min(0).max(1).optional(),
});
export type JudgeInput = z.infer<typeof judgeInputSchema>;
