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
  };
}
