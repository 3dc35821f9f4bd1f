import { formatLogPosition, parseLogPosition, type RecordedEvent } from '../eventstore/eventStore.ts';
import type { SerializedEvent } from '../eventstore/postgresEventStore.ts';
import type { BusMessage, DeliveredMessage } from './bus.ts';

// How a recorded event travels on the bus: keyed by agent id (per-agent order), the whole
// event as JSON in the value, and what a consumer may route on in the headers.

const AGENT_PREFIX = 'agent-';

type Routing = Pick<RecordedEvent, 'id' | 'type' | 'streamId' | 'streamPosition' | 'position'>;

function keyOf(event: Routing): string {
  return event.streamId.startsWith(AGENT_PREFIX) ? event.streamId.slice(AGENT_PREFIX.length) : event.streamId;
}

function headersOf(event: Routing): Record<string, string> {
  return {
    'event-id': event.id,
    'event-type': event.type,
    'stream-id': event.streamId,
    'stream-position': String(event.streamPosition),
    'log-position': formatLogPosition(event.position),
  };
}

export function eventToMessage(event: RecordedEvent): BusMessage {
  return {
    key: keyOf(event),
    value: JSON.stringify({
      id: event.id,
      type: event.type,
      schemaVersion: event.schemaVersion,
      streamId: event.streamId,
      streamPosition: event.streamPosition,
      position: formatLogPosition(event.position),
      data: event.data,
      metadata: event.metadata,
      recordedAt: event.recordedAt.toISOString(),
      previousHash: event.previousHash,
      hash: event.hash,
    }),
    headers: headersOf(event),
  };
}

// The same message from the event as the store rendered it (PostgresEventStore.readAllSerialized).
export function serializedEventToMessage(event: SerializedEvent): BusMessage {
  return { key: keyOf(event), value: event.json, headers: headersOf(event) };
}

export function eventFromMessage(message: DeliveredMessage | BusMessage): RecordedEvent {
  const v = JSON.parse(message.value) as Omit<RecordedEvent, 'position' | 'recordedAt'> & { position: string; recordedAt: string };
  return { ...v, position: parseLogPosition(v.position), recordedAt: new Date(v.recordedAt) };
}
