import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { issueToken } from '../api/auth/issueToken.ts';
import { loadSigningKeys } from '../api/auth/signingKeys.ts';
import { readConfig } from '../config.ts';
import { startChimeraProcess, stopChimeraProcess, type ChimeraProcess } from './support/chimeraProcess.ts';
import { waitFor } from './support/waitFor.ts';

// Issue 5: killing the worker during a run never posts the same thing twice. The embedded
// default runs every role in one process, so the whole process dies, right after the sandbox
// platform accepted a post and before Chimera recorded it. Restarted on the same data, the
// timed-out attempt is retried (E2001) with the same idempotency key, and the platform
// answers with the post it already has.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chimera-crash-'));
const env = {
  CHIMERA_DATA_DIR: dataDir,
  PORT: '0',
  CHIMERA_TASK_TIMEOUT_MS: '1000',
  CHIMERA_SWEEP_INTERVAL_MS: '300',
  CHIMERA_POST_COOLDOWN_MS: '50',
  CHIMERA_RETRY_BACKOFF_MS: '100',
};
let restarted: ChimeraProcess | undefined;
after(async () => {
  if (restarted) await stopChimeraProcess(restarted);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('posts once when the process dies between publishing and recording it', { timeout: 120_000 }, async () => {
  const crashing = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/support/chimeraCrashingAfterPublish.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  crashing.stdout.on('data', (c: Buffer) => (output += c.toString()));
  crashing.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => crashing.once('exit', (_code, signal) => resolve(signal)));
  const url = await waitFor(() => output.match(/chimera listening on (\S+)/)?.[1], () => output);

  const keys = await loadSigningKeys(readConfig({ CHIMERA_DATA_DIR: dataDir }));
  const operator = await issueToken(keys, { sub: 'op', role: 'operator' });
  const request = async (base: string, method: string, p: string, body?: unknown) => {
    const r = await fetch(`${base}${p}`, { method, headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: r.status, body: (await r.json()) as any };
  };
  assert.equal((await request(url, 'POST', '/agents', { agent_id: 'phoenix', name: 'Phoenix', soul_md: '# calm', social_accounts: { twitter: { username: 'phx' } }, budget: { daily_usd: 5, total_usd: 50 } })).status, 201);
  const composed = await request(url, 'POST', '/campaign/compose', { agent_id: 'phoenix', natural_language_goal: 'One post on Twitter about our autumn reading list' });
  assert.equal(composed.status, 201);
  const postTask = composed.body.task_dag.tasks.find((t: any) => t.task_type === 'post_content').task_id as string;

  assert.equal(await exited, 'SIGKILL', output);
  assert.match(output, new RegExp(`crashing after publishing for task ${postTask}`));

  restarted = await startChimeraProcess('start', env, /chimera listening on \S+/);
  const again = restarted.output().match(/chimera listening on (\S+)/)![1]!;
  const status = await waitFor(async () => {
    const s = await request(again, 'GET', `/worker/task/${postTask}/status`);
    return s.body.status === 'completed' ? s.body : undefined;
  }, () => restarted!.output(), 60_000);
  assert.equal(status.attempt, 2, 'the first attempt timed out and was retried');

  const memory = await request(again, 'GET', `/mcp/resources/phoenix/${encodeURIComponent('mcp://memory/phoenix/recent')}`);
  assert.equal(memory.status, 200, JSON.stringify(memory.body));
  const onPlatform = memory.body.content.recent_posts as unknown[];
  assert.equal(onPlatform.length, 1, 'the sandbox platform holds one post');
  const published = await request(again, 'GET', '/agents/phoenix/posts');
  assert.equal(published.status, 200);
  assert.equal(published.body.items.length, 1, 'Chimera recorded one post');
});
