// An agent's engagement measurements live in `engagement-<agent_id>`, apart from `agent-<agent_id>`
// (see domain/engagement/engagementEvents.ts for why).
const PREFIX = 'engagement-';

export const engagementStreamOf = (agentId: string): string => `${PREFIX}${agentId}`;

export const isEngagementStream = (streamId: string): boolean => streamId.startsWith(PREFIX);

export const agentIdOfEngagementStream = (streamId: string): string => streamId.slice(PREFIX.length);
