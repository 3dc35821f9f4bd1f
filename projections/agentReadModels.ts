import type { Transaction } from 'kysely';
import type { DatabaseSchema } from '../adapters/database/databaseSchema.ts';
import type { RecordedEvent } from '../adapters/eventstore/eventStore.ts';
import type { AgentEvent } from '../domain/agent/agentEvents.ts';
import { agentIdOf, isAgentStream } from '../commands/agentStream.ts';
import type { Projection } from './projection.ts';

// The `agents` and `campaigns` tables (seed 000 §3.1.1-3.1.2). One projection for both, so
// a campaign row never arrives before its agent row. Every value comes from the events
// (times included), which is what makes a rebuild come out identical.
export const agentReadModels: Projection = {
  name: 'agent_read_models',
  tables: ['campaigns', 'agents'],
  handles: (event) => isAgentStream(event.streamId),
  async apply(trx, events) {
    for (const event of events) await applyOne(trx, event);
  },
};

async function applyOne(trx: Transaction<DatabaseSchema>, recorded: RecordedEvent): Promise<void> {
  const agentId = agentIdOf(recorded.streamId);
  const event = { type: recorded.type, data: recorded.data } as AgentEvent;
  const version = recorded.streamPosition;
  const touch = (at: string) =>
    trx.updateTable('agents').set({ state_version: version, updated_at: at }).where('agent_id', '=', agentId).execute();

  switch (event.type) {
    case 'AgentCreated': {
      const d = event.data;
      const row = {
        agent_id: agentId,
        name: d.name,
        persona_name: d.persona_name,
        policy_version: d.policy_version,
        state_version: version,
        status: 'active',
        wallet_address: null,
        wallet_network: null,
        created_at: d.at,
        updated_at: d.at,
        persona_config: JSON.stringify({
          name: d.name,
          persona_name: d.persona_name,
          soul_md: d.soul_md,
          social_accounts: d.social_accounts,
          budget: d.budget,
        }),
      };
      await trx
        .insertInto('agents')
        .values(row)
        .onConflict((oc) => oc.column('agent_id').doUpdateSet(row))
        .execute();
      return;
    }
    case 'PersonaUpdated': {
      const d = event.data;
      const current = await trx.selectFrom('agents').select('persona_config').where('agent_id', '=', agentId).executeTakeFirst();
      const config = { ...(current?.persona_config ?? {}), persona_name: d.persona_name, soul_md: d.soul_md };
      await trx
        .updateTable('agents')
        .set({ persona_name: d.persona_name, persona_config: JSON.stringify(config), state_version: version, updated_at: d.at })
        .where('agent_id', '=', agentId)
        .execute();
      return;
    }
    case 'PolicyVersionChanged':
      await trx
        .updateTable('agents')
        .set({ policy_version: event.data.policy_version, state_version: version, updated_at: event.data.at })
        .where('agent_id', '=', agentId)
        .execute();
      return;
    case 'AgentPaused':
    case 'AgentResumed':
    case 'AgentDeleted': {
      const status = event.type === 'AgentPaused' ? 'paused' : event.type === 'AgentResumed' ? 'active' : 'deleted';
      await trx
        .updateTable('agents')
        .set({ status, state_version: version, updated_at: event.data.at })
        .where('agent_id', '=', agentId)
        .execute();
      return;
    }
    case 'CampaignAdded':
    case 'CampaignUpdated': {
      const c = event.data.campaign;
      const values = {
        campaign_id: c.campaign_id,
        agent_id: agentId,
        name: c.name,
        description: c.description,
        status: c.status,
        budget_limit: c.budget_limit,
        budget_remaining: c.budget_remaining,
        created_at: event.data.at,
        updated_at: event.data.at,
      };
      const { created_at: _created, ...changes } = values;
      // Campaign ids are chosen by clients; should two agents pick the same one, the first
      // keeps the row rather than having it silently taken over.
      await trx
        .insertInto('campaigns')
        .values(values)
        .onConflict((oc) =>
          oc
            .column('campaign_id')
            .doUpdateSet(changes)
            .where('campaigns.agent_id', '=', agentId),
        )
        .execute();
      await touch(event.data.at);
      return;
    }
    case 'CampaignRemoved':
      await trx.deleteFrom('campaigns').where('campaign_id', '=', event.data.campaign_id).where('agent_id', '=', agentId).execute();
      await touch(event.data.at);
      return;
    case 'GoalAdded':
    case 'GoalUpdated':
    case 'GoalRemoved':
      await touch(event.data.at);
      return;
    default:
      // An event type this projection does not know still moves the agent's version.
      await trx.updateTable('agents').set({ state_version: version }).where('agent_id', '=', agentId).execute();
  }
}
