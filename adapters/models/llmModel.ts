import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import type { ChatClient, ChatReply, ChatTurn } from './chatClient.ts';
import { decomposePrompt, DecomposeAnswer, repairRequest, scorePrompt, ScoreAnswer, writePrompt, WriteAnswer, type LlmPrompt } from './llmPrompts.ts';
import { ModelCallError } from './modelCallError.ts';
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
import { callCostUsd, MODEL_PRICES, type ModelPriceTable } from './modelPrices.ts';
import { promptHash } from './promptHash.ts';
import { truncateToCodePoints } from './codePoints.ts';

export type LlmModelOptions = {
  // Overrides the built-in price table (USD per million tokens).
  prices?: ModelPriceTable;
};

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

// The model port over a vendor's chat API. Every answer is asked for as JSON and validated;
// an unusable answer gets one repair turn. The ModelCall it returns describes the whole
// exchange: promptHash of the first request body (the question; a repair is a follow-up),
// output of the last answer, tokens, cost and time summed over both.
export class LlmModel implements ModelPort {
  readonly provider: string;
  readonly model: string;
  private readonly prices: ModelPriceTable;

  constructor(
    readonly chat: ChatClient,
    options: LlmModelOptions = {},
  ) {
    this.provider = chat.provider;
    this.model = chat.model;
    this.prices = options.prices ?? MODEL_PRICES;
  }

  async decompose(input: DecomposeInput): Promise<DecomposeOutput> {
    const { value, call } = await this.ask('decompose', decomposePrompt(input), DecomposeAnswer);
    const maxItems = Math.max(1, input.maxItems ?? 3);
    return { campaignName: value.campaignName, items: value.items.slice(0, maxItems), estimatedDurationS: value.estimatedDurationS, call };
  }

  async write(input: WriteInput): Promise<WriteOutput> {
    const { value, call } = await this.ask('write', writePrompt(input), WriteAnswer);
    return { text: truncateToCodePoints(value.text.trim(), input.maxChars), confidence: value.confidence, riskTags: value.riskTags, call };
  }

  async score(input: ScoreInput): Promise<ScoreOutput> {
    const { value, call } = await this.ask('score', scorePrompt(input), ScoreAnswer);
    const { policy_findings, ...scores } = value;
    return { ...scores, policyFindings: policy_findings, call };
  }

  private async ask<S extends z.ZodType>(purpose: ModelPurpose, prompt: LlmPrompt, shape: S): Promise<{ value: z.output<S>; call: ModelCall }> {
    const started = performance.now();
    const request = { system: prompt.system, json: true, maxTokens: prompt.maxTokens, temperature: prompt.temperature };
    const question: ChatTurn = { role: 'user', text: prompt.user };
    const first = await this.chat.complete({ ...request, turns: [question] });
    const replies: ChatReply[] = [first];
    let parsed = parseAnswer(first.text, shape);
    if (!parsed.ok) {
      const repair = await this.chat.complete({
        ...request,
        turns: [question, { role: 'assistant', text: first.text }, { role: 'user', text: repairRequest(parsed.problem) }],
      });
      replies.push(repair);
      parsed = parseAnswer(repair.text, shape);
    }
    const inputTokens = replies.reduce((sum, r) => sum + r.inputTokens, 0);
    const outputTokens = replies.reduce((sum, r) => sum + r.outputTokens, 0);
    const call: ModelCall = {
      provider: this.provider,
      model: this.chat.model,
      purpose,
      promptHash: promptHash(first.requestBody),
      output: replies[replies.length - 1]!.text,
      inputTokens,
      outputTokens,
      costUsd: callCostUsd(this.chat.model, inputTokens, outputTokens, this.prices),
      durationMs: Math.round(performance.now() - started),
    };
    if (!parsed.ok) {
      throw new ModelCallError('invalid_output', `${this.provider} (${this.chat.model}) gave no usable ${purpose} answer after one repair: ${parsed.problem}`, {
        provider: this.provider,
        model: this.chat.model,
        call,
      });
    }
    return { value: parsed.value, call };
  }
}

// Models wrap JSON in code fences or a sentence now and then even when told not to: take the
// outermost {...} before judging it.
function parseAnswer<S extends z.ZodType>(text: string, shape: S): Parsed<z.output<S>> {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) return { ok: false, problem: 'no JSON object found' };
  let json: unknown;
  try {
    json = JSON.parse(text.slice(start, end + 1));
  } catch (error) {
    return { ok: false, problem: `invalid JSON: ${(error as Error).message}` };
  }
  const result = shape.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, problem: `${issue?.path.join('.') || 'answer'}: ${issue?.message ?? 'invalid'}` };
}
