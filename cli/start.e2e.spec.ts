import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';

const bin = path.resolve('bin/chimera.mjs');

async function start(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'start'], {
    env: { ...process.env, CHIMERA_DATA_DIR: dataDir, PORT: '0', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
  });
  return { child, url };
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

describe('chimera start on an empty data folder', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chimera-start-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('serves POST /agents and GET /globalstate with a token from `chimera token`, and keeps them across a restart', async () => {
    const first = await start(dataDir);
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'token', '--role', 'operator', '--sub', 'alice'], {
      env: { ...process.env, CHIMERA_DATA_DIR: dataDir },
    });
    const token = stdout.trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.ok(fs.existsSync(path.join(dataDir, 'keys', 'jwt-private.pem')));
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const created = await fetch(`${first.url}/agents`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Nova', soul_md: '# Nova', budget: { daily_usd: 5, total_usd: 50 } }),
    });
    assert.equal(created.status, 201);
    const agent = (await created.json()) as { agent_id: string };
    const state: any = await (await fetch(`${first.url}/globalstate/${agent.agent_id}`, { headers })).json();
    assert.equal(state.agent_id, agent.agent_id);
    // 1, or 2 if the cfo role recorded the agent's wallet already.
    assert.ok(state.state_version === 1 || state.state_version === 2, `state_version ${state.state_version}`);
    assert.equal(await stop(first.child), 0);

    const second = await start(dataDir);
    try {
      const read = async () => (await (await fetch(`${second.url}/globalstate/${agent.agent_id}`, { headers })).json()) as any;
      assert.equal((await read()).persona_config.persona_name, 'Nova');
      // The wallet, issued before or after the restart, is issued once: version 2 and no further.
      const deadline = Date.now() + 30_000;
      while ((await read()).state_version !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal((await read()).state_version, 2, 'the wallet recorded');
      const balance: any = await (await fetch(`${second.url}/wallet/${agent.agent_id}/balance`, { headers })).json();
      assert.match(balance.wallet_address, /^0x[0-9a-fA-F]{40}$/);
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal((await read()).state_version, 2, 'and only once');
    } finally {
      assert.equal(await stop(second.child), 0);
    }
  });
});
