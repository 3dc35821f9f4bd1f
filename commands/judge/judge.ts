import { performance } from 'node:perf_hooks';
import { ModelCallError } from '../../adapters/models/modelCallError.ts';
import type { ModelPolicyFinding, ModelPort, Persona, ScoreOutput } from '../../adapters/models/modelPort.ts';
import type { ContentPolicy } from '../../domain/judge/contentPolicy.ts';
import type { JudgeInput } from '../../domain/judge/judgeInput.ts';
import { judgeGoal, type GoalVerdict } from '../../domain/judge/judgeGoal.ts';
import { judgeResult } from '../../domain/judge/judgeResult.ts';
import type { JudgeVerdict } from '../../domain/judge/judgeVerdict.ts';
import { policyCategorySchema, type DetectorReport, type PolicyFinding } from '../../domain/judge/policyTaxonomy.ts';
import type { ModelCallRecord } from '../../domain/work/workEvents.ts';
import type { ScreenedText, SemanticDetector } from './semanticDetector.ts';

export type JudgeRequest = {
  input: JudgeInput;
  persona: Persona;
  // The goals the content serves, for the model's relevance and quality score.
  goals: string[];
};

export type Judgement = { verdict: JudgeVerdict; modelCall: ModelCallRecord | null };

export type JudgeParts = {
  // The judging model: its quality score, and with an LLM provider its policy findings.
  model: ModelPort | null;
  // Null where no embedder is configured: the semantic detector then never answers, and
  // nothing it is required for is published without a person.
  semantic: SemanticDetector | null;
};

// The Judge's detectors around the pure rules (domain/judge/judgeResult.ts): the semantic
// classifier and the model run side by side on the published text and its goal, and their
// reports go into the verdict. An LLM provider is a required detector: its answer must carry
// the policy categories it found, or the result waits for a person.
export class Judge {
  constructor(private readonly parts: JudgeParts) {}

  get semanticModel(): string | null {
    return this.parts.semantic?.modelId ?? null;
  }

  async judge(request: JudgeRequest, policy: ContentPolicy): Promise<Judgement> {
    const { input } = request;
    const text = input.artifact.type === 'text' ? input.artifact.content : (input.artifact.caption ?? '');
    // The goal is read with the content, so that a planner's rewording cannot launder it.
    const texts: ScreenedText[] = [{ text, source: 'content' }, ...(input.goal ? [{ text: input.goal, source: 'goal' as const }] : [])];
    const llm = this.parts.model !== null && this.parts.model.provider !== 'local';
    const [semantic, scored] = await Promise.all([this.parts.semantic?.report(texts, policy) ?? null, this.score(text, request, policy, llm)]);
    const reports = [...(semantic ? [semantic] : []), ...(scored.report ? [scored.report] : [])];
    const effective = llm && !policy.requiredDetectors.includes('llm') ? { ...policy, requiredDetectors: [...policy.requiredDetectors, 'llm' as const] } : policy;
    const verdict = judgeResult({ ...input, ...(scored.quality !== undefined ? { modelQuality: scored.quality } : {}) }, effective, reports);
    return { verdict, modelCall: scored.call };
  }

  // A goal before it is planned (compose, decompose, replan): the lexical rules and the
  // classifier, which learned goals as well as posts (classifier/trainingSet.goals.jsonl).
  async judgeGoal(goal: string, policy: ContentPolicy): Promise<GoalVerdict> {
    const semantic = this.parts.semantic ? await this.parts.semantic.report([{ text: goal, source: 'goal' }], policy) : null;
    return judgeGoal(goal, policy, semantic ? [semantic] : []);
  }

  private async score(
    text: string,
    request: JudgeRequest,
    policy: ContentPolicy,
    llm: boolean,
  ): Promise<{ quality?: number; call: ModelCallRecord | null; report: DetectorReport | null }> {
    const model = this.parts.model;
    if (!model || text.trim() === '') return { call: null, report: null };
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    try {
      const scored = await model.score({ content: text, persona: request.persona, goals: request.goals });
      return { quality: scored.quality, call: scored.call, report: llm ? llmReport(scored, text, request.input.goal, policy, took()) : null };
    } catch (error) {
      if (!llm) throw error;
      const failure = error instanceof ModelCallError ? error.failure : 'network';
      const status = failure === 'timeout' ? 'timeout' : failure === 'invalid_output' || failure === 'bad_response' ? 'invalid' : 'unavailable';
      const call = error instanceof ModelCallError ? (error.details.call ?? null) : null;
      return { call, report: { detector: 'llm', status, findings: [], detail: (error as Error).message, duration_ms: took() } };
    }
  }
}

function llmReport(scored: ScoreOutput, text: string, goal: string | undefined, policy: ContentPolicy, durationMs: number): DetectorReport {
  if (!scored.policyFindings) {
    return { detector: 'llm', status: 'invalid', findings: [], detail: 'the model answered no policy findings', duration_ms: durationMs };
  }
  const findings = scored.policyFindings.flatMap((f) => llmFinding(f, text, goal, policy));
  return { detector: 'llm', status: 'ok', findings, detail: scored.call.model, duration_ms: durationMs };
}

function llmFinding(found: ModelPolicyFinding, text: string, goal: string | undefined, policy: ContentPolicy): PolicyFinding[] {
  const category = policyCategorySchema.safeParse(found.category);
  if (!category.success) return [];
  const rule = policy.categories[category.data];
  const evidence = found.evidence.trim();
  const inText = evidence ? text.indexOf(evidence) : -1;
  const inGoal = evidence && goal ? goal.indexOf(evidence) : -1;
  return [
    {
      category: category.data,
      severity: rule.severity,
      detector: 'llm',
      source: inText < 0 && inGoal >= 0 ? 'goal' : 'content',
      evidence: evidence.length > 200 ? `${evidence.slice(0, 199)}…` : evidence,
      span: inText >= 0 ? { start: inText, end: inText + evidence.length } : null,
      score: null,
      reason: found.reason,
    },
  ];
}
