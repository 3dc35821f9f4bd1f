// The model port: what the planner, the workers' text tools and the judge ask of a language
// model. The embedded default is a deterministic local model; LLM providers implement the same
// port. Every answer carries a `ModelCall` record, which the caller stores in an event, so
// that replaying the log never calls a model again.

export type Platform = 'twitter' | 'instagram' | 'threads' | 'tiktok';
export type ModelPurpose = 'decompose' | 'write' | 'score';

export type ModelCall = {
  provider: string; // 'local', 'openai', 'anthropic', 'gemini'
  model: string;
  purpose: ModelPurpose;
  // SHA-256 (hex) of the exact request sent (or, for the local model, of its input).
  promptHash: string;
  // The raw text the model returned, before parsing.
  output: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number;
};

export type Persona = {
  agentId: string;
  personaName: string;
  // The agent's SOUL.md text (voice, values, do and don't).
  soulMd: string;
  policyVersion: string;
};

// One piece of content the planner intends to publish for a campaign.
export type PlannedContent = {
  platform: Platform;
  // What the post should say, for the writer.
  brief: string;
  topic: string;
  media: 'none' | 'image' | 'video';
};

export type DecomposeInput = {
  goal: string;
  persona: Persona;
  audience?: string;
  platforms: Platform[];
  deadline?: string;
  // Upper bound on items (default 3).
  maxItems?: number;
};
export type DecomposeOutput = {
  campaignName: string;
  items: PlannedContent[];
  estimatedDurationS: number;
  call: ModelCall;
};

export type WriteInput = {
  persona: Persona;
  brief: string;
  platform: Platform;
  kind: 'post' | 'reply';
  // The platform's limit in characters (code points).
  maxChars: number;
  // For a reply: the text being replied to (untrusted).
  sourceContent?: string;
};
export type WriteOutput = {
  text: string;
  // The writer's self-assessment, 0..1.
  confidence: number;
  riskTags: string[];
  call: ModelCall;
};

export type ScoreInput = {
  content: string;
  persona: Persona;
  // The goals the content should serve (descriptions).
  goals: string[];
};
export type ScoreOutput = {
  // Quality of the writing for the persona, 0..1.
  quality: number;
  // Relevance to the goals, 0..1.
  relevance: number;
  reasoning: string;
  // An LLM judge's policy findings (domain/judge/policyTaxonomy.ts): each category it sees, with
  // the words that show it and a short reason. Absent from models that do not judge policy.
  policyFindings?: ModelPolicyFinding[];
  call: ModelCall;
};

export type ModelPolicyFinding = { category: string; evidence: string; reason: string };

export interface ModelPort {
  readonly provider: string;
  decompose(input: DecomposeInput): Promise<DecomposeOutput>;
  write(input: WriteInput): Promise<WriteOutput>;
  score(input: ScoreInput): Promise<ScoreOutput>;
}
