import { sql, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { AgentsTable, CampaignsTable, DatabaseSchema } from '../adapters/database/databaseSchema.ts';
import type { RecordedEvent } from '../adapters/eventstore/eventStore.ts';
import type { AgentEvent } from '../domain/agent/agentEvents.ts';
import { agentIdOf, isAgentStream } from '../commands/agentStream.ts';
import type { Projection } from './projection.ts';

// The `agents` and `campaigns` tables (seed 000 §3.1.1-3.1.2). One projection for both, so
// a campaign row never arrives before its agent row. Every value comes from the events
// (times included), which is what makes a rebuild come out identical.
//
// A batch is folded in memory per agent (rows read once, written once), so the cost is a few
// statements per batch rather than one per event: that is what rebuild speed rests on.
export const agentReadModels: Projection = {
  name: 'agent_read_models',
  tables: ['campaigns', 'agents'],
  handles: (event) => isAgentStream(event.streamId),
  apply: applyBatch,
};

// The rows as this projection folds them: the tables' own columns, times as ISO strings.
type WithTimes<T> = Omit<T, 'created_at' | 'updated_at'> & { created_at: string; updated_at: string };
type AgentRow = WithTimes<Omit<Selectable<AgentsTable>, 'persona_config'>> & { persona_config: Record<string, unknown> };
type CampaignRow = WithTimes<Selectable<CampaignsTable>>;

// ON CONFLICT ... DO UPDATE SET col = excluded.col, for each column given.
const fromExcluded = <C extends string>(columns: readonly C[]) =>
  Object.fromEntries(columns.map((c) => [c, sql.raw(`excluded.${c}`)])) as Record<C, RawBuilder<never>>;

const iso = (value: Date | string) => new Date(value).toISOString();

async function applyBatch(trx: Transaction<DatabaseSchema>, events: RecordedEvent[]): Promise<void> {
  const agentIds = [...new Set(events.map((e) => agentIdOf(e.streamId)))];
  const agents = new Map<string, AgentRow>();
  for (const row of await trx.selectFrom('agents').selectAll().where('agent_id', 'in', agentIds).execute()) {
    agents.set(row.agent_id, { ...row, created_at: iso(row.created_at), updated_at: iso(row.updated_at) });
  }
  const campaigns = new Map<string, CampaignRow>();
  for (const row of await trx.selectFrom('campaigns').selectAll().where('agent_id', 'in', agentIds).execute()) {
    campaigns.set(row.campaign_id, { ...row, created_at: iso(row.created_at), updated_at: iso(row.updated_at) });
  }
  const touchedAgents = new Set<string>();
  const touchedCampaigns = new Set<string>();
  const removedCampaigns = new Map<string, string>(); // campaign id -> agent id

  for (const recorded of events) {
    const agentId = agentIdOf(recorded.streamId);
    const event = { type: recorded.type, data: recorded.data } as AgentEvent;
    if (event.type === 'AgentCreated') {
      const d = event.data;
      agents.set(agentId, {
        agent_id: agentId,
        name: d.name,
        persona_name: d.persona_name,
        policy_version: d.policy_version,
        state_version: recorded.streamPosition,
        status: 'active',
        wallet_address: null,
        wallet_network: null,
        created_at: d.at,
        updated_at: d.at,
        persona_config: { name: d.name, persona_name: d.persona_name, soul_md: d.soul_md, social_accounts: d.social_accounts, budget: d.budget },
      });
      touchedAgents.add(agentId);
      continue;
    }
    const agent = agents.get(agentId);
    if (!agent) continue; // an agent's events before its creation do not exist
    agent.state_version = recorded.streamPosition;
    touchedAgents.add(agentId);
    const at = (event.data as { at?: string }).at;
    if (at) agent.updated_at = at;

    switch (event.type) {
      case 'PersonaUpdated':
        agent.persona_name = event.data.persona_name;
        agent.persona_config = { ...agent.persona_config, persona_name: event.data.persona_name, soul_md: event.data.soul_md };
        break;
      case 'PolicyVersionChanged':
        agent.policy_version = event.data.policy_version;
        break;
      case 'AgentPaused':
        agent.status = 'paused';
        break;
      case 'AgentResumed':
        agent.status = 'active';
        break;
      case 'AgentDeleted':
        agent.status = 'deleted';
        break;
      case 'CampaignAdded':
      case 'CampaignUpdated': {
        const c = event.data.campaign;
        const existing = campaigns.get(c.campaign_id);
        campaigns.set(c.campaign_id, {
          campaign_id: c.campaign_id,
          agent_id: agentId,
          name: c.name,
          description: c.description,
          status: c.status,
          budget_limit: c.budget_limit,
          budget_remaining: c.budget_remaining,
          created_at: existing?.created_at ?? event.data.at,
          updated_at: event.data.at,
        });
        touchedCampaigns.add(c.campaign_id);
        removedCampaigns.delete(c.campaign_id);
        break;
      }
      case 'CampaignRemoved':
        campaigns.delete(event.data.campaign_id);
        touchedCampaigns.delete(event.data.campaign_id);
        removedCampaigns.set(event.data.campaign_id, agentId);
        break;
      default:
        // Goals, and event types this projection does not know: the version and time only.
        break;
    }
  }

  if (touchedAgents.size > 0) {
    const rows = [...touchedAgents].map((id) => {
      const a = agents.get(id)!;
      return { ...a, persona_config: JSON.stringify(a.persona_config) };
    });
    await trx
      .insertInto('agents')
      .values(rows)
      .onConflict((oc) =>
        oc
          .column('agent_id')
          .doUpdateSet(
            fromExcluded(['name', 'persona_name', 'policy_version', 'state_version', 'status', 'wallet_address', 'wallet_network', 'created_at', 'updated_at', 'persona_config']),
          ),
      )
      .execute();
  }
  for (const [campaignId, agentId] of removedCampaigns) {
    await trx.deleteFrom('campaigns').where('campaign_id', '=', campaignId).where('agent_id', '=', agentId).execute();
  }
  if (touchedCampaigns.size > 0) {
    // Campaign ids are chosen by clients; should two agents pick the same one, the first
    // keeps the row rather than having it silently taken over.
    await trx
      .insertInto('campaigns')
      .values([...touchedCampaigns].map((id) => campaigns.get(id)!))
      .onConflict((oc) =>
        oc
          .column('campaign_id')
          .doUpdateSet(fromExcluded(['name', 'description', 'status', 'budget_limit', 'budget_remaining', 'updated_at']))
          .where('campaigns.agent_id', '=', sql<string>`excluded.agent_id`),
      )
      .execute();
  }
}
