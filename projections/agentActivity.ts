import { sql } from 'kysely';
import { agentIdOf, isAgentStream } from '../commands/agentStream.ts';
import type { Projection } from './projection.ts';

// How many events of each type every agent has had, and when the last one happened.
// Counters are not idempotent by nature, which is why every runner of projections must apply
// an event exactly once (log checkpoint or processed_events, in the same transaction).
export const agentActivity: Projection = {
  name: 'agent_activity',
  tables: ['agent_activity'],
  handles: (event) => isAgentStream(event.streamId),
  async apply(trx, events) {
    // One statement per (agent, type) of the batch rather than per event.
    const groups = new Map<string, { agent_id: string; event_type: string; events: number; last_stream_position: number; last_event_at: Date }>();
    for (const e of events) {
      const agent_id = agentIdOf(e.streamId);
      const key = `${agent_id}\u0000${e.type}`;
      const g = groups.get(key);
      if (g) {
        g.events++;
        g.last_stream_position = Math.max(g.last_stream_position, e.streamPosition);
        if (e.recordedAt > g.last_event_at) g.last_event_at = e.recordedAt;
      } else {
        groups.set(key, { agent_id, event_type: e.type, events: 1, last_stream_position: e.streamPosition, last_event_at: e.recordedAt });
      }
    }
    if (groups.size === 0) return;
    await trx
      .insertInto('agent_activity')
      .values([...groups.values()])
      .onConflict((oc) =>
        oc.columns(['agent_id', 'event_type']).doUpdateSet({
          events: sql`agent_activity.events + excluded.events`,
          last_stream_position: sql`greatest(agent_activity.last_stream_position, excluded.last_stream_position)`,
          last_event_at: sql`greatest(agent_activity.last_event_at, excluded.last_event_at)`,
        }),
      )
      .execute();
  },
};
