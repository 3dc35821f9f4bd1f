import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { selectWallets } from './selectWallets.ts';
import { mnemonicFilePath } from './walletKeys.ts';

describe('the embedded default wallets', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps the chain and the key file in the data directory: a restarted process finds wallets and money as they were', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'chimera-wallets-'));
    dirs.push(dataDir);
    const first = await selectWallets({}, { dataDir });
    let created;
    try {
      assert.equal(first.network, 'local');
      created = await first.createWallet('agent-embedded');
      assert.equal((await first.fund(created.address, first.defaultFunding!)).ok, true);
    } finally {
      await first.close();
    }
    assert.equal((await stat(mnemonicFilePath(dataDir))).mode & 0o777, 0o600);
    assert.ok((await stat(path.join(dataDir, 'chain'))).isDirectory());

    const second = await selectWallets({}, { dataDir });
    try {
      assert.deepEqual(await second.createWallet('agent-embedded'), created);
      assert.deepEqual(await second.balance(created.address), {
        eth: { wei: '1000000000000000000', formatted: '1' },
        usdc: { units: '10000000000', formatted: '10000' },
      });
    } finally {
      await second.close();
    }
  });
});
