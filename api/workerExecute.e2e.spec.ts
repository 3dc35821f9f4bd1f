import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { agentStreamOf } from '../commands/agentStream.ts';
import { startTestChimera, type TestChimera } from '../test/support/testChimera.ts';

// Seed 000 §2.2.1 over HTTP on the embedded default: one content task run through the
// sandbox's MCP tools as a preview that records nothing; publishing is the pipeline's alone.
describe('POST /worker/execute', () => {
  let chimera: TestChimera;
  before(async () => {
    chimera = await startTestChimera();
  });
  after(async () => {
    await chimera?.close();
  });

  const createAgent = async (agentId: string) => {
    const r = await chimera.request('POST', '/agents', {
      body: { agent_id: agentId, name: agentId, soul_md: '# Voice\nWarm and upbeat.', social_accounts: { twitter: { username: agentId } }, budget: { daily_usd: 20, total_usd: 200 } },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  };
  const stateVersion = async (agentId: string) => (await chimera.request('GET', `/globalstate/${agentId}`, { as: 'viewer' })).body.state_version as number;
  const logLength = async (agentId: string) => (await chimera.running.store.readStream(agentStreamOf(agentId))).currentVersion;
  const isSeedError = (body: any, code: string) => {
    assert.equal(body.error.code, code, JSON.stringify(body));
    assert.equal(typeof body.error.message, 'string');
    assert.match(body.error.request_id, /^[0-9a-f-]{36}$/);
  };
  const task = (agentId: string, version: number, taskType: string, parameters: Record<string, unknown> = {}) => ({
    task_id: randomUUID(),
    agent_id: agentId,
    task_type: taskType,
    priority: 'medium',
    context: { goal_description: 'Our spring sale', persona_constraints: [], required_resources: ['mcp://memory/recent'] },
    parameters: { prompt: 'A first look at our spring sale, made for our followers.', platform: 'twitter', mcp_tool: taskType, ...parameters },
    state_version_snapshot: version,
  });
  const execute = (body: unknown, as: 'operator' | 'service' | 'moderator' | 'viewer' = 'service') => chimera.request('POST', '/worker/execute', { as, body });

  it('runs a content task through the MCP tools and answers its WorkerResult, recording nothing', async () => {
    await createAgent('exec');
    const version = await stateVersion('exec');
    const body = task('exec', version, 'generate_text');
    const r = await execute(body);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.match(r.body.result_id, /^[0-9a-f-]{36}$/);
    assert.equal(r.body.task_id, body.task_id);
    assert.equal(r.body.agent_id, 'exec');
    assert.equal(r.body.artifact.type, 'text');
    assert.ok(r.body.artifact.content.length > 0);
    assert.ok(r.body.confidence_score >= 0 && r.body.confidence_score <= 1);
    assert.ok(Array.isArray(r.body.risk_tags));
    assert.equal(r.body.disclosure_level, 'automated');
    assert.equal(r.body.tool_provenance.mcp_tool, 'generate_text');
    assert.equal(r.body.tool_provenance.parameters_used.brief, body.parameters.prompt);
    assert.ok(r.body.execution_metadata.duration_ms >= 0);
    assert.equal(r.body.recorded, false);
    assert.deepEqual(r.body.occ_check, { state_version_snapshot: version, current_state_version: version, consistent: true });

    // Nothing recorded: not in the stream, not in the tasks read model.
    assert.equal(await logLength('exec'), version);
    const status = await chimera.request('GET', `/worker/task/${body.task_id}/status`, { as: 'viewer' });
    assert.equal(status.status, 404);
  });

  it('makes images and videos, and echoes a stale snapshot as inconsistent', async () => {
    await createAgent('exec-media');
    const version = await stateVersion('exec-media');
    const image = await execute(task('exec-media', version, 'generate_image', { style: 'artistic', aspect_ratio: '1:1' }), 'operator');
    assert.equal(image.status, 200, JSON.stringify(image.body));
    assert.equal(image.body.artifact.type, 'image');
    assert.match(image.body.artifact.content, /^[a-z]+:\/\//);
    assert.equal(image.body.tool_provenance.parameters_used.style, 'artistic');
    assert.equal(image.body.tool_provenance.parameters_used.character_reference_id, 'exec-media-face');
    const video = await execute(task('exec-media', version - 1, 'render_video', { tier: 'tier_1_daily', duration_s: 10 }));
    assert.equal(video.status, 200, JSON.stringify(video.body));
    assert.equal(video.body.artifact.type, 'video');
    assert.equal(video.body.tool_provenance.parameters_used.duration_s, 10);
    assert.deepEqual(video.body.occ_check, { state_version_snapshot: version - 1, current_state_version: version, consistent: false });
    assert.equal(await logLength('exec-media'), version);
  });

  it('refuses publishing tasks with 422: they run only in the pipeline', async () => {
    await createAgent('exec-post');
    const version = await stateVersion('exec-post');
    for (const type of ['post_content', 'engage_reply']) {
      const r = await execute(task('exec-post', version, type));
      assert.equal(r.status, 422, JSON.stringify(r.body));
      isSeedError(r.body, 'validation_failed');
      assert.equal(r.body.error.details.reason, 'task_publishes');
    }
    assert.equal(await logLength('exec-post'), version);
  });

  it('answers bad input (400), other roles (403) and unknown agents (404)', async () => {
    await createAgent('exec-bad');
    const version = await stateVersion('exec-bad');
    const noPrompt = await execute({ ...task('exec-bad', version, 'generate_text'), parameters: { mcp_tool: 'generate_text' } });
    assert.equal(noPrompt.status, 400);
    isSeedError(noPrompt.body, 'validation_failed');
    const otherTool = await execute(task('exec-bad', version, 'generate_text', { mcp_tool: 'render_video' }));
    assert.equal(otherTool.status, 400);
    assert.deepEqual(otherTool.body.error.details.issues.map((i: { path: string }) => i.path), ['parameters.mcp_tool']);
    const unknownType = await execute(task('exec-bad', version, 'write_poem'));
    assert.equal(unknownType.status, 400);
    const noVersion = await execute({ ...task('exec-bad', version, 'generate_text'), state_version_snapshot: undefined });
    assert.equal(noVersion.status, 400);
    for (const role of ['moderator', 'viewer'] as const) {
      const r = await execute(task('exec-bad', version, 'generate_text'), role);
      assert.equal(r.status, 403);
      isSeedError(r.body, 'forbidden');
    }
    const unknown = await execute(task('no-such-agent', 0, 'generate_text'));
    assert.equal(unknown.status, 404);
    isSeedError(unknown.body, 'not_found');
    assert.equal(await logLength('exec-bad'), version);
  });
});
