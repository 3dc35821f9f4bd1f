import { mkdir } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { type Address, type Chain, createPublicClient, defineChain, http } from 'viem';
import { type HDAccount, mnemonicToAccount } from 'viem/accounts';

// A local EVM chain in this process, on its own thread (ganache 7, which runs on Node 20 without network), for the
// embedded default and the tests. Its accounts come from ganache's well-known deterministic
// mnemonic: their keys are public knowledge, which is fine on a dev chain and nowhere else.

export const DEV_CHAIN_MNEMONIC = 'myth like bonus scare over problem client lizard pioneer submit female collect';

// Every account ganache funds at genesis holds this much (in ETH): enough for thousands of agents.
const GENESIS_BALANCE_ETH = 1_000_000;

export type DevChain = {
  rpcUrl: string;
  chainId: number;
  // Account 0 of the dev mnemonic, funded at genesis.
  funder: HDAccount;
  close(): Promise<void>;
};

export type DevChainOptions = {
  // 0: a free port.
  port?: number;
  // A directory: the chain survives a restart. 'memory' (the default): it does not.
  dbPath?: string | 'memory';
  // 0 (the default): every transaction is mined at once, in its own block.
  blockTimeS?: number;
  chainId?: number;
};

// Ganache runs on a thread of its own (devChainThread.mjs), with its own heap.
export async function startDevChain(options: DevChainOptions = {}): Promise<DevChain> {
  const { port = 0, dbPath = 'memory', blockTimeS = 0, chainId = 1337 } = options;
  if (dbPath !== 'memory') await mkdir(dbPath, { recursive: true });
  const thread = new Worker(new URL('./devChainThread.mjs', import.meta.url), { workerData: { port, dbPath, blockTimeS, chainId, genesisBalanceEth: GENESIS_BALANCE_ETH } });
  const listening = await new Promise<number>((resolve, reject) => {
    thread.once('message', (m: { listening?: number; failed?: string }) => (m.listening ? resolve(m.listening) : reject(new Error(`dev chain: ${m.failed}`))));
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`dev chain thread exited ${code}`)));
  });
  let closing: Promise<void> | null = null;
  return {
    rpcUrl: `http://127.0.0.1:${listening}`,
    chainId,
    funder: devChainAccount(0),
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => thread.once('message', () => resolve()));
        thread.postMessage('close');
        await closed;
        await thread.terminate();
      })()),
  };
}

// A dev chain another process started (e.g. a role of a multi-process deployment): the same
// well-known accounts, nothing to close.
export async function connectDevChain(rpcUrl: string): Promise<DevChain> {
  const chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
  return { rpcUrl, chainId, funder: devChainAccount(0), close: async () => {} };
}

const accounts = new Map<number, HDAccount>();

// Account `index` of the dev mnemonic (m/44'/60'/0'/0/index), as ganache derives it.
export function devChainAccount(index: number): HDAccount {
  let account = accounts.get(index);
  if (!account) {
    account = mnemonicToAccount(DEV_CHAIN_MNEMONIC, { addressIndex: index });
    accounts.set(index, account);
  }
  return account;
}

// The viem chain for a dev chain. AgentKit's ViemWalletProvider reads through a client built
// from the chain's default RPC URL, and its ERC-20 actions read through Multicall3: both must
// be in the definition, or it reads from viem's built-in localhost defaults.
export function devChainDefinition(chain: Pick<DevChain, 'rpcUrl' | 'chainId'>, contracts: { multicall3?: Address } = {}): Chain {
  return defineChain({
    id: chain.chainId,
    name: `Chimera dev chain ${chain.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [chain.rpcUrl] } },
    ...(contracts.multicall3 ? { contracts: { multicall3: { address: contracts.multicall3 } } } : {}),
  });
}
