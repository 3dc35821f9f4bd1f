import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { handleAgentCommand } from '../commands/handleAgentCommand.ts';
import type { AgentStreamCommand } from '../domain/agentStream.ts';
import { policy, record, result, spec, start } from '../domain/work/workFixtures.ts';
import { startTestChimera, type TestChimera } from '../test/support/testChimera.ts';

// Seed 000 §2.5.6 over HTTP: costs by category, agent and day, and the global budget.
let chimera: TestChimera;
before(async () => {
  // No workers: the tasks below are run by hand, with the costs the test names.
  chimera = await startTestChimera({ MONTHLY_BUDGET_LIMIT: '200' }, ['api', 'projector', 'forwarder']);
});
after(async () => {
  await chimera?.close();
});

it('sums the cost events of tool calls by category, agent and day', async () => {
  const send = async (agentId: string, command: AgentStreamCommand) => {
    const r = await handleAgentCommand(chimera.running.store, agentId, command, { actor: { sub: 'spec', role: 'service' }, correlationId: 'spec' });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  };
  const at = new Date().toISOString();
  for (const [agentId, amount] of [['ada', 0.25], ['bo', 0.5]] as const) {
    assert.equal((await chimera.request('POST', '/agents', { body: { agent_id: agentId, name: agentId, soul_md: '#', budget: { daily_usd: 5, total_usd: 50 } } })).status, 201);
    // A plan with one text task, run by hand.
    const taskId = crypto.randomUUID();
    await send(agentId, { type: 'PlanCampaign', data: { campaign: { campaign_id: `${agentId}-c`, name: 'c' }, campaign_id: `${agentId}-c`, plan_id: `${agentId}-p`, goal: 'g', tasks: [{ ...spec(taskId, 'generate_text'), task_id: taskId }], edges: [], estimated_cost: 0, estimated_duration_s: 1, requires_approval: true, model_call: null }, now: at, policy });
    await send(agentId, { type: 'ApprovePlan', data: { plan_id: `${agentId}-p`, approved_by: 'op' }, now: at, policy });
    await send(agentId, { ...start(taskId), now: at } as AgentStreamCommand);
    const r = record(taskId, { ...result(crypto.randomUUID()) });
    await send(agentId, { ...r, data: { ...(r.data as object), costs: [{ cost_id: crypto.randomUUID(), category: 'inference', tool_name: 'generate_text', tier: null, amount, currency: 'USD', estimate: amount }] } } as AgentStreamCommand);
  }
  const metrics = await chimera.until(async () => {
    const r = await chimera.request('GET', '/dashboard/cost-metrics', { as: 'viewer' });
    return r.body.total_cost >= 0.75 && r.body;
  }, 20_000, 'the costs projected');
  assert.equal(metrics.cost_by_category.inference, 0.75);
  assert.deepEqual(metrics.cost_by_agent.map((a: any) => [a.agent_id, a.total_cost]), [['bo', 0.5], ['ada', 0.25]]);
  assert.deepEqual(metrics.cost_trends.map((t: any) => t.total_cost), [0.75]);
  assert.deepEqual(metrics.budget_status, { global_budget_limit: 200, global_budget_remaining: 200, percentage_used: 0 });
  const one = await chimera.request('GET', '/dashboard/cost-metrics?agent_id=ada', { as: 'viewer' });
  assert.equal(one.body.total_cost, 0.25);
  assert.equal((await chimera.request('GET', '/dashboard/cost-metrics?start_date=yesterday', { as: 'viewer' })).status, 400);
  assert.equal((await chimera.request('GET', '/dashboard/cost-metrics', { as: 'moderator' })).status, 403);
});
