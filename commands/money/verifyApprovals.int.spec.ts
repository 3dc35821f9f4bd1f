import assert from 'node:assert/strict';
import { generateKeyPairSync, sign as ed25519Sign } from 'node:crypto';
import { before, it } from 'node:test';
import { DEFAULT_CFO_POLICY } from '../../domain/money/cfoPolicy.ts';
import { suiteStore } from '../../test/support/suiteStore.ts';
import { describeOn, testDatabaseTargets } from '../../test/support/testDatabases.ts';
import { handleAgentCommand } from '../handleAgentCommand.ts';
import type { AgentStreamCommand } from '../../domain/agentStream.ts';
import { verifyApprovals } from './verifyApprovals.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const pem = (key: typeof publicKey) => key.export({ type: 'spki', format: 'pem' }).toString();
const sign = (m: string) => ed25519Sign(null, Buffer.from(m), privateKey).toString('base64');
const now = '2026-11-25T08:00:00.000Z';

for (const target of testDatabaseTargets) {
  describeOn(target, 'CFO approval verification', () => {
    const log = suiteStore(target);
    before(async () => {
      const send = async (command: AgentStreamCommand) => assert.ok((await handleAgentCommand(log.store, 'nova', command, { actor: { sub: 'cfo', role: 'service' }, correlationId: 'spec' })).ok);
      await send({ type: 'CreateAgent', data: { agent_id: 'nova', name: 'Nova', persona_name: 'Nova', soul_md: '#', policy_version: 'v1', social_accounts: {}, budget: { daily_usd: 100, total_usd: 500 } }, now });
      await send({ type: 'CreateWallet', data: { address: '0xaaa', network: 'local', key_reference: 'hd:1' }, now });
      for (const id of ['t-1', 't-2']) {
        await send({
          type: 'RequestSpend',
          data: { transfer_id: id, approval_id: `a-${id}`, review_id: `r-${id}`, kind: 'transfer', to_address: '0xbbb', asset: 'USDC', amount: '10', amount_usd: 10, campaign_id: null, purpose: 'designer', projected_roi: 2, global_refusal: null, token: null },
          now,
          policy: DEFAULT_CFO_POLICY,
          sign,
        });
      }
    });

    it('verifies every approval with the CFO key, and no approval with another key', async () => {
      assert.deepEqual(await verifyApprovals(log.database.sql, pem(publicKey)), { approvals: 2, invalid: [] });
      assert.equal((await verifyApprovals(log.database.sql, pem(other.publicKey))).invalid.length, 2);
    });

    it('names an approval whose amount was edited after it was signed', async () => {
      await log.database.sql.query(`UPDATE chimera_events SET data = jsonb_set(data, '{amount}', '"1000"') WHERE event_type = 'SpendApproved' AND data->>'transfer_id' = 't-2'`);
      const report = await verifyApprovals(log.database.sql, pem(publicKey), 'agent-nova');
      assert.deepEqual(report.invalid.map((i) => i.transferId), ['t-2']);
    });
  });
}
