import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Address, type Hex, createPublicClient, erc20Abi, http, parseEther, parseUnits } from 'viem';
import { type DevChain, startDevChain } from '../chain/devChain.ts';
import { DEFAULT_DEV_FUNDING, type AgentKitWallets, createAgentKitWallets } from './agentKitWallets.ts';
import { walletKeys } from './walletKeys.ts';
import type { Receipt } from './walletPort.ts';

const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const keys = () => walletKeys({ env: { CHIMERA_WALLET_MNEMONIC: MNEMONIC }, dataDir: '/nonexistent' });

type Confirmed = Extract<Receipt, { blockNumber: number }>;
function confirmed(receipt: Receipt): Confirmed {
  assert.equal(receipt.status, 'confirmed', `receipt: ${JSON.stringify(receipt)}`);
  return receipt as Confirmed;
}
const gasCost = (receipt: Confirmed) => BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice);

describe('agent wallets on the dev chain (AgentKit)', () => {
  let chain: DevChain;
  let wallets: AgentKitWallets;
  let agents = 0;
  const cleanups: (() => Promise<unknown>)[] = [];

  before(async () => {
    chain = await startDevChain();
    cleanups.push(() => chain.close());
    wallets = await createAgentKitWallets({ chain, keys: keys() });
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const read = () => createPublicClient({ transport: http(chain.rpcUrl) });
  const nonceOf = (address: Address) => read().getTransactionCount({ address });
  const usdcOf = (address: Address, token = wallets.usdcAddress) => read().readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [address] });
  const fundedWallet = async () => {
    const wallet = await wallets.createWallet(`agent-${++agents}-${Date.now()}`);
    const funded = await wallets.fund(wallet.address, wallets.defaultFunding!);
    assert.equal(funded.ok, true, JSON.stringify(funded));
    return wallet;
  };
  const send = async (rawTransaction: Hex) => {
    const sent = await wallets.broadcast(rawTransaction);
    assert.equal(sent.ok, true, JSON.stringify(sent));
    return confirmed(await wallets.waitForReceipt(sent.txHash, { timeoutMs: 10_000 }));
  };

  it('creates a wallet per agent, funded with ETH and the dev USDC by the funder through AgentKit', async () => {
    const created = await wallets.createWallet('agent-funded');
    assert.equal(created.network, 'local');
    assert.match(created.keyReference, /^hd:\d+\/\d+$/);
    assert.deepEqual(await wallets.createWallet('agent-funded'), created);
    const empty = await wallets.balance(created.address);
    assert.deepEqual(empty, { eth: { wei: '0', formatted: '0' }, usdc: { units: '0', formatted: '0' } });

    const funderUsdc = await usdcOf(chain.funder.address);
    const funded = await wallets.fund(created.address, DEFAULT_DEV_FUNDING);
    assert.ok(funded.ok && funded.ethTxHash && funded.usdcTxHash);
    assert.deepEqual(await wallets.balance(created.address), {
      eth: { wei: parseEther('1').toString(), formatted: '1' },
      usdc: { units: parseUnits('10000', 6).toString(), formatted: '10000' },
    });
    assert.equal(await usdcOf(chain.funder.address), funderUsdc - parseUnits('10000', 6));
    assert.equal(await read().readContract({ address: wallets.usdcAddress, abi: erc20Abi, functionName: 'symbol' }), 'USDC');
    assert.equal(await read().readContract({ address: wallets.usdcAddress, abi: erc20Abi, functionName: 'decimals' }), 6);
  });

  it('mines an ETH transfer: the recipient gains the amount, the sender loses it plus gasUsed × effectiveGasPrice', async () => {
    const from = await fundedWallet();
    const to = await wallets.createWallet(`recipient-${Date.now()}`);
    const signed = await wallets.signTransfer({ keyReference: from.keyReference, to: to.address, asset: 'ETH', amount: '0.25' });
    assert.ok(signed.ok);
    assert.equal(signed.from, from.address);
    assert.equal(signed.nonce, 0);
    const receipt = await send(signed.rawTransaction);
    assert.ok(receipt.blockNumber > 0);
    const [sender, recipient] = [await wallets.balance(from.address), await wallets.balance(to.address)];
    assert.equal(recipient.eth.wei, parseEther('0.25').toString());
    assert.equal(BigInt(sender.eth.wei), parseEther('1') - parseEther('0.25') - gasCost(receipt));
    assert.equal(receipt.gasUsed, '21000');
    assert.equal(sender.usdc.formatted, '10000');
  });

  it('mines a USDC transfer: token balances move by the amount, gas is paid in ETH', async () => {
    const from = await fundedWallet();
    const to = await wallets.createWallet(`usdc-recipient-${Date.now()}`);
    const signed = await wallets.signTransfer({ keyReference: from.keyReference, to: to.address, asset: 'USDC', amount: '12.5' });
    assert.ok(signed.ok);
    const receipt = await send(signed.rawTransaction);
    assert.equal((await wallets.balance(to.address)).usdc.units, '12500000');
    const sender = await wallets.balance(from.address);
    assert.equal(sender.usdc.formatted, '9987.5');
    assert.equal(BigInt(sender.eth.wei), parseEther('1') - gasCost(receipt));
  });

  it('deploys a real ERC-20 whose totalSupply reads back as requested', async () => {
    const owner = await fundedWallet();
    const deployed = await wallets.deployToken({ keyReference: owner.keyReference, name: 'Agent Coin', symbol: 'AGC', decimals: 18, supply: '1000000' });
    assert.ok(deployed.ok, JSON.stringify(deployed));
    assert.deepEqual(await wallets.totalSupply(deployed.address), { units: parseUnits('1000000', 18).toString(), decimals: 18, formatted: '1000000' });
    assert.equal(await usdcOf(owner.address, deployed.address), parseUnits('1000000', 18));
    assert.equal(await read().readContract({ address: deployed.address, abi: erc20Abi, functionName: 'symbol' }), 'AGC');
    const code = await read().getCode({ address: deployed.address });
    assert.ok(code && code.length > 2);
  });

  it('signs once, broadcasts twice (and again after mining): one transaction, one payment, the nonce advanced once', async () => {
    const from = await fundedWallet();
    const to = await wallets.createWallet(`once-${Date.now()}`);
    // Nonce 0: the case ganache 7 would mine twice if it were sent again.
    const signed = await wallets.signTransfer({ keyReference: from.keyReference, to: to.address, asset: 'ETH', amount: '0.1' });
    assert.ok(signed.ok);
    assert.equal(signed.nonce, 0);
    const [first, second] = await Promise.all([wallets.broadcast(signed.rawTransaction), wallets.broadcast(signed.rawTransaction)]);
    assert.ok(first.ok && second.ok);
    assert.equal(first.txHash, signed.txHash);
    assert.equal(second.txHash, signed.txHash);
    assert.deepEqual([first.alreadyKnown, second.alreadyKnown].sort(), [false, true]);
    const receipt = confirmed(await wallets.waitForReceipt(signed.txHash));
    const third = await wallets.broadcast(signed.rawTransaction);
    assert.deepEqual(third, { ok: true, txHash: signed.txHash, alreadyKnown: true });

    assert.equal(await nonceOf(from.address), 1);
    assert.equal((await wallets.balance(to.address)).eth.wei, parseEther('0.1').toString());
    assert.equal(BigInt((await wallets.balance(from.address)).eth.wei), parseEther('0.9') - gasCost(receipt));
    // The same inputs and nonce sign the very same transaction.
    const again = await wallets.signTransfer({ keyReference: from.keyReference, to: to.address, asset: 'ETH', amount: '0.1', nonce: 0 });
    assert.ok(again.ok);
    assert.equal(again.rawTransaction, signed.rawTransaction);
    assert.deepEqual(await wallets.broadcast(again.rawTransaction), { ok: true, txHash: signed.txHash, alreadyKnown: true });
    assert.equal(await nonceOf(from.address), 1);
  });

  it('refuses, without sending, a transaction whose nonce another one took', async () => {
    const from = await fundedWallet();
    const to = await wallets.createWallet(`taken-${Date.now()}`);
    const paid = await wallets.signTransfer({ keyReference: from.keyReference, to: to.address, asset: 'ETH', amount: '0.2' });
    assert.ok(paid.ok);
    await send(paid.rawTransaction);
    const rival = await wallets.signTransfer({ keyReference: from.keyReference, to: to.address, asset: 'ETH', amount: '0.3', nonce: paid.nonce });
    assert.ok(rival.ok);
    const refused = await wallets.broadcast(rival.rawTransaction);
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.reason, 'nonce_taken');
    assert.deepEqual(await wallets.receipt(rival.txHash), { status: 'unknown' });
    assert.equal((await wallets.balance(to.address)).eth.wei, parseEther('0.2').toString());
  });

  it('refuses what the wallet cannot pay or the amount cannot say, and signs nothing', async () => {
    const from = await fundedWallet();
    const to = (await wallets.createWallet(`refused-${Date.now()}`)).address;
    const refusals = await Promise.all([
      wallets.signTransfer({ keyReference: from.keyReference, to, asset: 'USDC', amount: '10000.000001' }),
      wallets.signTransfer({ keyReference: from.keyReference, to, asset: 'ETH', amount: '1' }),
      wallets.signTransfer({ keyReference: from.keyReference, to, asset: 'USDC', amount: '0.0000001' }),
      wallets.signTransfer({ keyReference: from.keyReference, to, asset: 'ETH', amount: '-1' }),
      wallets.signTransfer({ keyReference: from.keyReference, to: '0x1234' as Address, asset: 'ETH', amount: '1' }),
    ]);
    assert.deepEqual(
      refusals.map((r) => (r.ok ? 'signed' : r.reason)),
      ['insufficient_funds', 'insufficient_funds', 'invalid_amount', 'invalid_amount', 'invalid_address'],
    );
    const pauper = await wallets.createWallet(`pauper-${Date.now()}`);
    const deployment = await wallets.deployToken({ keyReference: pauper.keyReference, name: 'Nothing', symbol: 'NIL', supply: '1' });
    assert.equal(!deployment.ok && deployment.reason, 'insufficient_funds');
    // A mixed-case address whose checksum is wrong (one letter's case flipped) is refused.
    const mistyped = '0x90f8bf6A479f320ead074411a4B0e7944Ea8c9C1' as Address;
    const refused = await wallets.signTransfer({ keyReference: from.keyReference, to: mistyped, asset: 'ETH', amount: '0.1' });
    assert.equal(!refused.ok && refused.reason, 'invalid_address');
    // Nothing was sent and no nonce handed out: the next transfer still takes nonce 0.
    const next = await wallets.signTransfer({ keyReference: from.keyReference, to: to.toLowerCase() as Address, asset: 'USDC', amount: '1' });
    assert.ok(next.ok);
    assert.equal(next.nonce, 0);
  });

  it('gives concurrent transfers from one wallet consecutive nonces and mines them all, sent in any order', async () => {
    const from = await fundedWallet();
    const to = await wallets.createWallet(`many-${Date.now()}`);
    const signed = await Promise.all(
      Array.from({ length: 6 }, () => wallets.signTransfer({ keyReference: from.keyReference, to: to.address, asset: 'USDC', amount: '1.5' })),
    );
    const transactions = signed.map((s) => {
      assert.ok(s.ok);
      return s;
    });
    assert.deepEqual(transactions.map((t) => t.nonce).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
    // Highest nonce first: the chain holds the later ones until the gap closes.
    const sent = await Promise.all([...transactions].reverse().map((t) => wallets.broadcast(t.rawTransaction)));
    assert.ok(sent.every((s) => s.ok));
    for (const t of transactions) confirmed(await wallets.waitForReceipt(t.txHash, { timeoutMs: 10_000 }));
    assert.equal((await wallets.balance(to.address)).usdc.formatted, '9');
    assert.equal(await nonceOf(from.address), 6);
  });

  it('broadcasts, from a fresh instance (as after a restart), a transaction signed before it', async () => {
    const from = await fundedWallet();
    const to = await wallets.createWallet(`restart-${Date.now()}`);
    const signed = await wallets.signTransfer({ keyReference: from.keyReference, to: to.address, asset: 'USDC', amount: '7' });
    assert.ok(signed.ok);
    assert.deepEqual(await wallets.receipt(signed.txHash), { status: 'unknown' });

    const restarted = await createAgentKitWallets({ chain, keys: keys() });
    assert.equal(restarted.usdcAddress, wallets.usdcAddress);
    assert.equal(restarted.multicall3Address, wallets.multicall3Address);
    assert.deepEqual(await restarted.createWallet("same-agent"), await wallets.createWallet("same-agent"));
    const sent = await restarted.broadcast(signed.rawTransaction);
    assert.deepEqual(sent, { ok: true, txHash: signed.txHash, alreadyKnown: false });
    confirmed(await restarted.waitForReceipt(signed.txHash));
    assert.equal((await restarted.balance(to.address)).usdc.formatted, '7');
    assert.deepEqual(await restarted.broadcast(signed.rawTransaction), { ok: true, txHash: signed.txHash, alreadyKnown: true });
    assert.equal((await restarted.balance(to.address)).usdc.formatted, '7');
  });
});

describe('agent wallets across a dev chain restart (dbPath)', () => {
  let dbPath: string;
  const cleanups: (() => Promise<unknown>)[] = [];
  before(async () => {
    dbPath = await mkdtemp(path.join(tmpdir(), 'chimera-wallet-chain-'));
    cleanups.push(() => rm(dbPath, { recursive: true, force: true }));
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('keeps wallets, balances and the contracts, and sends after the restart what was signed before it', async () => {
    const firstChain = await startDevChain({ dbPath });
    cleanups.push(() => firstChain.close());
    const first = await createAgentKitWallets({ chain: firstChain, keys: keys(), closeChain: true });
    const from = await first.createWallet('persistent-agent');
    assert.ok((await first.fund(from.address, first.defaultFunding!)).ok);
    const to = await first.createWallet('persistent-recipient');
    const mined = await first.signTransfer({ keyReference: from.keyReference, to: to.address, asset: 'ETH', amount: '0.5' });
    assert.ok(mined.ok);
    assert.ok((await first.broadcast(mined.rawTransaction)).ok);
    confirmed(await first.waitForReceipt(mined.txHash));
    // Signed (and recorded, in the real flow), then the process stops before sending it.
    const pending = await first.signTransfer({ keyReference: from.keyReference, to: to.address, asset: 'USDC', amount: '3' });
    assert.ok(pending.ok);
    assert.equal(pending.nonce, 1);
    const before = await first.balance(from.address);
    await first.close();

    const secondChain = await startDevChain({ dbPath });
    cleanups.push(() => secondChain.close());
    const second = await createAgentKitWallets({ chain: secondChain, keys: keys() });
    assert.equal(second.usdcAddress, first.usdcAddress);
    assert.deepEqual(await second.createWallet('persistent-agent'), from);
    assert.deepEqual(await second.balance(from.address), before);
    assert.equal((await second.balance(to.address)).eth.formatted, '0.5');
    assert.equal((await second.receipt(mined.txHash)).status, 'confirmed');

    const sent = await second.broadcast(pending.rawTransaction);
    assert.deepEqual(sent, { ok: true, txHash: pending.txHash, alreadyKnown: false });
    confirmed(await second.waitForReceipt(pending.txHash));
    assert.equal((await second.broadcast(mined.rawTransaction)).ok, true);
    assert.equal((await second.balance(to.address)).usdc.formatted, '3');
    assert.equal((await second.balance(to.address)).eth.formatted, '0.5');
  });
});
