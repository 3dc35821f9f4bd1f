import { type Address, type Hex, type Transport, createPublicClient, createWalletClient, custom, formatEther, formatUnits, http, parseUnits } from 'viem';
import { type DevChain, devChainDefinition } from '../chain/devChain.ts';
import { DEV_FEES, ensureDevContracts } from '../chain/devContracts.ts';
import { KeyedLock } from '../chain/keyedLock.ts';
import { receiptOf } from '../chain/rawTransactions.ts';
import { EvmWallets, type WalletFunder, type WalletSigner } from './evmWallets.ts';
import { loadAgentKit } from './loadAgentKit.ts';
import type { WalletKeys } from './walletKeys.ts';
import type { Funded, Funding } from './walletPort.ts';

// The embedded default: agent wallets on a local dev chain, through AgentKit's
// ViemWalletProvider. The funder funds new wallets with AgentKit's own actions (wallet
// native_transfer, erc20 transfer) and balances are read with erc20 get_balance; agents'
// spends are signed from their HD keys (walletKeys.ts) and sent exactly once (evmWallets.ts).
// Agents get no AgentKit provider of their own: its actions send at once, past the CFO Judge.

export const DEV_NETWORK = 'local';

export const DEFAULT_DEV_FUNDING: Funding = { ethWei: 10n ** 18n, usdcUnits: parseUnits('10000', 6) };

export type AgentKitWalletsOptions = {
  chain: DevChain;
  keys: WalletKeys;
  // What each new agent wallet gets (the embedded default).
  defaultFunding?: Funding;
  // Close the chain with the wallets (when they own it).
  closeChain?: boolean;
  pollMs?: number;
};

export type AgentKitWallets = EvmWallets & { readonly multicall3Address: Address };

export async function createAgentKitWallets(options: AgentKitWalletsOptions): Promise<AgentKitWallets> {
  const { chain, keys, pollMs = 50 } = options;
  const agentKit = await loadAgentKit();
  const bootstrap = createPublicClient({ chain: devChainDefinition(chain), transport: http(chain.rpcUrl), pollingInterval: pollMs });
  const contracts = await ensureDevContracts(chain, bootstrap);
  // AgentKit reads through a client of its own, made from the chain definition: the definition
  // carries our RPC URL and Multicall3 (FINDINGS, traps 2 and 3).
  const definition = devChainDefinition(chain, { multicall3: contracts.multicall3 });
  const client = createPublicClient({ chain: definition, transport: http(chain.rpcUrl), pollingInterval: pollMs });
  const funderClient = createWalletClient({ account: chain.funder, chain: definition, transport: minedOnReturn(chain.rpcUrl) });
  const funder = new agentKit.ViemWalletProvider(funderClient, {
    // Otherwise an RPC_URL in the environment, meant for something else, would win over the chain.
    rpcUrl: chain.rpcUrl,
  });
  // Actions are run as an agent framework runs them: AgentKit's getActions, arguments checked
  // by the action's own schema. (Calling a provider's method directly skips the decorator's
  // wrapper, and with it the analytics the wrapper sends: it would not show they are off.)
  const kit = await agentKit.AgentKit.from({ walletProvider: funder, actionProviders: [agentKit.walletActionProvider(), agentKit.erc20ActionProvider()] });
  const actions = new Map(kit.getActions().map((action) => [action.name, action]));
  const run = async (name: string, args: Record<string, unknown>): Promise<string> => {
    const action = actions.get(name);
    if (!action) throw new Error(`AgentKit has no action ${name}`);
    return action.invoke(action.schema.parse(args));
  };

  // AgentKit takes the funder's nonce from the chain for each send and waits for the receipt:
  // one funding at a time, or two sends would take the same nonce.
  const funderTurn = new KeyedLock();
  const fundingFrom: WalletFunder = {
    defaultFunding: options.defaultFunding ?? DEFAULT_DEV_FUNDING,
    fund: (address, { ethWei, usdcUnits }) =>
      funderTurn.run('funder', async (): Promise<Funded> => {
        let ethTxHash: Hex | null = null;
        let usdcTxHash: Hex | null = null;
        if (ethWei > 0n) {
          const answer = await run('WalletActionProvider_native_transfer', { to: address, value: formatEther(ethWei) });
          const sent = await minedBy(answer);
          if (!sent.ok) return sent;
          ethTxHash = sent.txHash;
        }
        if (usdcUnits > 0n) {
          const answer = await run('ERC20ActionProvider_transfer', {
            amount: formatUnits(usdcUnits, contracts.usdcDecimals),
            tokenAddress: contracts.usdc,
            destinationAddress: address,
          });
          const sent = await minedBy(answer);
          if (!sent.ok) return sent;
          usdcTxHash = sent.txHash;
        }
        return { ok: true, ethTxHash, usdcTxHash };
      }),
  };

  // AgentKit's actions answer in prose, for a language model: "Transferred … Transaction hash:
  // 0x…" or "Error …". The hash is taken from it and its receipt checked on chain.
  const minedBy = async (answer: string): Promise<{ ok: true; txHash: Hex } | Extract<Funded, { ok: false }>> => {
    const txHash = /^Transferred\b[\s\S]*\b(0x[0-9a-fA-F]{64})\b/.exec(answer)?.[1] as Hex | undefined;
    if (!txHash) return { ok: false, reason: 'funding_failed', message: answer };
    const receipt = await receiptOf(client, txHash);
    if (receipt.status !== 'confirmed') return { ok: false, reason: 'funding_failed', message: `${txHash} is ${receipt.status}` };
    return { ok: true, txHash };
  };

  // get_balance answers "Balance of <name> (<token>) at address <address> is <amount>", the
  // amount formatted exactly (viem's formatUnits), so parsing it back loses nothing.
  const usdcBalance = async (address: Address): Promise<bigint> => {
    const answer = await run('ERC20ActionProvider_get_balance', { tokenAddress: contracts.usdc, address });
    const amount = /\bis (\d+(?:\.\d+)?)$/.exec(answer)?.[1];
    if (amount === undefined) throw new Error(`AgentKit get_balance: ${answer}`);
    return parseUnits(amount, contracts.usdcDecimals);
  };

  const signer: WalletSigner = {
    async createWallet(agentId) {
      const keyReference = keys.keyReferenceFor(agentId);
      return { address: keys.accountFor(keyReference).address, keyReference };
    },
    async addressOf(keyReference) {
      return keys.accountFor(keyReference).address;
    },
    // Signed with viem: AgentKit's ViemWalletProvider.signTransaction fills in neither nonce,
    // gas nor fees, and its send actions sign and send in one go.
    async signTransaction(keyReference, transaction) {
      return keys.accountFor(keyReference).signTransaction(transaction);
    },
  };

  const wallets = new EvmWallets({
    network: DEV_NETWORK,
    chainId: chain.chainId,
    client,
    usdc: { address: contracts.usdc, decimals: contracts.usdcDecimals },
    signer,
    funder: fundingFrom,
    fees: async () => DEV_FEES,
    usdcBalance,
    pollMs,
    close: options.closeChain ? () => chain.close() : undefined,
  });
  return Object.assign(wallets, { multicall3Address: contracts.multicall3 });
}

// The dev chain mines a transaction just after answering eth_sendRawTransaction (strict
// instamine). AgentKit then looks for the receipt once, too early, and waits for viem's next
// poll: 4 s on a chain viem does not know. The funder's sends therefore return once mined (as
// ganache's eager instamine would), bounded so that a timed block cannot hold them long.
function minedOnReturn(rpcUrl: string, boundMs = 2_000): Transport {
  const rpc = createPublicClient({ transport: http(rpcUrl) });
  return custom({
    async request({ method, params }: { method: string; params?: unknown }) {
      const result = await rpc.request({ method, params } as never);
      if (method === 'eth_sendRawTransaction') {
        const deadline = Date.now() + boundMs;
        while (Date.now() < deadline && (await rpc.request({ method: 'eth_getTransactionReceipt', params: [result as Hex] })) === null) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
      return result;
    },
  });
}
