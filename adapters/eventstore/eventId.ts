import { randomFillSync } from 'node:crypto';

// Event ids are UUIDv7 (RFC 9562): time-ordered, so the log's unique index on event_id grows
// at its right edge like the log itself instead of touching a random page per insert (random
// v4 ids cost a quarter of an append's server CPU at concurrency 32, see bench/appendProfile).
// Within one millisecond the 12-bit rand_a field counts up, so ids made by one process are
// strictly increasing.
let lastMs = 0;
let counter = 0;
const random = Buffer.alloc(8);

export function newEventId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    // 4,096 ids in one millisecond: borrow the next millisecond.
    lastMs++;
    counter = 0;
  }
  randomFillSync(random);
  const ms = lastMs.toString(16).padStart(12, '0');
  const randA = (0x7000 | counter).toString(16);
  random[0] = (random[0]! & 0x3f) | 0x80;
  const tail = random.toString('hex');
  return `${ms.slice(0, 8)}-${ms.slice(8)}-${randA}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}
