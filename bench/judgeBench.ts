import { performance } from 'node:perf_hooks';
import { DEFAULT_EVAL_SET, inputOf, readEvalSet } from '../cli/judgeEval.ts';
import { judgeParts } from '../cli/judgeParts.ts';
import { LlmModel } from '../adapters/models/llmModel.ts';
import { LocalModel } from '../adapters/models/localModel.ts';
import type { ModelPort } from '../adapters/models/modelPort.ts';
import { STAND_IN_VENDORS, startVendorStandIn } from '../adapters/models/vendorStandIn.ts';
import type { ChimeraConfig } from '../config.ts';
import { summarize } from './percentiles.ts';

export type JudgeBenchResult = { p50Ms: number; p99Ms: number; perSecond: number; results: number; concurrentPerSecond: number };

const persona = { agentId: 'bench', personaName: 'Bench', soulMd: '# Bench\nUpbeat lifestyle brand.', policyVersion: 'v1' };

// The Judge's decision on one result, as the judge role makes it: lexical rules, the semantic
// classifier on the local embedding model and the model's score (local, or an LLM). Each result
// of the labelled set is new to the detector (its segment cache is emptied between passes), so
// every decision embeds. Latency one at a time; results/s with `concurrency` in flight.
export async function judgeBench(config: ChimeraConfig, options: { model: 'local' | 'llm'; passes: number; concurrency: number }): Promise<JudgeBenchResult> {
  const cases = readEvalSet(DEFAULT_EVAL_SET);
  // The LLM path against a stand-in for the vendor's chat API on 127.0.0.1 (the vendors cannot be
  // reached from here): it answers at once, so the figure is Chimera's own cost of that path.
  const standIn = options.model === 'llm' ? await startVendorStandIn(() => ({ json: openAi.answer(ANSWER, { input: 600, output: 40 }) })) : null;
  const model: ModelPort = standIn ? new LlmModel(openAi.client(standIn.baseUrl)) : new LocalModel();
  try {
    const latencies: number[] = [];
    for (let pass = 0; pass < options.passes; pass++) {
      const { judge, embedder, policy } = judgeParts(config, model);
      for (const c of cases) {
        const started = performance.now();
        await judge.judge({ input: inputOf(c), persona, goals: [c.goal ?? 'Grow the audience'] }, policy);
        latencies.push(performance.now() - started);
      }
      await embedder.close();
    }
    const { judge, embedder, policy } = judgeParts(config, model);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (let i = next++; i < cases.length; i = next++) {
          await judge.judge({ input: inputOf(cases[i]!), persona, goals: ['Grow the audience'] }, policy);
        }
      }),
    );
    const concurrentPerSecond = cases.length / ((performance.now() - started) / 1000);
    await embedder.close();
    const s = summarize(latencies);
    const total = latencies.reduce((a, b) => a + b, 0);
    return { p50Ms: s.p50, p99Ms: s.p99, perSecond: latencies.length / (total / 1000), results: latencies.length, concurrentPerSecond };
  } finally {
    await standIn?.close();
  }
}

const openAi = STAND_IN_VENDORS.find((v) => v.name === 'openai')!;
const ANSWER = JSON.stringify({ quality: 0.9, relevance: 0.8, reasoning: 'on brand', policy_findings: [] });
