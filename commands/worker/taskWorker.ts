import type { Bus } from '../../adapters/bus/bus.ts';
import type { RecordedEvent } from '../../adapters/eventstore/eventStore.ts';
import type { AgentTools } from './agentTools.ts';
import type { TaskReady } from '../../domain/work/workEvents.ts';
import { EventReactor } from '../eventReactor.ts';
import { sendWork, type WorkContext } from '../workContext.ts';
import { executeTask } from './executeTask.ts';

export type TaskWorkerOptions = {
  topic: string;
  workerId: string;
  timeoutMs: number;
  log?: (line: string) => void;
  onError?: (error: unknown) => void;
  // Fault injection for tests: runs after a publishing tool call returned, before its record.
  afterPublishCall?: (taskId: string) => void | Promise<void>;
};

// A member of the `workers` group: takes ready tasks off the bus, claims the attempt
// (StartTask: one worker wins, duplicates are refused), runs it through MCP and records the
// outcome. A task that must wait (a retry's backoff, a platform's cooldown) is kept on a
// timer here; if this process dies meanwhile, the sweeper finds the task again.
export class TaskWorker {
  private readonly reactor: EventReactor;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly ctx: WorkContext,
    bus: Bus,
    private readonly tools: AgentTools,
    private readonly options: TaskWorkerOptions,
  ) {
    this.reactor = new EventReactor(bus, {
      topic: options.topic,
      group: 'workers',
      types: ['TaskReady'],
      handle: (event) => this.onReady(event),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  start(): Promise<void> {
    return this.reactor.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.reactor.stop();
    await Promise.allSettled([...this.running]);
    await this.tools.close();
  }

  private async onReady(event: RecordedEvent): Promise<void> {
    const ready = event.data as TaskReady;
    const agentId = event.streamId.slice('agent-'.length);
    const wait = ready.not_before ? Date.parse(ready.not_before) - this.ctx.now().getTime() : 0;
    if (wait > 0) this.later(agentId, ready.task_id, ready.attempt, wait, event.id);
    else await this.run(agentId, ready.task_id, ready.attempt, event.id);
  }

  private later(agentId: string, taskId: string, attempt: number, ms: number, causationId: string | null): void {
    const key = `${taskId}:${attempt}`;
    if (this.stopped || this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.track(this.run(agentId, taskId, attempt, causationId));
    }, Math.max(0, ms));
    this.timers.set(key, timer);
  }

  private track(work: Promise<void>): void {
    const p = work.catch((error) => this.options.onError?.(error)).finally(() => this.running.delete(p));
    this.running.add(p);
  }

  // Claims and runs one attempt; anything it cannot do now is left to the decider's refusals.
  async run(agentId: string, taskId: string, attempt: number, causationId: string | null = null): Promise<void> {
    if (this.stopped) return;
    const correlationId = `task-${taskId}`;
    const claim = await sendWork(this.ctx, agentId, { type: 'StartTask', data: { task_id: taskId, attempt, worker_id: this.options.workerId } }, correlationId, causationId);
    if (!claim.ok) {
      const notBefore = (claim.error.details as Record<string, unknown> | undefined)?.not_before;
      if (claim.error.code === 'cooldown_active' || claim.error.code === 'task_not_due') {
        const at = typeof notBefore === 'string' ? Date.parse(notBefore) : this.ctx.now().getTime() + 5_000;
        this.later(agentId, taskId, attempt, at - this.ctx.now().getTime() + 10, causationId);
      }
      return; // claimed by another worker, superseded, or its campaign stopped: nothing to do
    }
    const { agent, work } = claim.state;
    const task = work.tasks[taskId]!;
    const readyInputs = task.spec.dependencies.map((d) => {
      const dep = work.tasks[d]!;
      return { task_id: d, task_type: dep.spec.task_type, result_id: dep.committed!.result_id, artifact: dep.committed!.artifact };
    });
    const named = typeof task.spec.parameters.mcp_server === 'string' ? task.spec.parameters.mcp_server : undefined;
    const outcome = await executeTask(
      (tool) => this.tools.clientFor(agent.mcp_servers, tool, named),
      {
        agentId,
        spec: task.spec,
        inputs: readyInputs,
        persona: { personaName: agent.persona_name, soulMd: agent.soul_md, policyVersion: agent.policy_version },
      },
      this.options.timeoutMs,
    );
    if (outcome.kind === 'publication') await this.options.afterPublishCall?.(taskId);
    const recorded =
      outcome.kind === 'result'
        ? await sendWork(this.ctx, agentId, { type: 'RecordResult', data: { task_id: taskId, attempt, result: outcome.result, costs: outcome.costs } }, correlationId)
        : outcome.kind === 'publication'
          ? await sendWork(this.ctx, agentId, { type: 'RecordPublication', data: { task_id: taskId, attempt, post: outcome.post, costs: outcome.costs } }, correlationId)
          : await sendWork(this.ctx, agentId, { type: 'FailTaskAttempt', data: { task_id: taskId, attempt, error: outcome.error, retryable: outcome.retryable } }, correlationId);
    if (!recorded.ok) this.options.log?.(`worker: ${outcome.kind} of task ${taskId} attempt ${attempt} not recorded: ${recorded.error.code}`);
  }
}
