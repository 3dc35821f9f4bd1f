import {
  type Address,
  type Hex,
  type PublicClient,
  type TransactionSerializableEIP1559,
  encodeFunctionData,
  erc20Abi,
  getContractAddress,
  parseUnits,
} from 'viem';
import { erc20DeployData, multicall3DeployData } from './contracts.ts';
import { type DevChain, devChainAccount } from './devChain.ts';
import { broadcastOnce, waitForReceipt } from './rawTransactions.ts';

// The contracts every dev chain gets once: Multicall3 (AgentKit's ERC-20 actions read through
// it) and a USDC-like token, whose whole supply goes to the funder.
//
// They are deployed by a dev account nobody else uses (account 9), as its transactions 0, 1 and
// 2, each signed with fixed gas and fees: the same transactions, with the same hashes, on every
// start. So a restart on a persisted chain finds them where they were (the addresses follow
// from the account and its nonces), and a start interrupted half-way sends the rest; nothing
// needs remembering outside the chain.

export const DEV_USDC = { name: 'USD Coin (dev)', symbol: 'USDC', decimals: 6, supply: '1000000000000' } as const;
const DEPLOYER_INDEX = 9;
// The dev chain's base fee starts at 1 gwei and only falls while blocks stay under half full.
export const DEV_FEES = { maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n } as const;

export type DevContracts = { multicall3: Address; usdc: Address; usdcDecimals: number };

export async function ensureDevContracts(chain: DevChain, client: PublicClient): Promise<DevContracts> {
  const deployer = devChainAccount(DEPLOYER_INDEX);
  const multicall3 = getContractAddress({ from: deployer.address, nonce: 0n });
  const usdc = getContractAddress({ from: deployer.address, nonce: 1n });
  const plan: Omit<TransactionSerializableEIP1559, 'nonce' | 'chainId' | 'type'>[] = [
    { data: multicall3DeployData(), gas: 1_500_000n },
    { data: erc20DeployData(DEV_USDC), gas: 2_000_000n },
    {
      to: usdc,
      data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [chain.funder.address, parseUnits(DEV_USDC.supply, DEV_USDC.decimals)] }),
      gas: 100_000n,
    },
  ];
  const done = await client.getTransactionCount({ address: deployer.address });
  for (let nonce = done; nonce < plan.length; nonce++) {
    const raw: Hex = await deployer.signTransaction({ ...plan[nonce], ...DEV_FEES, nonce, chainId: chain.chainId, type: 'eip1559' });
    const sent = await broadcastOnce(client, raw);
    if (!sent.ok) throw new Error(`dev chain contracts: transaction ${nonce} of dev account ${DEPLOYER_INDEX} was refused (${sent.reason}: ${sent.message}); that account is reserved for them`);
    const receipt = await waitForReceipt(client, sent.txHash, { timeoutMs: 60_000 });
    if (receipt.status !== 'confirmed') throw new Error(`dev chain contracts: transaction ${nonce} (${sent.txHash}) is ${receipt.status}`);
  }
  const symbol = await client.readContract({ address: usdc, abi: erc20Abi, functionName: 'symbol' }).catch(() => undefined);
  const multicallCode = await client.getCode({ address: multicall3 });
  if (symbol !== DEV_USDC.symbol || !multicallCode || multicallCode === '0x') {
    throw new Error(`dev chain contracts: dev account ${DEPLOYER_INDEX} was used for something else; no Multicall3 and USDC at ${multicall3} and ${usdc}`);
  }
  return { multicall3, usdc, usdcDecimals: DEV_USDC.decimals };
}
