import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Signer } from '../../domain/money/moneyCommands.ts';

// The CFO Judge's signing key (Ed25519: deterministic signatures, so a decision signs the same
// on a retry): CFO_PRIVATE_KEY_FILE (seed 004: CFO_PRIVATE_KEY), else a key generated on first
// use into <data dir>/keys/cfo-ed25519.pem (mode 0600), outside the database. Anyone with the
// public key can check an approval's `approval_signature` over its canonical JSON.
export type CfoSigner = { sign: Signer; verify(message: string, signature: string): boolean; publicKeyPem: string };

// The CFO's public key for auditors, without making a key: CFO_PUBLIC_KEY_FILE, else the
// private key's (as loadCfoSigner finds it) if there is one.
export function cfoPublicKeyPem(dataDir: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CFO_PUBLIC_KEY_FILE) return createPublicKey(fs.readFileSync(env.CFO_PUBLIC_KEY_FILE, 'utf8')).export({ type: 'spki', format: 'pem' }).toString();
  const file = env.CFO_PRIVATE_KEY_FILE || path.join(dataDir, 'keys', 'cfo-ed25519.pem');
  if (!fs.existsSync(file)) return null;
  return createPublicKey(createPrivateKey(fs.readFileSync(file, 'utf8'))).export({ type: 'spki', format: 'pem' }).toString();
}

export function loadCfoSigner(dataDir: string, keyFile: string | undefined = process.env.CFO_PRIVATE_KEY_FILE || undefined): CfoSigner {
  const file = keyFile ?? path.join(dataDir, 'keys', 'cfo-ed25519.pem');
  if (!keyFile && !fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      // 'wx': a process racing us may have written it first; then theirs is the key.
      fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const privateKey: KeyObject = createPrivateKey(fs.readFileSync(file, 'utf8'));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: the CFO key must be Ed25519`);
  const publicKey = createPublicKey(privateKey);
  return {
    sign: (message) => sign(null, Buffer.from(message), privateKey).toString('base64'),
    verify: (message, signature) => verify(null, Buffer.from(message), publicKey, Buffer.from(signature, 'base64')),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
