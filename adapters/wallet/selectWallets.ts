import path from 'node:path';
import { connectDevChain, startDevChain } from '../chain/devChain.ts';
import { createAgentKitWallets } from './agentKitWallets.ts';
import { type CdpNetwork, type CdpSettings, createCdpWallets } from './cdpWallets.ts';
import { walletKeys } from './walletKeys.ts';
import type { WalletPort } from './walletPort.ts';

// Which wallets the agents get, from the environment: with CDP credentials, AgentKit's CDP
// wallet provider on Base (never run here: the CDP API is out of our machines' reach); else
// the embedded default, a dev chain in this process (or another process's, by URL) through
// AgentKit's ViemWalletProvider.

// Every variable selectWallets reads, for the README.
export const WALLET_ENVIRONMENT: ReadonlyArray<{ name: string; meaning: string; default?: string }> = [
  { name: 'CDP_API_KEY_ID', meaning: 'CDP API key id; with the secret and the wallet secret: wallets on Base through CDP' },
  { name: 'CDP_API_KEY_SECRET', meaning: 'CDP API key secret' },
  { name: 'CDP_WALLET_SECRET', meaning: 'CDP wallet secret' },
  { name: 'CDP_NETWORK_ID', meaning: 'base-sepolia|base-mainnet', default: 'base-sepolia' },
  { name: 'CDP_RPC_URL', meaning: 'Base RPC endpoint for reads and broadcasts', default: "viem's public Base RPC" },
  { name: 'CHIMERA_WALLET_MNEMONIC', meaning: 'BIP-39 master mnemonic of the dev chain agent wallets', default: '<CHIMERA_DATA_DIR>/keys/wallet-mnemonic, created (mode 0600) on first use' },
  { name: 'CHIMERA_CHAIN_RPC_URL', meaning: 'a dev chain another Chimera process serves; unset: one in this process' },
  { name: 'CHIMERA_CHAIN_PORT', meaning: 'port of the in-process dev chain (127.0.0.1); 0: a free one', default: '0' },
  { name: 'CHIMERA_CHAIN_DB', meaning: "directory of the dev chain's database, or 'memory'", default: '<CHIMERA_DATA_DIR>/chain' },
  { name: 'CHIMERA_CHAIN_BLOCK_TIME_S', meaning: 'seconds between dev chain blocks; 0: each transaction mined at once', default: '0' },
];

type Env = Record<string, string | undefined>;

export type WalletSettings =
  | ({ kind: 'cdp' } & CdpSettings)
  | { kind: 'dev'; rpcUrl: string | undefined; port: number; dbPath: string; blockTimeS: number };

const CDP_NETWORKS: readonly CdpNetwork[] = ['base-sepolia', 'base-mainnet'];
const CDP_KEYS = ['CDP_API_KEY_ID', 'CDP_API_KEY_SECRET', 'CDP_WALLET_SECRET'] as const;

// Throws on a configuration that cannot work (some CDP credentials but not all, an unknown
// network): better to stop at start-up than to fall back to the dev chain silently.
export function walletSettings(env: Env, dataDir: string): WalletSettings {
  const present = CDP_KEYS.filter((name) => value(env, name) !== undefined);
  if (present.length === CDP_KEYS.length) {
    const networkId = value(env, 'CDP_NETWORK_ID') ?? 'base-sepolia';
    if (!(CDP_NETWORKS as readonly string[]).includes(networkId)) {
      throw new Error(`CDP_NETWORK_ID=${networkId} is not supported; use one of ${CDP_NETWORKS.join(', ')}`);
    }
    return {
      kind: 'cdp',
      apiKeyId: value(env, 'CDP_API_KEY_ID')!,
      apiKeySecret: value(env, 'CDP_API_KEY_SECRET')!,
      walletSecret: value(env, 'CDP_WALLET_SECRET')!,
      networkId: networkId as CdpNetwork,
      rpcUrl: value(env, 'CDP_RPC_URL'),
    };
  }
  if (present.length > 0) {
    const missing = CDP_KEYS.filter((name) => !present.includes(name));
    throw new Error(`CDP wallets need ${CDP_KEYS.join(', ')}; ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set`);
  }
  return {
    kind: 'dev',
    rpcUrl: value(env, 'CHIMERA_CHAIN_RPC_URL'),
    port: wholeNumber(env, 'CHIMERA_CHAIN_PORT', 0),
    dbPath: value(env, 'CHIMERA_CHAIN_DB') ?? path.join(dataDir, 'chain'),
    blockTimeS: wholeNumber(env, 'CHIMERA_CHAIN_BLOCK_TIME_S', 0),
  };
}

export async function selectWallets(env: Env, options: { dataDir: string }): Promise<WalletPort> {
  const settings = walletSettings(env, options.dataDir);
  if (settings.kind === 'cdp') {
    const { kind: _kind, ...cdp } = settings;
    return createCdpWallets(cdp);
  }
  const chain = settings.rpcUrl
    ? await connectDevChain(settings.rpcUrl)
    : await startDevChain({ port: settings.port, dbPath: settings.dbPath, blockTimeS: settings.blockTimeS });
  try {
    return await createAgentKitWallets({ chain, keys: walletKeys({ env, dataDir: options.dataDir }), closeChain: true });
  } catch (error) {
    await chain.close();
    throw error;
  }
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

function wholeNumber(env: Env, name: string, fallback: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name}=${raw} is not a whole number`);
  return parsed;
}
