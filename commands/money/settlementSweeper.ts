import { sql } from 'kysely';
import type { Database } from '../../adapters/database/database.ts';
import type { Treasury } from './treasury.ts';
import { PeriodicRounds } from '../periodicRounds.ts';

// Approved spends whose way to the chain was cut short (the process died after the approval,
// after signing, or before the receipt): the treasury takes each one on from where its
// events stand, sending the transaction it recorded, never a second one. Runs at start and
// then every `intervalMs`; spends younger than `graceMs` are left to the request that is
// still settling them.
export class SettlementSweeper {
  private readonly rounds: PeriodicRounds;

  constructor(
    private readonly database: Database,
    private readonly treasury: Treasury,
    private readonly options: { intervalMs: number; graceMs: number; onError?: (error: unknown) => void },
  ) {
    this.rounds = new PeriodicRounds(() => this.sweep(), options.intervalMs, options.onError);
  }

  start(): void {
    this.rounds.start(true);
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  async sweep(): Promise<number> {
    const before = new Date(Date.now() - this.options.graceMs).toISOString();
    const { rows } = await sql<{ agent_id: string; transfer_id: string }>`
      SELECT l.agent_id, l.transfer_id FROM cfo_ledger l
        LEFT JOIN wallet_transactions t ON t.transaction_id = l.transfer_id
        WHERE l.decision = 'approved' AND l.request_type <> 'off_chain' AND l.created_at < ${before} AND (t.transaction_id IS NULL OR t.status = 'pending')
          AND NOT EXISTS (SELECT 1 FROM cfo_ledger r WHERE r.transfer_id = l.transfer_id AND r.decision = 'refused')
        ORDER BY l.created_at LIMIT 100`.execute(this.database.db);
    for (const r of rows) await this.treasury.settle(r.agent_id, r.transfer_id, `settle-${r.transfer_id}`);
    return rows.length;
  }
}
