import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeOn, testDatabaseTargets } from '../test/support/testDatabases.ts';
import { startTestApi, type TestApi } from '../test/support/testApi.ts';
import { agentStreamOf } from '../commands/agentStream.ts';

const newAgent = (name = 'Nova') => ({
  name,
  persona_file: Buffer.from(`# ${name}\nWarm, curious, never political.`).toString('base64'),
  social_accounts: { twitter: { username: `${name.toLowerCase()}_ai` } },
  budget: { daily_usd: 50, total_usd: 5000 },
});

const isSeedError = (body: any, code: string) => {
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.match(body.error.request_id, /^[0-9a-f-]{36}$/);
};

for (const target of testDatabaseTargets) {
  describeOn(target, 'agent API over HTTP', () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(target, { maxBodyBytes: 64 * 1024 });
    });
    after(async () => api?.close());

    // Every row in the log, read directly: "unchanged" must not depend on what readers see yet.
    const logEnd = async () => (await api.database.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM chimera_events')).rows[0]!.n;

    it('creates an agent and shows it in the global state with its state_version', async () => {
      const created = await api.request('POST', '/agents', { body: newAgent() });
      assert.equal(created.status, 201);
      assert.equal(created.body.name, 'Nova');
      assert.equal(created.body.status, 'active');
      assert.equal(created.body.state_version, 1);
      const id = created.body.agent_id;
      const state = await api.request('GET', `/globalstate/${id}`);
      assert.equal(state.status, 200);
      assert.equal(state.body.state_version, 1);
      assert.deepEqual(state.body.goals, []);
      assert.deepEqual(state.body.persona_config.persona_name, 'Nova');
      assert.equal(state.body.persona_config.policy_version, '1.0.0');
      // The actor of the command is on the event.
      const { events } = await api.store.readStream(agentStreamOf(id));
      assert.deepEqual(events[0]!.metadata.actor, { sub: 'operator-1', role: 'operator' });
      assert.equal(events[0]!.metadata.correlationId, created.headers.get('x-request-id'));
    });

    it('applies a global state update and refuses a stale one with 409 occ_conflict', async () => {
      const { body: agent } = await api.request('POST', '/agents', { body: newAgent('Iris') });
      const update = (version: number, goalId: string) =>
        api.request('POST', '/globalstate/update', {
          body: {
            agent_id: agent.agent_id,
            input_state_version: version,
            updates: { goals: [{ action: 'add', goal: { goal_id: goalId, description: 'Grow the audience', priority: 'high' } }] },
          },
        });
      const ok = await update(1, 'g-1');
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body, { updated: true, new_state_version: 2 });
      const stale = await update(1, 'g-2');
      assert.equal(stale.status, 409);
      isSeedError(stale.body, 'occ_conflict');
      assert.equal(stale.body.updated, false);
      assert.deepEqual(stale.body.error.details, { input_state_version: 1, current_state_version: 2 });
      const state = await api.request('GET', `/globalstate/${agent.agent_id}`);
      assert.deepEqual(state.body.goals.map((g: any) => g.goal_id), ['g-1']);
      assert.equal(state.body.state_version, 2);
    });

    it('lets exactly one of 50 concurrent updates at the same version through', async () => {
      const { body: agent } = await api.request('POST', '/agents', { body: newAgent('Rush') });
      const stream = agentStreamOf(agent.agent_id);
      const before = (await api.store.readStream(stream)).currentVersion;
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          api.request('POST', '/globalstate/update', {
            body: {
              agent_id: agent.agent_id,
              input_state_version: before,
              updates: { campaigns: [{ action: 'add', campaign: { campaign_id: `${agent.agent_id}-c${i}`, name: `Drop ${i}`, budget_limit: 100 } }] },
            },
          }),
        ),
      );
      const statuses = responses.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 200).length, 1, `statuses: ${statuses.join(',')}`);
      assert.equal(statuses.filter((s) => s === 409).length, 49);
      for (const r of responses.filter((r) => r.status === 409)) isSeedError(r.body, 'occ_conflict');
      const { events, currentVersion } = await api.store.readStream(stream);
      assert.equal(currentVersion, before + 1);
      assert.equal(events.length, before + 1);
    });

    it('answers bad input in the seed error format and leaves the log unchanged', async () => {
      const { body: agent } = await api.request('POST', '/agents', { body: newAgent('Quiet') });
      const end = await logEnd();
      const version = (await api.store.readStream(agentStreamOf(agent.agent_id))).currentVersion;

      const malformed = await api.request('POST', '/globalstate/update', { rawBody: '{"agent_id": "x", ' });
      assert.equal(malformed.status, 400);
      isSeedError(malformed.body, 'validation_failed');

      const wrongTypes = await api.request('POST', '/globalstate/update', {
        body: { agent_id: agent.agent_id, input_state_version: 'one', updates: { goals: [{ action: 'add', goal: { goal_id: 7 } }] } },
      });
      assert.equal(wrongTypes.status, 400);
      isSeedError(wrongTypes.body, 'validation_failed');
      const paths = wrongTypes.body.error.details.issues.map((i: any) => i.path);
      assert.ok(paths.includes('input_state_version'), paths.join(','));

      const badAgent = await api.request('POST', '/agents', { body: { ...newAgent(), budget: { daily_usd: -1, total_usd: 'lots' } } });
      assert.equal(badAgent.status, 400);
      isSeedError(badAgent.body, 'validation_failed');

      const unknown = await api.request('POST', '/globalstate/update', {
        body: { agent_id: 'no-such-agent', input_state_version: 0, updates: { goals: [{ action: 'add', goal: { goal_id: 'g', description: 'd' } }] } },
      });
      assert.equal(unknown.status, 404);
      isSeedError(unknown.body, 'not_found');
      const unknownRead = await api.request('GET', '/globalstate/no-such-agent');
      assert.equal(unknownRead.status, 404);
      isSeedError(unknownRead.body, 'not_found');

      const oversize = await api.request('POST', '/agents', { body: { ...newAgent(), soul_md: 'x'.repeat(70 * 1024), persona_file: undefined } });
      assert.equal(oversize.status, 413);
      isSeedError(oversize.body, 'payload_too_large');

      const unknownGoal = await api.request('POST', '/globalstate/update', {
        body: { agent_id: agent.agent_id, input_state_version: version, updates: { goals: [{ action: 'remove', goal: { goal_id: 'nope' } }] } },
      });
      assert.equal(unknownGoal.status, 404);
      assert.equal(unknownGoal.body.error.details.reason, 'goal_not_found');

      assert.equal(await logEnd(), end);
      assert.equal((await api.store.readStream(agentStreamOf(agent.agent_id))).currentVersion, version);
    });

    it('asks for a token and the right role', async () => {
      const end = await logEnd();
      const none = await api.request('POST', '/agents', { token: null, body: newAgent() });
      assert.equal(none.status, 401);
      isSeedError(none.body, 'unauthorized');
      const forged = await api.request('GET', '/agents', { token: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln' });
      assert.equal(forged.status, 401);
      const viewer = await api.token('viewer');
      const refused = await api.request('POST', '/agents', { token: viewer, body: newAgent() });
      assert.equal(refused.status, 403);
      isSeedError(refused.body, 'forbidden');
      const moderator = await api.token('moderator');
      assert.equal((await api.request('POST', '/globalstate/update', { token: moderator, body: {} })).status, 403);
      assert.equal((await api.request('GET', '/agents', { token: viewer })).status, 200);
      assert.equal(await logEnd(), end);
    });

    it('pauses, resumes and deletes an agent, and refuses commands to a deleted one', async () => {
      const { body: agent } = await api.request('POST', '/agents', { body: newAgent('Ephemeral') });
      const id = agent.agent_id;
      const paused = await api.request('POST', `/agents/${id}/pause`, { body: { reason: 'brand review' } });
      assert.equal(paused.status, 200);
      assert.equal(paused.body.status, 'paused');
      const again = await api.request('POST', `/agents/${id}/pause`, { body: {} });
      assert.equal(again.body.changed, false);
      assert.equal(again.body.state_version, paused.body.state_version);
      assert.equal((await api.request('POST', `/agents/${id}/resume`)).body.status, 'active');
      const policy = await api.request('PUT', `/agents/${id}/policy-version`, { body: { policy_version: '2.0.0' } });
      assert.equal(policy.body.policy_version, '2.0.0');
      const deleted = await api.request('DELETE', `/agents/${id}`);
      assert.equal(deleted.body.status, 'deleted');
      const afterDelete = await api.request('POST', `/agents/${id}/resume`);
      assert.equal(afterDelete.status, 409);
      assert.equal(afterDelete.body.error.details.reason, 'agent_deleted');
    });

    it('projects agents and campaigns into the read models', async () => {
      const { body: agent } = await api.request('POST', '/agents', { body: newAgent('Reader') });
      const update = await api.request('POST', '/globalstate/update', {
        body: {
          agent_id: agent.agent_id,
          input_state_version: 1,
          updates: { campaigns: [{ action: 'add', campaign: { campaign_id: `${agent.agent_id}-summer`, name: 'Summer', budget_limit: 300 } }] },
        },
      });
      assert.equal(update.status, 200);
      // Wait for this agent's last event, not the end of the log: the end a reader sees can
      // still lag behind a commit while an older transaction (a projector's) is open.
      const { events } = await api.store.readStream(agentStreamOf(agent.agent_id), { direction: 'backwards', maxCount: 1 });
      await api.runner.waitFor(events[0]!.position);
      const read = await api.request('GET', `/agents/${agent.agent_id}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.state_version, 2);
      assert.equal(read.body.persona_name, 'Reader');
      assert.equal(read.body.campaigns.length, 1);
      assert.equal(read.body.campaigns[0].name, 'Summer');
      assert.equal(read.body.campaigns[0].budget_remaining, 300);
      const list = await api.request('GET', '/agents?limit=500');
      assert.ok(list.body.items.some((a: any) => a.agent_id === agent.agent_id));
    });

    it('answers /health without a token', async () => {
      const health = await api.request('GET', '/health', { token: null });
      assert.equal(health.status, 200);
      assert.equal(health.body.status, 'healthy');
      assert.equal(health.body.components.database, 'healthy');
    });
  });
}
