import type { RecordedEvent } from '../adapters/eventstore/eventStore.ts';
import { agentIdOfEngagementStream, isEngagementStream } from '../commands/engagement/engagementStream.ts';
import type { EngagementMeasured } from '../domain/engagement/engagementEvents.ts';
import type { Projection } from './projection.ts';

// The `engagement_metrics` table (seed 000 §3.1.8): one row per EngagementMeasured of the
// `engagement-<agent_id>` streams. Every column comes from the event, so a rebuild gives the
// same rows; an event applied twice (two projector processes) finds its row there already.
export const engagementMetrics: Projection = {
  name: 'engagement_metrics',
  tables: ['engagement_metrics'],
  handles: (event) => isEngagementStream(event.streamId) && event.type === 'EngagementMeasured',
  apply: async (trx, events) => {
    await trx
      .insertInto('engagement_metrics')
      .values(events.map(rowOf))
      .onConflict((oc) => oc.columns(['metric_id', 'measured_at']).doNothing())
      .execute();
  },
};

function rowOf(event: RecordedEvent) {
  const d = event.data as EngagementMeasured;
  return {
    metric_id: d.metric_id,
    post_id: d.post_id,
    agent_id: agentIdOfEngagementStream(event.streamId),
    platform: d.platform,
    views: d.views,
    likes: d.likes,
    comments: d.comments,
    shares: d.shares,
    engagement_delta: d.engagement_delta,
    measured_at: d.measured_at,
  };
}
