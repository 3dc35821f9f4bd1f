import { createPublicKey, verify } from 'node:crypto';
import type { SqlClient } from '../../adapters/database/database.ts';
import { canonicalJson } from '../../domain/judge/commitHash.ts';

export type ApprovalReport = { approvals: number; invalid: Array<{ streamId: string; streamPosition: number; transferId: string }> };

// Checks every CFO approval's signature against the CFO's public key. The hash chain shows an
// edit by anyone who cannot recompute it; this shows an approval nobody with the CFO's key
// made, even in a log whose chain was recomputed after the edit.
export async function verifyApprovals(sql: SqlClient, publicKeyPem: string, stream?: string): Promise<ApprovalReport> {
  const key = createPublicKey(publicKeyPem);
  const { rows } = await sql.query<{ stream_id: string; stream_position: number; data: string }>(
    `SELECT stream_id, stream_position::int AS stream_position, data::text AS data FROM chimera_events
      WHERE event_type = 'SpendApproved' AND ($1::text IS NULL OR stream_id = $1) ORDER BY global_position`,
    [stream ?? null],
  );
  const invalid: ApprovalReport['invalid'] = [];
  for (const row of rows) {
    const { approval_signature, ...decision } = JSON.parse(row.data) as { approval_signature: string; transfer_id: string };
    if (!verify(null, Buffer.from(canonicalJson(decision)), key, Buffer.from(approval_signature, 'base64'))) {
      invalid.push({ streamId: row.stream_id, streamPosition: row.stream_position, transferId: decision.transfer_id });
    }
  }
  return { approvals: rows.length, invalid };
}
