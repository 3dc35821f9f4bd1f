import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex } from 'viem';
import { MNEMONIC_ENV, mnemonicProblem, walletKeys } from './walletKeys.ts';

// The mnemonic comes from the environment: no key file, no I/O. This one is ganache's
// well-known deterministic mnemonic, so that addresses can be checked against ganache's.
const DEV_CHAIN_MNEMONIC = 'myth like bonus scare over problem client lizard pioneer submit female collect';
const env = { [MNEMONIC_ENV]: DEV_CHAIN_MNEMONIC };
const keys = () => walletKeys({ env, dataDir: '/nonexistent' });

describe('wallet keys', () => {
  it('gives the same agent the same reference and the same address, in another instance too (as after a restart)', () => {
    const reference = keys().keyReferenceFor('agent-7');
    assert.equal(keys().keyReferenceFor('agent-7'), reference);
    assert.equal(keys().accountFor(reference).address, keys().accountFor(reference).address);
  });

  it('gives different agents different references and addresses', () => {
    const k = keys();
    const references = ['agent-1', 'agent-2', 'Agent-1', 'agent-1 '].map((id) => k.keyReferenceFor(id));
    assert.equal(new Set(references).size, 4);
    assert.equal(new Set(references.map((r) => k.accountFor(r).address)).size, 4);
  });

  it('derives m/44\'/60\'/<a>\'/0/<b>: hd:0/0 is ganache\'s account 0 of the same mnemonic', () => {
    assert.equal(keys().accountFor('hd:0/0').address, '0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1');
    assert.equal(keys().accountFor('hd:0/1').address, '0xFFcf8FDEE72ac11b5c542428B35EEF5769C409f0');
  });

  it('keeps key material out of references', () => {
    const k = keys();
    for (const agentId of ['agent-1', 'a'.repeat(300), '💸']) {
      const reference = k.keyReferenceFor(agentId);
      assert.match(reference, /^hd:\d{1,10}\/\d{1,10}$/);
      const privateKey = bytesToHex(k.accountFor(reference).getHdKey().privateKey!).slice(2);
      assert.ok(!reference.includes(privateKey));
      for (const word of DEV_CHAIN_MNEMONIC.split(' ')) assert.ok(!reference.includes(word));
      // Each index fits BIP-32's non-hardened range.
      for (const index of reference.slice(3).split('/').map(Number)) assert.ok(index >= 0 && index < 2 ** 31);
    }
  });

  it('refuses what is not a reference', () => {
    const k = keys();
    for (const bad of ['hd:1', 'hd:2147483648/0', 'hd:-1/0', '0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d', 'cdp:0xabc']) {
      assert.throws(() => k.accountFor(bad), /not a wallet key reference/);
    }
  });

  it('checks a mnemonic\'s words and checksum', () => {
    assert.equal(mnemonicProblem(DEV_CHAIN_MNEMONIC), undefined);
    assert.equal(mnemonicProblem('abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'), undefined);
    assert.match(mnemonicProblem('abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon')!, /checksum/);
    assert.match(mnemonicProblem('myth like bonus scare over problem client lizard pioneer submit female')!, /11 words/);
    assert.match(mnemonicProblem('myth like bonus scare over problem client lizard pioneer submit female collectt')!, /outside/);
    const bad = walletKeys({ env: { [MNEMONIC_ENV]: 'abandon '.repeat(12) }, dataDir: '/nonexistent' });
    assert.throws(() => bad.accountFor('hd:0/0'), /CHIMERA_WALLET_MNEMONIC is not a BIP-39 mnemonic/);
  });
});
