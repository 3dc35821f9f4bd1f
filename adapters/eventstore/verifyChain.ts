import { createHash } from 'node:crypto';
import type { SqlClient } from '../database/database.ts';

export type ChainBreak = { streamId: string; streamPosition: number; eventId: string; problem: 'hash_mismatch' | 'link_mismatch' | 'position_gap' };

export type ChainReport = { streams: number; events: number; breaks: ChainBreak[] };

// Recomputes every event's hash outside the database (the append function computed it
// inside), so a row edited after the fact, or removed from the middle of a stream, shows up.
// The fields and separator match chimera_append in migrations/0001_event_store.ts.
const ROWS_SQL = `SELECT stream_id, stream_position::int AS stream_position, event_id::text AS event_id, event_type,
    schema_version::text AS schema_version, data::text AS data, metadata::text AS metadata,
    floor(extract(epoch from recorded_at) * 1000000)::bigint::text AS micros, previous_hash, hash
  FROM chimera_events WHERE ($1::text IS NULL OR stream_id = $1)
  ORDER BY stream_id, stream_position`;

type Row = {
  stream_id: string;
  stream_position: number;
  event_id: string;
  event_type: string;
  schema_version: string;
  data: string;
  metadata: string;
  micros: string;
  previous_hash: string;
  hash: string;
};

export async function verifyChain(sql: SqlClient, stream?: string): Promise<ChainReport> {
  const { rows } = await sql.query<Row>(ROWS_SQL, [stream ?? null]);
  const breaks: ChainBreak[] = [];
  let streams = 0;
  let current = '';
  let previousHash = '';
  let expectedPosition = 1;
  for (const row of rows) {
    if (row.stream_id !== current) {
      current = row.stream_id;
      streams++;
      previousHash = '';
      expectedPosition = 1;
    }
    const at = { streamId: row.stream_id, streamPosition: row.stream_position, eventId: row.event_id };
    if (row.stream_position !== expectedPosition) breaks.push({ ...at, problem: 'position_gap' });
    if (row.previous_hash !== previousHash) breaks.push({ ...at, problem: 'link_mismatch' });
    const material = [row.previous_hash, row.event_id, row.stream_id, String(row.stream_position), row.event_type, row.schema_version, row.data, row.metadata, row.micros].join('|');
    const hash = createHash('sha256').update(material, 'utf8').digest('hex');
    if (hash !== row.hash) breaks.push({ ...at, problem: 'hash_mismatch' });
    previousHash = row.hash;
    expectedPosition = row.stream_position + 1;
  }
  return { streams, events: rows.length, breaks };
}
