import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RecordedEvent } from '../eventstore/eventStore.ts';
import { eventFromMessage, eventToMessage, serializedEventToMessage } from './eventMessage.ts';

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

it('builds the same message from stored JSON text as from the parsed event', () => {
  // PostgreSQL prints jsonb with spaces after separators; any valid JSON text must do.
  const jsonbText = (v: unknown) => JSON.stringify(v).replace(/":/g, '": ').replace(/,"/g, ', "');
  const { data, metadata, ...rest } = event;
  const fromText = serializedEventToMessage({ ...rest, dataJson: jsonbText(data), metadataJson: jsonbText(metadata) });
  const fromParsed = eventToMessage(event);
  assert.deepEqual(fromText.headers, fromParsed.headers);
  assert.equal(fromText.key, fromParsed.key);
  assert.deepEqual(eventFromMessage(fromText), eventFromMessage(fromParsed));
  assert.deepEqual(eventFromMessage(fromText), event);
});
