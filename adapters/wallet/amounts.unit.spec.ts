import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAmount } from './amounts.ts';

describe('amounts', () => {
  it('turns a decimal string into the smallest unit exactly', () => {
    assert.deepEqual(parseAmount('0.25', 18), { ok: true, units: 250_000_000_000_000_000n });
    assert.deepEqual(parseAmount('12.5', 6), { ok: true, units: 12_500_000n });
    assert.deepEqual(parseAmount('1000000', 6), { ok: true, units: 1_000_000_000_000n });
    assert.deepEqual(parseAmount('0.000001', 6), { ok: true, units: 1n });
    assert.deepEqual(parseAmount(' 7 ', 0), { ok: true, units: 7n });
  });

  it('refuses what would be rounded, negative, zero or not a number', () => {
    for (const [amount, decimals] of [['0.0000001', 6], ['-1', 18], ['0', 18], ['0.000', 6], ['1e3', 18], ['', 6], ['1.', 6], ['.5', 6], ['0x10', 18], ['1,5', 6]] as const) {
      const parsed = parseAmount(amount, decimals);
      assert.equal(parsed.ok, false, `${amount} should be refused`);
    }
  });
});
