import { createHash } from 'node:crypto';
import type { CdpEvmWalletProvider } from '@coinbase/agentkit';
import { type Address, type Hex, type TransactionSerializableEIP1559, createPublicClient, http, isAddress } from 'viem';
import { base, baseSepolia } from 'viem/chains';
import { EvmWallets, type WalletSigner } from './evmWallets.ts';
import { loadAgentKit } from './loadAgentKit.ts';
import type { Funded } from './walletPort.ts';

// Agent wallets on Base through AgentKit's CDP wallet provider: keys are Coinbase server
// accounts (CDP holds them; the reference is the account's address). Written against
// AgentKit 0.10.4's and the CDP SDK's types and documentation, and never run: the CDP API
// cannot be reached from our machines, so nothing here has been tested.

export type CdpNetwork = 'base-sepolia' | 'base-mainnet';

export type CdpSettings = {
  apiKeyId: string;
  apiKeySecret: string;
  walletSecret: string;
  networkId: CdpNetwork;
  // Unset: viem's public RPC for the network.
  rpcUrl?: string;
};

// Circle's USDC on Base (the addresses AgentKit's erc20 action provider lists).
const USDC: Record<CdpNetwork, Address> = {
  'base-mainnet': '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
  'base-sepolia': '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
};

export async function createCdpWallets(settings: CdpSettings): Promise<EvmWallets> {
  const agentKit = await loadAgentKit();
  const chain = settings.networkId === 'base-mainnet' ? base : baseSepolia;
  // No chain on the client: viem's Base formatters (OP-stack deposit transactions) are of no use
  // for balances, receipts and broadcasts, and their types do not fit a plain PublicClient.
  const client = createPublicClient({ transport: http(settings.rpcUrl ?? chain.rpcUrls.default.http[0]) });
  const credentials = {
    apiKeyId: settings.apiKeyId,
    apiKeySecret: settings.apiKeySecret,
    walletSecret: settings.walletSecret,
    networkId: settings.networkId,
    rpcUrl: settings.rpcUrl,
  };
  const providers = new Map<string, Promise<CdpEvmWalletProvider>>();
  const providerFor = (address: Address): Promise<CdpEvmWalletProvider> => {
    const key = address.toLowerCase();
    let provider = providers.get(key);
    if (!provider) {
      provider = agentKit.CdpEvmWalletProvider.configureWithWallet({ ...credentials, address });
      providers.set(key, provider);
      provider.catch(() => providers.delete(key));
    }
    return provider;
  };

  const signer: WalletSigner = {
    async createWallet(agentId) {
      // Without an address, the provider creates a server account; the idempotency key, from
      // the agent id, makes a retry return the same one (within CDP's idempotency window).
      const provider = await agentKit.CdpEvmWalletProvider.configureWithWallet({ ...credentials, idempotencyKey: uuidFor(agentId) });
      const address = provider.getAddress() as Address;
      providers.set(address.toLowerCase(), Promise.resolve(provider));
      return { address, keyReference: `cdp:${address}` };
    },
    async addressOf(keyReference) {
      return cdpAddress(keyReference);
    },
    // AgentKit serializes the transaction and has CDP sign it; the signed transaction comes back
    // and is broadcast like any other (evmWallets.ts).
    async signTransaction(keyReference, transaction: TransactionSerializableEIP1559) {
      const provider = await providerFor(cdpAddress(keyReference));
      return (await provider.signTransaction(transaction as Parameters<CdpEvmWalletProvider['signTransaction']>[0])) as Hex;
    },
  };

  return new EvmWallets({
    network: settings.networkId,
    chainId: chain.id,
    client,
    usdc: { address: USDC[settings.networkId], decimals: 6 },
    signer,
    funder: {
      // Base Sepolia has CDP's faucet (fixed amounts, whatever is asked); mainnet has no funder.
      defaultFunding: settings.networkId === 'base-sepolia' ? { ethWei: 1n, usdcUnits: 1n } : null,
      async fund(address, { ethWei, usdcUnits }): Promise<Funded> {
        if (settings.networkId !== 'base-sepolia') {
          return { ok: false, reason: 'not_supported', message: 'no funder on Base mainnet: fund agent wallets from your treasury' };
        }
        try {
          const cdp = (await providerFor(address)).getClient();
          const eth = ethWei > 0n ? await cdp.evm.requestFaucet({ address, network: 'base-sepolia', token: 'eth' }) : null;
          const usdc = usdcUnits > 0n ? await cdp.evm.requestFaucet({ address, network: 'base-sepolia', token: 'usdc' }) : null;
          return { ok: true, ethTxHash: eth?.transactionHash ?? null, usdcTxHash: usdc?.transactionHash ?? null };
        } catch (error) {
          return { ok: false, reason: 'funding_failed', message: error instanceof Error ? error.message : String(error) };
        }
      },
    },
    // A live chain's fees: the chain's estimate when signing.
    fees: async () => {
      const { maxFeePerGas, maxPriorityFeePerGas } = await client.estimateFeesPerGas();
      return { maxFeePerGas, maxPriorityFeePerGas };
    },
    pollMs: 1_000,
  });
}

function cdpAddress(keyReference: string): Address {
  const address = keyReference.startsWith('cdp:') ? keyReference.slice(4) : '';
  if (!isAddress(address)) throw new Error(`${JSON.stringify(keyReference)} is not a CDP wallet key reference (cdp:<address>)`);
  return address;
}

// A UUID (version 8, name-based) from the agent id: CDP takes UUIDs as idempotency keys.
function uuidFor(agentId: string): string {
  const hex = createHash('sha256').update(`chimera-wallet:${agentId}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
