// The event store port. Adapters: postgresEventStore.ts (PostgreSQL server or PGlite).
// Versions count events: a stream's version is the number of events in it (0 before the
// first), which is the seed's state_version, whatever the store behind it.

export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

export type Actor = { sub: string; role: string };

export type EventMetadata = {
  causationId: string | null;
  correlationId: string | null;
  actor: Actor | null;
  [key: string]: unknown;
};

export type NewEvent = {
  id?: string;
  type: string;
  data: unknown;
  schemaVersion?: number;
  metadata?: Partial<EventMetadata>;
};

// A place in the global log: readers resume strictly after it.
export type LogPosition = { transactionId: bigint; globalPosition: bigint };

export type RecordedEvent<Data = unknown> = {
  id: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  streamPosition: number;
  position: LogPosition;
  data: Data;
  metadata: EventMetadata;
  recordedAt: Date;
  previousHash: string;
  hash: string;
};

export type AppendResult =
  | { ok: true; nextExpectedVersion: number; idempotent: boolean; firstPosition: LogPosition | null; lastPosition: LogPosition | null }
  | { ok: false; error: 'wrong_expected_version'; expected: ExpectedRevision; actual: number };

export type ReadStreamOptions = {
  direction?: 'forwards' | 'backwards';
  // forwards: first position to read (default 1); backwards: last position to read (default end).
  from?: number;
  maxCount?: number;
};

export type ReadStreamResult = { events: RecordedEvent[]; currentVersion: number };

export type ReadAllResult = { events: RecordedEvent[]; position: LogPosition };

export type SubscriptionOptions = {
  from: LogPosition | 'start' | 'end';
  batchSize?: number;
  // Called for each batch in log order; the next batch is read only after it resolves.
  handle(events: RecordedEvent[]): Promise<void> | void;
  // Called every time the subscription has read everything there is (then it goes live).
  onCaughtUp?(position: LogPosition): void;
  onError?(error: unknown): void;
};

export type Subscription = {
  stop(): Promise<void>;
  readonly position: LogPosition;
};

export interface EventStore {
  appendToStream(stream: string, events: NewEvent[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<ReadStreamResult>;
  readAll(options?: { after?: LogPosition; maxCount?: number }): Promise<ReadAllResult>;
  subscribe(options: SubscriptionOptions): Subscription;
  close(): Promise<void>;
}

export const LOG_START: LogPosition = { transactionId: 0n, globalPosition: 0n };

export function formatLogPosition(p: LogPosition): string {
  return `${p.transactionId}:${p.globalPosition}`;
}

export function parseLogPosition(text: string): LogPosition {
  const [tx, gp] = text.split(':');
  if (tx === undefined || gp === undefined || !/^\d+$/.test(tx) || !/^\d+$/.test(gp)) {
    throw new Error(`not a log position: ${text}`);
  }
  return { transactionId: BigInt(tx), globalPosition: BigInt(gp) };
}

export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  if (a.globalPosition !== b.globalPosition) return a.globalPosition < b.globalPosition ? -1 : 1;
  return 0;
}
