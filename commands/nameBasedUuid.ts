import { createHash } from 'node:crypto';

// A UUID that is a function of a name (RFC 9562 version 5 layout over SHA-256): the same name
// always gives the same id, so two processes that make the id for one thing agree on it.
export function nameBasedUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// The judge's review of a result: known before the judge has run (an edit answers with it).
export const reviewIdFor = (resultId: string): string => nameBasedUuid(`review:${resultId}`);
