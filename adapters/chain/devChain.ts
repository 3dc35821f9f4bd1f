import { mkdir } from 'node:fs/promises';
import ganache from 'ganache';
import { type Address, type Chain, createPublicClient, defineChain, http } from 'viem';
import { type HDAccount, mnemonicToAccount } from 'viem/accounts';

// A local EVM chain in this process (ganache 7, which runs on Node 20 without network), for the
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

export async function startDevChain(options: DevChainOptions = {}): Promise<DevChain> {
  const { port = 0, dbPath = 'memory', blockTimeS = 0, chainId = 1337 } = options;
  if (dbPath !== 'memory') await mkdir(dbPath, { recursive: true });
  const server = ganache.server({
    logging: { quiet: true },
    wallet: { deterministic: true, defaultBalance: GENESIS_BALANCE_ETH },
    chain: { chainId },
    // 'strict' instamine answers eth_sendRawTransaction before mining. The default ('eager')
    // holds the answer until the block is mined, so a transaction queued behind a nonce gap
    // would hang its sender's request.
    miner: blockTimeS > 0 ? { blockTime: blockTimeS } : { instamine: 'strict' },
    ...(dbPath === 'memory' ? {} : { database: { dbPath } }),
  });
  await server.listen(port, '127.0.0.1');
  const rpcUrl = `http://127.0.0.1:${server.address().port}`;
  let closed = false;
  return {
    rpcUrl,
    chainId,
    funder: devChainAccount(0),
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
    },
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
