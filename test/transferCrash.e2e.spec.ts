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

// Issue 6: a crash between the CFO's approval and the broadcast. The process dies right after
// the approval is recorded; restarted on the same data (the dev chain keeps its state on
// disk), the settlement sweeper signs and sends the transfer: the recipient is paid once.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chimera-transfer-crash-'));
const env = { CHIMERA_DATA_DIR: dataDir, PORT: '0', CHIMERA_SWEEP_INTERVAL_MS: '500' };
let restarted: ChimeraProcess | undefined;
after(async () => {
  if (restarted) await stopChimeraProcess(restarted);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('pays once when the process dies between approving a transfer and sending it', { timeout: 180_000 }, async () => {
  const crashing = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/support/chimeraCrashingAfterApproval.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  crashing.stdout.on('data', (c: Buffer) => (output += c.toString()));
  crashing.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => crashing.once('exit', (_code, signal) => resolve(signal)));
  const url = await waitFor(() => output.match(/chimera listening on (\S+)/)?.[1], () => output);
  const operator = await issueToken(await loadSigningKeys(readConfig({ CHIMERA_DATA_DIR: dataDir })), { sub: 'op', role: 'operator' });
  const request = async (base: string, method: string, p: string, body?: unknown) => {
    const r = await fetch(`${base}${p}`, { method, headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }).catch((e: Error) => ({ status: 0, json: async () => ({ error: e.message }) }));
    return { status: r.status, body: (await r.json()) as any };
  };
  for (const agent of ['spender', 'receiver']) {
    assert.equal((await request(url, 'POST', '/agents', { agent_id: agent, name: agent, soul_md: '#', budget: { daily_usd: 100, total_usd: 1000 } })).status, 201);
  }
  const wallets = await waitFor(async () => {
    const [a, b] = [await request(url, 'GET', '/wallet/spender/balance'), await request(url, 'GET', '/wallet/receiver/balance')];
    return a.status === 200 && b.status === 200 && Number(b.body.balances[1].amount) > 0 ? [a.body, b.body] : undefined;
  }, () => output);
  const before = Number(wallets[1].balances[1].amount_exact);
  // The answer never comes: the process dies inside the request.
  await request(url, 'POST', '/wallet/spender/transfer', { to_address: wallets[1].wallet_address, amount: 7, currency: 'USDC', purpose: 'collab', projected_roi: 2 });
  assert.equal(await exited, 'SIGKILL', output);
  const transferId = output.match(/crashing after approving transfer (\S+)/)![1]!;

  restarted = await startChimeraProcess('start', env, /chimera listening on \S+/);
  const again = restarted.output().match(/chimera listening on (\S+)/)![1]!;
  await waitFor(async () => {
    const b = await request(again, 'GET', '/wallet/receiver/balance');
    return b.status === 200 && Number(b.body.balances[1].amount_exact) > before ? b : undefined;
  }, () => restarted!.output(), 90_000);
  // Give the sweeper more rounds to pay twice, if it would.
  await new Promise((r) => setTimeout(r, 3000));
  const after = await request(again, 'GET', '/wallet/receiver/balance');
  assert.equal(Number(after.body.balances[1].amount_exact) - before, 7, 'paid exactly once');
  assert.match(transferId, /^[0-9a-f-]{36}$/);
});
