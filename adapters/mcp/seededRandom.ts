import { createHash } from 'node:crypto';

// The sandbox's only source of randomness. A generator is derived from its key (the platform's
// seed plus what it is for: an agent and a time slot, a post, a trend bucket), so every draw is a
// pure function of that key: the same seed and clock readings give the same world whatever order
// the calls come in.
export type SeededRandom = {
  // Uniform in [0, 1).
  next(): number;
  // Uniform integer in [min, max], both included.
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
};

export function sha256Hex(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.map(String).join('\u0000')).digest('hex');
}

export function seededRandom(...key: (string | number)[]): SeededRandom {
  const digest = Buffer.from(sha256Hex(...key), 'hex');
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);
  // sfc32: small, fast, and good enough for a simulation; seeded from SHA-256 so nearby keys
  // give unrelated streams.
  const next = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    chance: (probability) => next() < probability,
  };
}
