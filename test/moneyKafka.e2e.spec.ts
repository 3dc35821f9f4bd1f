import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { issueToken } from '../api/auth/issueToken.ts';
import type { Role } from '../api/auth/role.ts';
import { loadSigningKeys } from '../api/auth/signingKeys.ts';
import type { Database } from '../adapters/database/database.ts';
import { readConfig } from '../config.ts';
import { startChimeraProcess, stopChimeraProcess, type ChimeraProcess } from './support/chimeraProcess.ts';
import { describeOn, postgresServerTarget } from './support/testDatabases.ts';
import { kafkaProblem, testKafkaBrokers } from './support/testKafka.ts';
import { until } from './support/waitFor.ts';

// Money with the roles as processes: the API process has no chain (no CHIMERA_CHAIN_RPC_URL),
// so it only decides; the cfo process issues the wallets on its dev chain and its settlement
// sweeper sends what the API approved.
describeOn({ ...postgresServerTarget, skip: postgresServerTarget.skip ?? kafkaProblem }, 'money as processes over Kafka', () => {
  let database: Database;
  const processes: ChimeraProcess[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chimera-money-'));
  let url = '';
  const request = async (method: string, p: string, body?: unknown, as: Role = 'operator') => {
    const keys = await loadSigningKeys(readConfig({ CHIMERA_DATA_DIR: dataDir }));
    const headers: Record<string, string> = { authorization: `Bearer ${await issueToken(keys, { sub: `${as}-1`, role: as })}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${p}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: response.status, body: (await response.json()) as any };
  };

  before(async () => {
    database = await postgresServerTarget.open();
    const env = {
      DATABASE_URL: database.connectionString!,
      KAFKA_BROKERS: testKafkaBrokers.join(','),
      KAFKA_TOPIC: `money-${randomUUID().slice(0, 8)}`,
      CHIMERA_DATA_DIR: dataDir,
      CHIMERA_SWEEP_INTERVAL_MS: '500',
      CHIMERA_CHAIN_RPC_URL: '',
      PORT: '0',
    };
    const api = await startChimeraProcess('api', env, /chimera listening on \S+/);
    processes.push(api);
    assert.match(api.output(), /wallets: none in this process/);
    processes.push(await startChimeraProcess('projector', env, /member of consumer group projectors/));
    processes.push(await startChimeraProcess('cfo', env, /member of consumer group cfo/));
    processes.push(await startChimeraProcess('forwarder', env, /forwarder: log/));
    url = api.output().match(/chimera listening on (\S+)/)![1]!;
  });
  after(async () => {
    for (const p of processes.reverse()) await stopChimeraProcess(p);
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('mines a spend the API approved without a chain, from the cfo process', { timeout: 180_000 }, async () => {
    for (const agentId of ['buyer', 'seller']) {
      const created = await request('POST', '/agents', { agent_id: agentId, name: agentId, soul_md: '#', budget: { daily_usd: 100, total_usd: 1000 } });
      assert.equal(created.status, 201);
    }
    const wallets = await until(async () => {
      const rows = await database.db.selectFrom('agent_wallets').select(['agent_id', 'wallet_address']).execute();
      return rows.length === 2 && new Map(rows.map((r) => [r.agent_id, r.wallet_address]));
    }, 60_000, 'both wallets issued by the cfo process');
    const validated = await request(
      'POST',
      '/judge/cfo/validate-transaction',
      { transaction_request: { agent_id: 'buyer', amount: 9, currency: 'USDC', purpose: 'a commissioned jingle', recipient: wallets.get('seller'), on_chain: true, projected_roi: 2 } },
      'service',
    );
    assert.equal(validated.status, 200, JSON.stringify(validated.body));
    assert.equal(validated.body.approved, true);
    const row = await until(async () => {
      const r = await database.db.selectFrom('wallet_transactions').selectAll().where('transaction_id', '=', validated.body.transaction_id).executeTakeFirst();
      return r?.status === 'confirmed' && r;
    }, 90_000, 'the transaction sent by the cfo process and confirmed');
    assert.equal(row.from_address.toLowerCase(), wallets.get('buyer')!.toLowerCase());
    assert.equal(row.cfo_approval_id, validated.body.approval_id);
    const transfer = await request('POST', '/wallet/buyer/transfer', { to_address: wallets.get('seller'), amount: '4.5', currency: 'USDC', purpose: 'a jingle, part two', projected_roi: 2 });
    assert.equal(transfer.status, 200, JSON.stringify(transfer.body));
    assert.equal(transfer.body.status, 'pending', 'approved here, sent by the cfo process');
    await until(async () => {
      const r = await database.db.selectFrom('wallet_transactions').select('status').where('transaction_id', '=', transfer.body.transaction_id).executeTakeFirst();
      return r?.status === 'confirmed';
    }, 90_000, 'the transfer confirmed');
    const cost = await until(() => database.db.selectFrom('cost_events').selectAll().where('event_id', '=', validated.body.transaction_id).executeTakeFirst(), 60_000, 'its cost event');
    assert.ok(Number(cost.cost_amount) > 9, `9 USDC and the gas: ${cost.cost_amount}`);
  });
});
