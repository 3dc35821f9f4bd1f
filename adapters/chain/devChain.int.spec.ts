import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createPublicClient, createWalletClient, http, parseEther } from 'viem';
import { type DevChain, devChainAccount, devChainDefinition, startDevChain } from './devChain.ts';

const recipient = '0x000000000000000000000000000000000000c0de';

function clients(chain: DevChain) {
  const definition = devChainDefinition(chain);
  return {
    read: createPublicClient({ chain: definition, transport: http(chain.rpcUrl), pollingInterval: 20 }),
    funder: createWalletClient({ chain: definition, transport: http(chain.rpcUrl), account: chain.funder }),
  };
}

describe('dev chain', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('serves ganache on 127.0.0.1 with a funded, well-known funder and mines a transfer at once', async () => {
    const chain = await startDevChain();
    cleanups.push(() => chain.close());
    const { read, funder } = clients(chain);
    assert.match(chain.rpcUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await read.getChainId(), 1337);
    // ganache's deterministic account 0.
    assert.equal(chain.funder.address, '0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1');
    assert.equal(await read.getBalance({ address: chain.funder.address }), parseEther('1000000'));

    const hash = await funder.sendTransaction({ to: recipient, value: parseEther('1.5') });
    const receipt = await read.waitForTransactionReceipt({ hash, timeout: 5_000 });
    assert.equal(receipt.status, 'success');
    assert.equal(await read.getBalance({ address: recipient }), parseEther('1.5'));
  });

  it('keeps a mined transfer across a restart on the same dbPath', async () => {
    const dbPath = await mkdtemp(path.join(tmpdir(), 'chimera-chain-'));
    cleanups.push(() => rm(dbPath, { recursive: true, force: true }));

    const first = await startDevChain({ dbPath });
    cleanups.push(() => first.close());
    const before = clients(first);
    const hash = await before.funder.sendTransaction({ to: recipient, value: parseEther('2') });
    const mined = await before.read.waitForTransactionReceipt({ hash, timeout: 5_000 });
    await first.close();

    const second = await startDevChain({ dbPath });
    cleanups.push(() => second.close());
    const afterRestart = clients(second);
    assert.equal(await afterRestart.read.getBalance({ address: recipient }), parseEther('2'));
    const receipt = await afterRestart.read.getTransactionReceipt({ hash });
    assert.equal(receipt.blockNumber, mined.blockNumber);
    assert.equal(await afterRestart.read.getTransactionCount({ address: second.funder.address }), 1);
  });

  it('starts from genesis again without a dbPath', async () => {
    const chain = await startDevChain();
    cleanups.push(() => chain.close());
    const { read } = clients(chain);
    assert.equal(await read.getBalance({ address: recipient }), 0n);
    assert.equal(await read.getBlockNumber(), 0n);
  });

  it('mines on a timer with blockTimeS', async () => {
    const chain = await startDevChain({ blockTimeS: 1 });
    cleanups.push(() => chain.close());
    const { read, funder } = clients(chain);
    const start = await read.getBlockNumber();
    const hash = await funder.sendTransaction({ to: recipient, value: 1n });
    const receipt = await read.waitForTransactionReceipt({ hash, timeout: 5_000 });
    assert.equal(receipt.status, 'success');
    assert.ok(receipt.blockNumber > start);
  });

  it('derives the other dev accounts as ganache does', async () => {
    const chain = await startDevChain();
    cleanups.push(() => chain.close());
    const { read } = clients(chain);
    // ganache funds its first ten accounts at genesis; index 10 is not one of them.
    assert.equal(await read.getBalance({ address: devChainAccount(9).address }), parseEther('1000000'));
    assert.equal(await read.getBalance({ address: devChainAccount(10).address }), 0n);
  });
});
