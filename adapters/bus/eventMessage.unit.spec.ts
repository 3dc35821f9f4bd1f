import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RecordedEvent } from '../eventstore/eventStore.ts';
import { eventFromMessage, eventToMessage } from './eventMessage.ts';

const event: RecordedEvent = {
  id: '0b5f8d1e-1d4c-4c2e-9a55-6a3f0b9b1c11',
  type: 'GoalAdded',
  schemaVersion: 1,
  streamId: 'agent-nova"\\quoted',
  streamPosition: 7,
  position: { transactionId: 123n, globalPosition: 456n },
  data: { goal: { goal_id: 'g-1', description: 'héllo "world" ✓\n', deadline: null }, n: 1.5 },
  metadata: { actor: { sub: 'op', role: 'operator' }, correlationId: 'c', causationId: null },
  recordedAt: new Date('2026-11-23T12:00:00.123Z'),
  previousHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
};

it('carries the whole event, which a consumer reads back as it was recorded', () => {
  const message = eventToMessage(event);
  assert.equal(message.key, 'nova"\\quoted');
  assert.equal(message.headers['log-position'], '123:456');
  assert.deepEqual(eventFromMessage(message), event);
});
