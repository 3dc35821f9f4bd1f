import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jwtVerify } from 'jose';
import { readConfig } from '../config.ts';
import type { ChimeraConfig } from '../config.ts';
import { loadSigningKeys } from '../api/auth/signingKeys.ts';
import { tokenCommand } from './token.ts';

type Output = { code: number; stdout: string; stderr: string };

// Captures only string writes: node's test runner reports to its parent through stdout with
// Buffer chunks, and those must still get through while a command runs.
async function run(argv: string[], config: ChimeraConfig): Promise<Output> {
  const captured = { stdout: '', stderr: '' };
  const originals = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (stream: 'stdout' | 'stderr') =>
    function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      if (typeof chunk === 'string') {
        captured[stream] += chunk;
        return true;
      }
      return (originals[stream] as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof process.stdout.write;
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  try {
    const code = await tokenCommand(argv, config);
    return { code, ...captured };
  } finally {
    process.stdout.write = originals.stdout;
    process.stderr.write = originals.stderr;
  }
}

describe('chimera token', () => {
  let dataDir: string;
  let config: ChimeraConfig;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'chimera-token-'));
    config = readConfig({ CHIMERA_DATA_DIR: dataDir });
  });

  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints only a token the server keys verify', async () => {
    const out = await run(['--role', 'operator', '--sub', 'alice', '--ttl', '120'], config);
    assert.equal(out.code, 0);
    assert.equal(out.stderr, '');
    assert.match(out.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);

    const keys = await loadSigningKeys(config);
    const { payload, protectedHeader } = await jwtVerify(out.stdout.trim(), keys.publicKey, {
      algorithms: ['RS256'],
      issuer: 'chimera',
      audience: 'chimera-api',
    });
    assert.equal(protectedHeader.kid, keys.keyId);
    assert.equal(payload.sub, 'alice');
    assert.equal(payload.role, 'operator');
    assert.equal(Number(payload.exp) - Number(payload.iat), 120);
  });

  it('exits 2 with usage for an unknown role', async () => {
    const out = await run(['--role', 'admin', '--sub', 'alice'], config);
    assert.equal(out.code, 2);
    assert.equal(out.stdout, '');
    assert.match(out.stderr, /unknown role: admin/);
    assert.match(out.stderr, /usage: chimera token --role <operator\|moderator\|viewer\|service>/);
  });

  it('exits 2 for a missing role or sub, a bad ttl, or an unknown option', async () => {
    for (const argv of [
      ['--sub', 'alice'],
      ['--role', 'viewer'],
      ['--role', 'viewer', '--sub', 'alice', '--ttl', '-5'],
      ['--role', 'viewer', '--sub', 'alice', '--ttl', '1h'],
      ['--role', 'viewer', '--sub', 'alice', '--bogus'],
    ]) {
      const out = await run(argv, config);
      assert.equal(out.code, 2, argv.join(' '));
      assert.equal(out.stdout, '');
      assert.match(out.stderr, /usage:/);
    }
  });
});
