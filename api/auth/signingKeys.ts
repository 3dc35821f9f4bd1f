import { createHash, createPrivateKey, createPublicKey, generateKeyPair, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { importPKCS8, importSPKI } from 'jose';
import type { CryptoKey } from 'jose';
import type { ChimeraConfig } from '../../config.ts';

// privateKey is absent on nodes configured with only the public key: they verify but cannot issue.
export type SigningKeys = {
  readonly privateKey?: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly keyId: string;
};

export type SigningKeysConfig = Pick<ChimeraConfig, 'dataDir' | 'jwtPrivateKeyFile' | 'jwtPublicKeyFile'>;

const alg = 'RS256';
const minModulusBits = 2048;

type KeyFiles = {
  privatePem: string | undefined;
  privateSource: string | undefined;
  publicPem: string | undefined;
  publicSource: string | undefined;
};

export async function loadSigningKeys(config: SigningKeysConfig): Promise<SigningKeys> {
  const files =
    config.jwtPublicKeyFile || config.jwtPrivateKeyFile
      ? await readConfiguredKeys(config.jwtPrivateKeyFile, config.jwtPublicKeyFile)
      : await readOrCreateDataDirKeys(config.dataDir);
  return importKeys(files);
}

// A private key file alone is enough: the public key is derived from it.
async function readConfiguredKeys(privateFile: string | undefined, publicFile: string | undefined): Promise<KeyFiles> {
  return {
    privatePem: privateFile ? await readFile(privateFile, 'utf8') : undefined,
    privateSource: privateFile,
    publicPem: publicFile ? await readFile(publicFile, 'utf8') : undefined,
    publicSource: publicFile,
  };
}

async function readOrCreateDataDirKeys(dataDir: string): Promise<KeyFiles> {
  const dir = path.join(dataDir, 'keys');
  const privateFile = path.join(dir, 'jwt-private.pem');
  const publicFile = path.join(dir, 'jwt-public.pem');

  // Public before private: the private file is always written first and never removed, so a
  // public file without a private one is not a half-finished generation but someone else's key.
  let publicPem = await readIfPresent(publicFile);
  let privatePem = await readIfPresent(privateFile);
  if (privatePem === undefined) {
    if (publicPem !== undefined) {
      throw new Error(
        `${publicFile} exists without ${privateFile}; refusing to replace it with a new key pair ` +
          '(set JWT_PUBLIC_KEY_FILE for a verify-only node)',
      );
    }
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeUnlessPresent(privateFile, await generatePrivatePem(), 0o600);
    // Re-read: a process racing us may have won, and its key is the one to use.
    privatePem = await readFile(privateFile, 'utf8');
  }
  if (publicPem === undefined) {
    publicPem = spkiPem(createPublicKey(parsePrivateKey(privatePem, privateFile)));
    await writeReplacing(publicFile, publicPem, 0o644);
  }
  return { privatePem, privateSource: privateFile, publicPem, publicSource: publicFile };
}

async function importKeys(files: KeyFiles): Promise<SigningKeys> {
  const privateKey = files.privatePem === undefined ? undefined : parsePrivateKey(files.privatePem, files.privateSource);
  const publicKey =
    files.publicPem === undefined ? createPublicKey(requireKey(privateKey)) : parsePublicKey(files.publicPem, files.publicSource);

  const spki = publicKey.export({ type: 'spki', format: 'der' });
  if (privateKey && !createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).equals(spki)) {
    // Otherwise every token this node issues would fail verification everywhere.
    throw new Error(`JWT private key (${files.privateSource}) does not match public key (${files.publicSource})`);
  }

  return {
    privateKey: privateKey && (await importPKCS8(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, alg)),
    publicKey: await importSPKI(spkiPem(publicKey), alg),
    keyId: createHash('sha256').update(spki).digest('hex').slice(0, 16),
  };
}

// Parsed with node:crypto first so PKCS#1 files work too and errors name the file.
function parsePrivateKey(pem: string, source: string | undefined): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new Error(`JWT private key (${source}) is not a readable PEM private key`, { cause: error });
  }
  return requireRsa(key, source);
}

function parsePublicKey(pem: string, source: string | undefined): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new Error(`JWT public key (${source}) is not a readable PEM public key`, { cause: error });
  }
  return requireRsa(key, source);
}

function requireRsa(key: KeyObject, source: string | undefined): KeyObject {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < minModulusBits) {
    throw new Error(`JWT key (${source}) must be an RSA key of at least ${minModulusBits} bits for ${alg}`);
  }
  return key;
}

function requireKey(key: KeyObject | undefined): KeyObject {
  if (!key) throw new Error('no JWT key configured');
  return key;
}

function spkiPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }) as string;
}

async function generatePrivatePem(): Promise<string> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: minModulusBits });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

// link() never replaces an existing file, so of two processes generating at once exactly one
// key wins; a plain rename would let them end up with one's private and the other's public key.
async function writeUnlessPresent(file: string, content: string, mode: number): Promise<void> {
  const temp = await writeTemp(file, content, mode);
  try {
    await link(temp, file);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  } finally {
    await unlink(temp);
  }
}

// Racing writers derive identical content here, so last-rename-wins is harmless.
async function writeReplacing(file: string, content: string, mode: number): Promise<void> {
  const temp = await writeTemp(file, content, mode);
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

async function writeTemp(file: string, content: string, mode: number): Promise<string> {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, content, { mode, flag: 'wx' });
  return temp;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
