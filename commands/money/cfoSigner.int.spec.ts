import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { loadCfoSigner } from './cfoSigner.ts';

it('makes one key in the data folder, private to its owner, and signs verifiably and deterministically', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfo-key-'));
  try {
    const first = loadCfoSigner(dir, undefined);
    const again = loadCfoSigner(dir, undefined);
    assert.equal(first.publicKeyPem, again.publicKeyPem);
    assert.equal(fs.statSync(path.join(dir, 'keys', 'cfo-ed25519.pem')).mode & 0o777, 0o600);
    const signature = first.sign('{"amount_usd":10}');
    assert.equal(again.sign('{"amount_usd":10}'), signature);
    assert.ok(again.verify('{"amount_usd":10}', signature));
    assert.equal(again.verify('{"amount_usd":11}', signature), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
