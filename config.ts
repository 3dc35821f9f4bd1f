import os from 'node:os';
import path from 'node:path';

// Every setting Chimera reads from the environment, in one place.
export type ChimeraConfig = {
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  maxBodyBytes: number;
  jwtPrivateKeyFile: string | undefined;
  jwtPublicKeyFile: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  // Unset: the in-process bus (embedded default).
  kafkaBrokers: string[] | undefined;
  kafkaTopic: string;
  kafkaPartitions: number;
  // How often log readers in this process (forwarder, projectors) look for events that
  // other processes appended.
  pollIntervalMs: number;
  // The agent pipeline (issue 5).
  pipeline: {
    // Judge: results above it are auto-executed; from 0.70 up to it, a moderator decides.
    hitlConfidenceThreshold: number;
    maxAttempts: number;
    retryBackoffMs: number;
    hitlTtlMs: number;
    postCooldownMs: number;
    // A composed campaign estimated above this many USD waits for an operator's approval.
    approvalCostUsd: number;
    // The MCP server workers call; unset: the sandbox platform this process serves itself.
    mcpUrl: string | undefined;
    // Seed of the sandbox platform's simulated world (mentions, engagement, trends).
    sandboxSeed: string;
    // Worker: a started attempt older than this without a result has timed out (E2001).
    taskTimeoutMs: number;
    // Port of the sandbox platform's MCP server (role `sandbox`); 0 picks a free one.
    sandboxPort: number;
    // Address it listens on (0.0.0.0 to serve other hosts, e.g. in docker-compose).
    sandboxHost: string;
    // How often a worker looks for timed-out attempts, forgotten ready tasks, expired reviews.
    sweepIntervalMs: number;
    // How often a worker measures recent posts' engagement on the platform.
    engagementIntervalMs: number;
  };
  // Money (issue 6): the CFO Judge's rules and the fleet's global budget (seed 004).
  money: {
    dailyBudgetUsd: number | null;
    weeklyBudgetUsd: number | null;
    monthlyBudgetUsd: number | null;
    minRoiHurdle: number;
    maxTransactionUsd: number;
    riskHitlThreshold: number;
    rateWindowMs: number;
    rateLimit: number;
    // USD per ETH for budgets (the dev chain has no market price).
    ethUsd: number;
  };
  // Sentence embeddings (the Judge's detectors).
  embeddings: {
    // An OpenAI-compatible server (POST <url>/v1/embeddings); unset: the local ONNX model.
    url: string | undefined;
    // The model name sent to that server, and the vectors' model id.
    model: string;
    apiKey: string | undefined;
    // Budget of one call to the server.
    timeoutMs: number;
    // The local model's folder, filled at install time by scripts/fetchModel.mjs (same default).
    modelDir: string;
    // The local model's intra-op threads (1: the steadier p99 for one sentence on 2 shared cores).
    threads: number;
  };
};

export function readConfig(env: NodeJS.ProcessEnv = process.env): ChimeraConfig {
  const dataDir = path.resolve(env.CHIMERA_DATA_DIR ?? './.chimera');
  return {
    port: Number(env.PORT ?? 3000),
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    maxBodyBytes: Number(env.CHIMERA_MAX_BODY_BYTES ?? 1024 * 1024),
    jwtPrivateKeyFile: env.JWT_PRIVATE_KEY_FILE || undefined,
    jwtPublicKeyFile: env.JWT_PUBLIC_KEY_FILE || undefined,
    logLevel: (env.LOG_LEVEL as ChimeraConfig['logLevel']) ?? 'info',
    kafkaBrokers: env.KAFKA_BROKERS ? env.KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean) : undefined,
    kafkaTopic: env.KAFKA_TOPIC || 'chimera.events',
    kafkaPartitions: Number(env.KAFKA_PARTITIONS ?? 8),
    pollIntervalMs: Number(env.CHIMERA_POLL_INTERVAL_MS ?? 10),
    pipeline: {
      hitlConfidenceThreshold: Number(env.HITL_CONFIDENCE_THRESHOLD ?? 0.9),
      maxAttempts: Number(env.CHIMERA_TASK_MAX_ATTEMPTS ?? 5),
      retryBackoffMs: Number(env.CHIMERA_RETRY_BACKOFF_MS ?? 1000),
      hitlTtlMs: Number(env.CHIMERA_HITL_TTL_MS ?? 24 * 3600_000),
      postCooldownMs: Number(env.CHIMERA_POST_COOLDOWN_MS ?? 15 * 60_000),
      approvalCostUsd: Number(env.CHIMERA_APPROVAL_COST_USD ?? 25),
      mcpUrl: env.CHIMERA_MCP_URL || undefined,
      sandboxSeed: env.CHIMERA_SANDBOX_SEED ?? 'chimera',
      taskTimeoutMs: Number(env.CHIMERA_TASK_TIMEOUT_MS ?? 60_000),
      sandboxPort: Number(env.CHIMERA_SANDBOX_PORT ?? 0),
      sandboxHost: env.CHIMERA_SANDBOX_HOST || '127.0.0.1',
      sweepIntervalMs: Number(env.CHIMERA_SWEEP_INTERVAL_MS ?? 5_000),
      engagementIntervalMs: Number(env.CHIMERA_ENGAGEMENT_INTERVAL_MS ?? 60_000),
    },
    money: {
      dailyBudgetUsd: limit(env.DAILY_BUDGET_LIMIT, 1000),
      weeklyBudgetUsd: limit(env.WEEKLY_BUDGET_LIMIT, 5000),
      monthlyBudgetUsd: limit(env.MONTHLY_BUDGET_LIMIT, 20000),
      minRoiHurdle: Number(env.MIN_ROI_HURDLE_RATE ?? 1.5),
      maxTransactionUsd: Number(env.CHIMERA_MAX_TRANSACTION_USD ?? 10_000),
      riskHitlThreshold: Number(env.CHIMERA_CFO_RISK_THRESHOLD ?? 0.7),
      rateWindowMs: Number(env.CHIMERA_SPEND_WINDOW_MS ?? 3_600_000),
      rateLimit: Number(env.CHIMERA_SPEND_WINDOW_LIMIT ?? 50),
      ethUsd: Number(env.CHIMERA_ETH_USD ?? 3000),
    },
    embeddings: {
      url: env.CHIMERA_EMBEDDINGS_URL || undefined,
      model: env.CHIMERA_EMBEDDINGS_MODEL || 'sentence-transformers/all-MiniLM-L6-v2',
      apiKey: env.CHIMERA_EMBEDDINGS_API_KEY || undefined,
      timeoutMs: Number(env.CHIMERA_EMBEDDINGS_TIMEOUT_MS ?? 2000),
      modelDir: path.resolve(
        env.CHIMERA_MODEL_DIR || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'chimera', 'models', 'all-MiniLM-L6-v2-int8'),
      ),
      threads: Number(env.CHIMERA_EMBEDDINGS_THREADS ?? 1),
    },
  };
}

// A budget limit from the environment: a number, or "none" for no limit.
function limit(value: string | undefined, fallback: number): number | null {
  if (value === undefined || value === '') return fallback;
  return value.toLowerCase() === 'none' ? null : Number(value);
}
