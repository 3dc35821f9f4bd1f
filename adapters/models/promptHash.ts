import { createHash } from 'node:crypto';

// SHA-256 (hex) of the exact text sent to a model: the request body for a vendor, the
// canonical input for the local model. Equal hashes mean the same question was asked.
export function promptHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// JSON with object keys sorted, so that the same input hashes the same whatever order its
// properties were written in.
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

// A stable choice among n options, seeded by text: the local model's only "randomness".
export function seededIndex(seed: string, n: number): number {
  if (n <= 0) return 0;
  return parseInt(promptHash(seed).slice(0, 8), 16) % n;
}
