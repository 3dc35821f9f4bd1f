import assert from 'node:assert/strict';
import { it } from 'node:test';
import { newEventId } from './eventId.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

it('makes RFC 9562 version 7 ids carrying the time', () => {
  const id = newEventId(Date.UTC(2030, 0, 1));
  assert.match(id, V7);
  assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16) >= Date.UTC(2030, 0, 1), true);
});

it('orders the ids of one process strictly, within one millisecond and past 4,096 of them', () => {
  const now = Date.UTC(2031, 5, 1);
  const ids = Array.from({ length: 10_000 }, () => newEventId(now));
  ids.forEach((id) => assert.match(id, V7));
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} < ${ids[i]}`);
  assert.equal(new Set(ids).size, ids.length);
});
