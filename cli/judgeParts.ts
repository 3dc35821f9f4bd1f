import type { Embedder } from '../adapters/embeddings/embedder.ts';
import { selectEmbedder } from '../adapters/embeddings/selectEmbedder.ts';
import type { ModelPort } from '../adapters/models/modelPort.ts';
import { classifierBanks } from '../commands/judge/classifierBanks.ts';
import { Judge } from '../commands/judge/judge.ts';
import { SemanticDetector } from '../commands/judge/semanticDetector.ts';
import type { ChimeraConfig } from '../config.ts';
import { resolveContentPolicy, type ContentPolicy } from '../domain/judge/contentPolicy.ts';

export type JudgeParts = { judge: Judge; embedder: Embedder; policy: ContentPolicy };

// The Judge as every process that judges runs it: the content policy with the configured HITL
// threshold, the semantic detector on the configured embedder and the repo's classifier banks,
// and the model (local, or an LLM provider, which then is a required detector too).
export function judgeParts(config: ChimeraConfig, model: ModelPort | null): JudgeParts {
  const resolution = resolveContentPolicy({ autoExecuteThreshold: config.pipeline.hitlConfidenceThreshold });
  if (!resolution.ok) throw new Error(`content policy: ${resolution.error.message}`);
  const embedder = selectEmbedder(config.embeddings);
  const semantic = new SemanticDetector(embedder, { bankOf: classifierBanks(), timeoutMs: config.embeddings.timeoutMs });
  return { judge: new Judge({ model, semantic }), embedder, policy: resolution.policy };
}
