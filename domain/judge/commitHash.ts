// Content fingerprints for commits (seed 000 §2.3.2: "SHA-256 of artifact + metadata") and for
// provenance. Hashing is deterministic, so it belongs with the pure domain code.
import { createHash } from 'node:crypto';

// JSON with object keys sorted (by UTF-16 code units, recursively) and no whitespace, in the manner of
// RFC 8785: the same data always gives the same text, whatever order its keys were written in.
// Values follow JSON.stringify: undefined members are left out, undefined array items become null,
// toJSON is honoured (a Date becomes its ISO string). Array order is meaningful and kept.
export function canonicalJson(value: unknown): string {
  return canonical(value) ?? 'null';
}

function canonical(value: unknown): string | undefined {
  const plain = hasToJson(value) ? value.toJSON() : value;
  if (plain === null || typeof plain !== 'object') return JSON.stringify(plain) as string | undefined;
  if (Array.isArray(plain)) return `[${plain.map((item) => canonical(item) ?? 'null').join(',')}]`;
  const record = plain as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .flatMap((key) => {
      const member = canonical(record[key]);
      return member === undefined ? [] : [`${JSON.stringify(key)}:${member}`];
    });
  return `{${members.join(',')}}`;
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

// SHA-256 (lowercase hex) of the canonical JSON of { artifact, metadata }.
export function commitHash({ artifact, metadata }: { artifact: unknown; metadata: unknown }): string {
  return sha256Hex(canonicalJson({ artifact, metadata }));
}

// SHA-256 (lowercase hex) of text in NFC, so the same words typed with precomposed or combining
// accents ("é" vs "e\u0301") hash alike.
export function contentHash(text: string): string {
  return sha256Hex(text.normalize('NFC'));
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
