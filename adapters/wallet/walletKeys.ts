import { createHash } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type HDAccount, type HDKey, english, generateMnemonic, hdKeyToAccount, mnemonicToAccount } from 'viem/accounts';

// The agents' key material, outside the database (seed 003 §5): one master mnemonic, from the
// environment or a key file, from which every agent's key is derived (BIP-32/44). The database
// keeps only a key reference: a derivation path, which is no secret.
//
// A reference is `hd:<a>/<b>` for the path m/44'/60'/<a>'/0/<b>, with a and b 31-bit numbers
// (the largest BIP-32 index) from the SHA-256 of the agent id. Two levels make 62 bits: two
// agents sharing a wallet has a chance of about 1e-7 among a million agents; one 31-bit index
// would already be about 2% among ten thousand. Deriving from the agent id, rather than from a
// counter, makes creating a wallet idempotent: a retry after a crash finds the same address.

export const MNEMONIC_ENV = 'CHIMERA_WALLET_MNEMONIC';

export type WalletKeys = {
  keyReferenceFor(agentId: string): string;
  // The private key leaves this module only inside this account object.
  accountFor(keyReference: string): HDAccount;
};

export type WalletKeysOptions = {
  env?: Record<string, string | undefined>;
  // Holds keys/wallet-mnemonic when the environment has no mnemonic.
  dataDir: string;
};

const REFERENCE = /^hd:(\d{1,10})\/(\d{1,10})$/;
const MAX_INDEX = 0x7fffffff;

export function walletKeys({ env = process.env, dataDir }: WalletKeysOptions): WalletKeys {
  let master: HDKey | undefined;
  const accounts = new Map<string, HDAccount>();
  // Read (and the key file created) on first use, not at start-up: a process that never
  // touches a wallet never reads the secret.
  const masterKey = (): HDKey => {
    // PBKDF2 of the mnemonic is slow (tens of ms): once per process. The path 'm' yields the
    // master key itself, from which each agent's account is derived.
    master ??= mnemonicToAccount(loadMnemonic(env, dataDir), { path: 'm' as `m/44'/60'/${string}` }).getHdKey();
    return master;
  };
  return {
    keyReferenceFor(agentId) {
      const digest = createHash('sha256').update(agentId, 'utf8').digest();
      return `hd:${digest.readUInt32BE(0) & MAX_INDEX}/${digest.readUInt32BE(4) & MAX_INDEX}`;
    },
    accountFor(keyReference) {
      const known = accounts.get(keyReference);
      if (known) return known;
      const match = REFERENCE.exec(keyReference);
      const accountIndex = Number(match?.[1]);
      const addressIndex = Number(match?.[2]);
      if (!match || accountIndex > MAX_INDEX || addressIndex > MAX_INDEX) {
        throw new Error(`${JSON.stringify(keyReference)} is not a wallet key reference (hd:<a>/<b>)`);
      }
      const account = hdKeyToAccount(masterKey(), { accountIndex, addressIndex });
      accounts.set(keyReference, account);
      return account;
    },
  };
}

export function mnemonicFilePath(dataDir: string): string {
  return path.join(dataDir, 'keys', 'wallet-mnemonic');
}

function loadMnemonic(env: Record<string, string | undefined>, dataDir: string): string {
  const fromEnv = env[MNEMONIC_ENV]?.trim();
  if (fromEnv) {
    const problem = mnemonicProblem(fromEnv);
    if (problem) throw new Error(`${MNEMONIC_ENV} is not a BIP-39 mnemonic: ${problem}`);
    return normalized(fromEnv);
  }
  const file = mnemonicFilePath(dataDir);
  const mnemonic = readKeyFile(file) ?? createKeyFile(file);
  const problem = mnemonicProblem(mnemonic);
  if (problem) throw new Error(`${file} does not hold a BIP-39 mnemonic: ${problem}`);
  return normalized(mnemonic);
}

function readKeyFile(file: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // As ssh does with a private key: a key file others can read is refused, not used.
  if ((mode & 0o077) !== 0) {
    throw new Error(`${file} is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`);
  }
  return readFileSync(file, 'utf8');
}

// Written to a private temporary file, then linked into place: link fails if the file exists,
// so two processes starting at once agree on one mnemonic and never read a half-written file.
function createKeyFile(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const mnemonic = generateMnemonic(english);
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, `${mnemonic}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(temporary, 0o600); // the umask cannot widen it, but make sure.
  try {
    linkSync(temporary, file);
    return mnemonic;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readKeyFile(file)!;
  } finally {
    unlinkSync(temporary);
  }
}

function normalized(mnemonic: string): string {
  return mnemonic.trim().split(/\s+/).join(' ');
}

// BIP-39: known words, a valid length, and the checksum (the first bits of the entropy's
// SHA-256), so a mistyped word is caught at start-up rather than deriving other wallets.
export function mnemonicProblem(mnemonic: string): string | undefined {
  const words = normalized(mnemonic).split(' ');
  if (![12, 15, 18, 21, 24].includes(words.length)) return `${words.length} words (12 to 24 expected)`;
  const indices = words.map((word) => english.indexOf(word));
  if (indices.some((index) => index < 0)) return 'a word outside the English BIP-39 list';
  const bits = indices.map((index) => index.toString(2).padStart(11, '0')).join('');
  const checksumBits = bits.length / 33;
  const entropyBits = bits.slice(0, bits.length - checksumBits);
  const entropy = Buffer.from(entropyBits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const expected = createHash('sha256').update(entropy).digest()[0]!.toString(2).padStart(8, '0').slice(0, checksumBits);
  return expected === bits.slice(bits.length - checksumBits) ? undefined : 'its checksum does not match';
}
