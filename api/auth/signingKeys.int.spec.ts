import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jwtVerify } from 'jose';
import { issueToken } from './issueToken.ts';
import { loadSigningKeys } from './signingKeys.ts';
import type { SigningKeysConfig } from './signingKeys.ts';

describe('loadSigningKeys', () => {
  let root: string;
  let count = 0;
  // A fresh, not-yet-existing data dir per test so generation is exercised each time.
  const freshDataDir = () => path.join(root, `data-${++count}`);
  const dataDirConfig = (dataDir: string): SigningKeysConfig => ({
    dataDir,
    jwtPrivateKeyFile: undefined,
    jwtPublicKeyFile: undefined,
  });

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'chimera-keys-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('generates a key pair under <dataDir>/keys on first use and reuses it after', async () => {
    const dataDir = freshDataDir();
    const first = await loadSigningKeys(dataDirConfig(dataDir));
    const keysDir = path.join(dataDir, 'keys');

    assert.equal((await stat(path.join(keysDir, 'jwt-private.pem'))).mode & 0o777, 0o600);
    assert.equal((await stat(keysDir)).mode & 0o777, 0o700);
    assert.deepEqual((await readdir(keysDir)).sort(), ['jwt-private.pem', 'jwt-public.pem']);
    assert.match(first.keyId, /^[0-9a-f]{16}$/);
    assert.ok(first.privateKey);

    const second = await loadSigningKeys(dataDirConfig(dataDir));
    assert.equal(second.keyId, first.keyId);
    const token = await issueToken(first, { sub: 'u1', role: 'viewer' });
    await jwtVerify(token, second.publicKey, { algorithms: ['RS256'] });
  });

  it('agrees on one key pair when two loaders start at once', async () => {
    const dataDir = freshDataDir();
    const [a, b] = await Promise.all([loadSigningKeys(dataDirConfig(dataDir)), loadSigningKeys(dataDirConfig(dataDir))]);
    assert.equal(a.keyId, b.keyId);
    assert.equal((await loadSigningKeys(dataDirConfig(dataDir))).keyId, a.keyId);
    assert.deepEqual((await readdir(path.join(dataDir, 'keys'))).sort(), ['jwt-private.pem', 'jwt-public.pem']);
  });

  it('with only a public key file configured, verifies but cannot issue', async () => {
    const dataDir = freshDataDir();
    const full = await loadSigningKeys(dataDirConfig(dataDir));
    const verifyOnly = await loadSigningKeys({
      dataDir: freshDataDir(),
      jwtPrivateKeyFile: undefined,
      jwtPublicKeyFile: path.join(dataDir, 'keys', 'jwt-public.pem'),
    });

    assert.equal(verifyOnly.privateKey, undefined);
    assert.equal(verifyOnly.keyId, full.keyId);
    const token = await issueToken(full, { sub: 'svc', role: 'service' });
    const { payload } = await jwtVerify(token, verifyOnly.publicKey, { algorithms: ['RS256'] });
    assert.equal(payload.sub, 'svc');
    await assert.rejects(issueToken(verifyOnly, { sub: 'svc', role: 'service' }), /cannot issue/);
  });

  it('loads both configured files, and derives the public key from a private key file alone', async () => {
    const dataDir = freshDataDir();
    const generated = await loadSigningKeys(dataDirConfig(dataDir));
    const privateFile = path.join(dataDir, 'keys', 'jwt-private.pem');
    const publicFile = path.join(dataDir, 'keys', 'jwt-public.pem');

    const both = await loadSigningKeys({ dataDir: freshDataDir(), jwtPrivateKeyFile: privateFile, jwtPublicKeyFile: publicFile });
    const privateOnly = await loadSigningKeys({ dataDir: freshDataDir(), jwtPrivateKeyFile: privateFile, jwtPublicKeyFile: undefined });
    assert.equal(both.keyId, generated.keyId);
    assert.equal(privateOnly.keyId, generated.keyId);
    assert.ok(privateOnly.privateKey);
  });

  it('accepts a PKCS#1 private key and refuses a mismatched pair', async () => {
    const dir = freshDataDir();
    await loadSigningKeys(dataDirConfig(dir));
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const otherPrivate = path.join(root, `other-${count}.pem`);
    await writeFile(otherPrivate, other.privateKey, { mode: 0o600 });

    const pkcs1 = await loadSigningKeys({ dataDir: dir, jwtPrivateKeyFile: otherPrivate, jwtPublicKeyFile: undefined });
    assert.ok(pkcs1.privateKey);
    await assert.rejects(
      loadSigningKeys({
        dataDir: dir,
        jwtPrivateKeyFile: otherPrivate,
        jwtPublicKeyFile: path.join(dir, 'keys', 'jwt-public.pem'),
      }),
      /does not match/,
    );
  });

  it('refuses to replace a lone public key in the data dir', async () => {
    const dataDir = freshDataDir();
    await loadSigningKeys(dataDirConfig(dataDir));
    await rm(path.join(dataDir, 'keys', 'jwt-private.pem'));
    await assert.rejects(loadSigningKeys(dataDirConfig(dataDir)), /exists without/);
  });
});
