import type { Database } from '../adapters/database/database.ts';
import type { EventStore } from '../adapters/eventstore/eventStore.ts';
import type { SigningKeys } from './auth/signingKeys.ts';
import type { ProjectionRunner } from '../projections/projectionRunner.ts';
import type { ChimeraConfig } from '../config.ts';
import type { EventForwarder } from '../adapters/bus/eventForwarder.ts';
import type { AgentStates } from '../commands/agentStates.ts';
import type { WorkContext } from '../commands/workContext.ts';
import type { ModelPort } from '../adapters/models/modelPort.ts';
import type { McpToolClient } from '../adapters/mcp/mcpToolClient.ts';
import type { Treasury } from '../commands/money/treasury.ts';
import type { Judge } from '../commands/judge/judge.ts';
import type { ContentPolicy } from '../domain/judge/contentPolicy.ts';
import type { Embedder } from '../adapters/embeddings/embedder.ts';
import type { WalletBalances } from './routes/walletRoutes.ts';

// What the HTTP layer is built from.
export type ApiContext = {
  config: ChimeraConfig;
  database: Database;
  store: EventStore;
  keys: SigningKeys;
  projections: ProjectionRunner[];
  forwarder?: EventForwarder | null;
  // Agent states this process has seen (created by createApp when not given).
  agentStates?: AgentStates;
  now?: () => Date;
  // The agent pipeline's parts the API calls directly (planner model, MCP tools, the Judge and
  // its content policy).
  pipeline?: { model: ModelPort; tools: McpToolClient | null; work: WorkContext; judge: Judge; policy: ContentPolicy };
  // The Judge's embedder, for /health.
  embedder?: Embedder | null;
  // The CFO Judge and the wallets (balances need a chain; decisions do not).
  money?: { treasury: Treasury; balances: WalletBalances | null; ethUsd: number };
  log?: (message: string, error?: unknown) => void;
};
