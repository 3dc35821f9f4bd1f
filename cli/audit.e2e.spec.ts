import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { it } from 'node:test';
import { readConfig } from '../config.ts';
import { startTestChimera } from '../test/support/testChimera.ts';
import { openChimeraDatabase } from './startChimera.ts';

const bin = path.resolve('bin/chimera.mjs');
const audit = async (dataDir: string) => {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'audit', 'verify'], { env: { ...process.env, CHIMERA_DATA_DIR: dataDir, DATABASE_URL: '' } });
    return { code: 0, report: JSON.parse(stdout) };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, report: JSON.parse(e.stdout) };
  }
};

it('`chimera audit verify` checks the hash chain and every CFO approval signature, and names a forged approval', { timeout: 120_000 }, async () => {
  const chimera = await startTestChimera({}, ['api', 'projector', 'forwarder']);
  const dataDir = chimera.dataDir;
  try {
    assert.equal((await chimera.request('POST', '/agents', { body: { agent_id: 'ledger', name: 'Ledger', soul_md: '#', budget: { daily_usd: 100, total_usd: 100 } } })).status, 201);
    const spend = await chimera.request('POST', '/judge/cfo/validate-transaction', {
      as: 'service',
      body: { transaction_request: { agent_id: 'ledger', amount: 12, currency: 'USD', purpose: 'newsletter ad', recipient: 'Substack', on_chain: false, projected_roi: 3 } },
    });
    assert.equal(spend.body.approved, true, JSON.stringify(spend.body));
    await chimera.running.close();

    const clean = await audit(dataDir);
    assert.equal(clean.code, 0, JSON.stringify(clean.report));
    assert.deepEqual([clean.report.breaks, clean.report.approvals], [[], { approvals: 1, invalid: [] }]);

    const database = await openChimeraDatabase(readConfig({ CHIMERA_DATA_DIR: dataDir, DATABASE_URL: '' }));
    await database.sql.query(`UPDATE chimera_events SET data = jsonb_set(data, '{amount_usd}', '1200') WHERE event_type = 'SpendApproved'`);
    await database.close();
    const forged = await audit(dataDir);
    assert.equal(forged.code, 1);
    assert.deepEqual(forged.report.approvals.invalid.map((i: { transferId: string }) => i.transferId), [spend.body.transaction_id]);
  } finally {
    await chimera.running.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
