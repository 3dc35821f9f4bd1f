// Everything OCC protects for one agent lives in the stream `agent-<agent_id>`.
const PREFIX = 'agent-';

export const agentStreamOf = (agentId: string): string => `${PREFIX}${agentId}`;

export const isAgentStream = (streamId: string): boolean => streamId.startsWith(PREFIX);

export const agentIdOf = (streamId: string): string => streamId.slice(PREFIX.length);
