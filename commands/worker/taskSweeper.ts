import type { Database } from '../../adapters/database/database.ts';
import { sendWork, type WorkContext } from '../workContext.ts';
import type { TaskWorker } from './taskWorker.ts';
import { PeriodicRounds } from '../periodicRounds.ts';

export type TaskSweeperOptions = {
  intervalMs: number;
  // A started attempt with no outcome after this long has timed out (seed 001: E2001, 60 s).
  taskTimeoutMs: number;
  // A ready task nobody started for this long is run by this worker (its timer was lost).
  readyGraceMs: number;
  onError?: (error: unknown) => void;
};

// What no event will trigger: attempts whose worker died (timed out, E2001, retried), ready
// tasks whose waiting timer died with a worker, and HITL items nobody decided in time. Reads
// the read models; acting twice is harmless, since the decider accepts each step once.
export class TaskSweeper {
  private readonly rounds: PeriodicRounds;

  constructor(
    private readonly database: Database,
    private readonly ctx: WorkContext,
    private readonly worker: TaskWorker,
    private readonly options: TaskSweeperOptions,
  ) {
    this.rounds = new PeriodicRounds(() => this.sweep(), options.intervalMs, options.onError);
  }

  start(): void {
    this.rounds.start();
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  async sweep(): Promise<void> {
    const now = this.ctx.now().getTime();
    const db = this.database.db;
    const timedOut = await db
      .selectFrom('tasks')
      .select(['agent_id', 'task_id', 'attempt'])
      .where('status', '=', 'executing')
      .where('started_at', '<', new Date(now - this.options.taskTimeoutMs))
      .limit(100)
      .execute();
    for (const t of timedOut) {
      await sendWork(
        this.ctx,
        t.agent_id,
        { type: 'FailTaskAttempt', data: { task_id: t.task_id, attempt: t.attempt, error: { code: 'E2001', message: `no outcome within ${this.options.taskTimeoutMs} ms` }, retryable: true } },
        `task-${t.task_id}`,
      );
    }
    const forgotten = await db
      .selectFrom('tasks')
      .select(['agent_id', 'task_id', 'attempt'])
      .where('status', '=', 'ready')
      .where('updated_at', '<', new Date(now - this.options.readyGraceMs))
      .limit(100)
      .execute();
    for (const t of forgotten) await this.worker.run(t.agent_id, t.task_id, t.attempt);
    const expired = await db
      .selectFrom('judge_reviews')
      .select(['agent_id', 'review_id'])
      .where('status', '=', 'queued')
      .where('expires_at', '<', new Date(now))
      .limit(100)
      .execute();
    for (const r of expired) await sendWork(this.ctx, r.agent_id, { type: 'ExpireReview', data: { review_id: r.review_id } }, `review-${r.review_id}`);
  }
}
