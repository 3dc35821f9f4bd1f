import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Address, type PublicClient, createPublicClient, encodeFunctionData, erc20Abi, http, keccak256, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { type DevChain, devChainAccount, devChainDefinition, startDevChain } from './devChain.ts';
import { DEV_FEES, ensureDevContracts } from './devContracts.ts';
import { broadcastOnce, receiptOf, waitForReceipt } from './rawTransactions.ts';

const fees = { ...DEV_FEES, type: 'eip1559' as const };

describe('raw transactions', () => {
  let chain: DevChain;
  let client: PublicClient;
  before(async () => {
    chain = await startDevChain();
    client = createPublicClient({ chain: devChainDefinition(chain), transport: http(chain.rpcUrl) });
  });
  after(() => chain.close());

  const account = devChainAccount(3);
  const payee = devChainAccount(4).address;
  const sign = (nonce: number, value: bigint, to: Address = payee) =>
    account.signTransaction({ ...fees, chainId: chain.chainId, nonce, to, value, gas: 21_000n });

  it('says unknown, then pending behind a nonce gap, then confirmed once the gap is filled', async () => {
    const start = await client.getTransactionCount({ address: account.address });
    const later = await sign(start + 1, 2n);
    assert.deepEqual(await receiptOf(client, keccak256(later)), { status: 'unknown' });
    assert.deepEqual(await broadcastOnce(client, later), { ok: true, txHash: keccak256(later), alreadyKnown: false });
    assert.deepEqual(await receiptOf(client, keccak256(later)), { status: 'pending' });
    assert.deepEqual(await waitForReceipt(client, keccak256(later), { timeoutMs: 300 }), { status: 'pending' });

    const first = await sign(start, 1n);
    assert.equal((await broadcastOnce(client, first)).ok, true);
    const receipt = await waitForReceipt(client, keccak256(later), { timeoutMs: 5_000 });
    assert.equal(receipt.status, 'confirmed');
    assert.equal((await waitForReceipt(client, keccak256(first))).status, 'confirmed');
    assert.equal(await client.getTransactionCount({ address: account.address }), start + 2);
  });

  it('reports a reverted transaction as failed, with the gas it used', async () => {
    const { usdc } = await ensureDevContracts(chain, client);
    const nonce = await client.getTransactionCount({ address: account.address });
    // Account 3 holds no dev USDC: its transfer reverts on chain.
    const raw = await account.signTransaction({
      ...fees,
      chainId: chain.chainId,
      nonce,
      to: usdc,
      data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [payee, 1n] }),
      gas: 100_000n,
    });
    assert.equal((await broadcastOnce(client, raw)).ok, true);
    const receipt = await waitForReceipt(client, keccak256(raw));
    assert.equal(receipt.status, 'failed');
    assert.ok(receipt.status === 'failed' && Number(receipt.gasUsed) > 21_000);
    assert.equal(await client.getTransactionCount({ address: account.address }), nonce + 1);
  });

  it('refuses a transfer the account cannot pay', async () => {
    const pauper = privateKeyToAccount(keccak256('0x01'));
    const raw = await pauper.signTransaction({ ...fees, chainId: chain.chainId, nonce: 0, to: payee, value: parseEther('1'), gas: 21_000n });
    const sent = await broadcastOnce(client, raw);
    assert.equal(sent.ok, false);
    assert.equal(!sent.ok && sent.reason, 'insufficient_funds');
    assert.deepEqual(await receiptOf(client, keccak256(raw)), { status: 'unknown' });
  });

  it('throws, rather than answering for the transaction, when the chain cannot be reached', async () => {
    const other = await startDevChain();
    const unreachable = createPublicClient({ transport: http(other.rpcUrl, { retryCount: 0 }) });
    await other.close();
    await assert.rejects(broadcastOnce(unreachable, await sign(0, 1n)), /HTTP request failed|fetch failed|ECONNREFUSED/);
  });
});
