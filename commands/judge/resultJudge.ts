import { randomUUID } from 'node:crypto';
import type { Bus } from '../../adapters/bus/bus.ts';
import type { RecordedEvent } from '../../adapters/eventstore/eventStore.ts';
import type { AgentStreamState } from '../../domain/agentStream.ts';
import { contentHash } from '../../domain/judge/commitHash.ts';
import { resultCommitHash } from '../../domain/work/resultCommitHash.ts';
import type { ContentPolicy } from '../../domain/judge/contentPolicy.ts';
import type { ModelCallRecord, TaskResultRecorded, Verdict } from '../../domain/work/workEvents.ts';
import { EventReactor } from '../eventReactor.ts';
import type { Judge } from './judge.ts';
import { reviewIdFor } from '../nameBasedUuid.ts';
import { sendWork, type WorkContext } from '../workContext.ts';

export type ResultJudgeOptions = {
  topic: string;
  policy: ContentPolicy;
  log?: (line: string) => void;
  onError?: (error: unknown) => void;
};

const PLATFORMS = new Set(['twitter', 'instagram', 'threads', 'tiktok']);

// A member of the `judges` group: reviews every recorded result against the content policy
// (domain/judge) and the model's quality score, and routes it (ReviewResult). The decider
// reviews a result once, so a redelivered event changes nothing.
export class ResultJudge {
  private readonly reactor: EventReactor;

  constructor(
    private readonly ctx: WorkContext,
    bus: Bus,
    private readonly judge: Judge,
    private readonly options: ResultJudgeOptions,
  ) {
    this.reactor = new EventReactor(bus, {
      topic: options.topic,
      group: 'judges',
      types: ['TaskResultRecorded'],
      handle: (event) => this.onResult(event),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  start(): Promise<void> {
    return this.reactor.start();
  }

  stop(): Promise<void> {
    return this.reactor.stop();
  }

  private async onResult(event: RecordedEvent): Promise<void> {
    const recorded = event.data as TaskResultRecorded;
    const agentId = event.streamId.slice('agent-'.length);
    const { state } = await this.ctx.states.load(agentId);
    const task = state.work.tasks[recorded.task_id];
    if (!task || task.result?.result_id !== recorded.result.result_id) return; // superseded meanwhile
    if (Object.values(state.work.reviews).some((r) => r.result_id === recorded.result.result_id)) return;

    const review = await this.review(state, recorded);
    const result = await sendWork(
      this.ctx,
      agentId,
      {
        type: 'ReviewResult',
        data: {
          task_id: recorded.task_id,
          result_id: recorded.result.result_id,
          review_id: reviewIdFor(recorded.result.result_id),
          commit_id: randomUUID(),
          verdict: review.verdict,
          artifact_hash: contentHash(recorded.result.artifact.content),
          commit_hash: resultCommitHash(agentId, recorded.task_id, recorded.result.result_id, recorded.result.artifact, state.agent.policy_version),
          model_call: review.modelCall,
        },
      },
      `task-${recorded.task_id}`,
      event.id,
    );
    if (review.verdict.error_code === 'E1003') {
      // Seed 001: a prompt injection is an incident; the review event keeps its evidence.
      this.options.log?.(`judge: INCIDENT E1003 prompt injection on agent ${agentId} task ${recorded.task_id}: ${review.verdict.routing_decision.reason}`);
    } else if (review.verdict.hitl_category === 'blocked') {
      // Seed 001 E1006: a critical finding is an incident, held for moderators; the event keeps the findings.
      this.options.log?.(`judge: INCIDENT E1006 blocked on agent ${agentId} task ${recorded.task_id}: ${review.verdict.routing_decision.reason}`);
    }
    if (!result.ok) this.options.log?.(`judge: review of ${recorded.result.result_id} not recorded: ${result.error.code}`);
  }

  // The verdict on a result, in the event's shape, with the model's score when it gave one.
  async review(state: AgentStreamState, recorded: TaskResultRecorded): Promise<{ verdict: Verdict; modelCall: ModelCallRecord | null }> {
    const { result } = recorded;
    const task = state.work.tasks[recorded.task_id]!;
    const platform = task.spec.parameters.platform;
    const caption = typeof result.artifact.metadata.caption === 'string' ? result.artifact.metadata.caption : undefined;
    const goal = task.spec.context.goal_description;
    const { verdict, modelCall } = await this.judge.judge(
      {
        input: {
          artifact: { type: result.artifact.type, content: result.artifact.content, ...(caption ? { caption } : {}) },
          confidenceScore: result.confidence_score,
          riskTags: result.risk_tags,
          disclosureLevel: result.disclosure_level,
          ...(typeof platform === 'string' && PLATFORMS.has(platform) ? { platform: platform as 'twitter' } : {}),
          ...(result.source_content ? { sourceContent: result.source_content } : {}),
          ...(goal ? { goal } : {}),
          recentPosts: state.work.recent_posts,
        },
        persona: { agentId: state.agent.agent_id, personaName: state.agent.persona_name, soulMd: state.agent.soul_md, policyVersion: state.agent.policy_version },
        goals: [goal],
      },
      this.options.policy,
    );
    return { verdict: { ...verdict, error_code: verdict.error_code ?? null }, modelCall };
  }
}
