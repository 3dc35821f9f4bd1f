import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { mnemonicFilePath, mnemonicProblem, walletKeys } from './walletKeys.ts';

describe('wallet key file', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const dataDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'chimera-keys-'));
    dirs.push(dir);
    return dir;
  };

  it('creates a private mnemonic file on first use and derives the same wallets from it after a restart', async () => {
    const dir = await dataDir();
    const first = walletKeys({ env: {}, dataDir: dir });
    const reference = first.keyReferenceFor('agent-1');
    const address = first.accountFor(reference).address;

    const file = mnemonicFilePath(dir);
    assert.equal(file, path.join(dir, 'keys', 'wallet-mnemonic'));
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(path.dirname(file))).mode & 0o777, 0o700);
    assert.equal(mnemonicProblem(await readFile(file, 'utf8')), undefined);

    const restarted = walletKeys({ env: {}, dataDir: dir });
    assert.equal(restarted.accountFor(reference).address, address);
    // Another data directory: another mnemonic, other wallets.
    assert.notEqual(walletKeys({ env: {}, dataDir: await dataDir() }).accountFor(reference).address, address);
  });

  it('refuses a key file other users can read', async () => {
    const dir = await dataDir();
    walletKeys({ env: {}, dataDir: dir }).accountFor('hd:0/0');
    await chmod(mnemonicFilePath(dir), 0o644);
    assert.throws(() => walletKeys({ env: {}, dataDir: dir }).accountFor('hd:0/0'), /readable by other users/);
  });

  it('does not touch the data directory when the environment has the mnemonic', async () => {
    const dir = await dataDir();
    walletKeys({ env: { CHIMERA_WALLET_MNEMONIC: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about' }, dataDir: dir }).accountFor('hd:0/0');
    await assert.rejects(stat(mnemonicFilePath(dir)), { code: 'ENOENT' });
  });
});
