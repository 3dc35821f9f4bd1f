import { formatUnits } from 'viem';

// Amounts arrive as decimal strings in whole units ('0.25' ETH, '12.5' USDC) and go on chain in
// the token's smallest unit. viem's parseUnits rounds away digits beyond the token's decimals;
// a payment must not be silently rounded, so such an amount is refused instead.

export type ParsedAmount = { ok: true; units: bigint } | { ok: false; message: string };

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

export function parseAmount(amount: string, decimals: number): ParsedAmount {
  const match = DECIMAL.exec(amount.trim());
  if (!match) return { ok: false, message: `${JSON.stringify(amount)} is not a decimal amount` };
  const [, whole, fraction = ''] = match;
  if (fraction.length > decimals) return { ok: false, message: `${amount} has more than ${decimals} decimals` };
  const units = BigInt(whole! + fraction.padEnd(decimals, '0'));
  if (units === 0n) return { ok: false, message: 'the amount is zero' };
  return { ok: true, units };
}

export function formatAmount(units: bigint, decimals: number): string {
  return formatUnits(units, decimals);
}
