// What Chimera observed of its posts on the platforms. These are observations of the outside
// world, not decisions: they live in `engagement-<agent_id>`, beside the agent's stream rather
// than in it, so measuring a post never moves the agent's state_version (and never makes the
// judge see a result as stale).
import { z } from 'zod';
import type { EventSchemas } from '../eventSchemas.ts';
import { platformSchema } from '../work/workEvents.ts';

const id = z.string().min(1);
const count = z.number().int().nonnegative();

export const ENGAGEMENT_EVENT_SCHEMA_VERSION = 1;

export const engagementMeasuredSchema = z.strictObject({
  metric_id: id,
  // Chimera's post id (the posts read model), not the platform's.
  post_id: id,
  platform: platformSchema,
  platform_post_id: z.string().min(1),
  views: count,
  likes: count,
  comments: count,
  shares: count,
  // Change of likes + comments + shares since the previous measurement of the post (the
  // whole count for the first one). May be negative: people unlike.
  engagement_delta: z.number().int(),
  // The platform's time of the counters.
  measured_at: z.iso.datetime({ offset: true }),
});
export type EngagementMeasured = z.infer<typeof engagementMeasuredSchema>;

export type EngagementEvent = { type: 'EngagementMeasured'; data: EngagementMeasured };

export const engagementEventSchemas = { EngagementMeasured: engagementMeasuredSchema } satisfies EventSchemas<EngagementEvent>;

// likes + comments + shares: what engagement_delta and the engagement rate count.
export const interactionsOf = (m: Pick<EngagementMeasured, 'likes' | 'comments' | 'shares'>): number => m.likes + m.comments + m.shares;
