import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recordOutboundConnections } from './outboundConnections.ts';

// Installed before AgentKit, the dev chain or viem are loaded (they are imported below).
const recorder = recordOutboundConnections();
const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const { startDevChain } = await import('../chain/devChain.ts');
const { createAgentKitWallets } = await import('./agentKitWallets.ts');
const { suppressedAnalyticsEvents } = await import('./loadAgentKit.ts');
const { walletKeys } = await import('./walletKeys.ts');

describe('no request leaves the machine', () => {
  after(() => recorder.stop());

  it('the recorder sees and stops a request like AgentKit\'s analytics (the control)', async () => {
    const before = recorder.attempts.length;
    await assert.rejects(fetch('https://cca-lite.coinbase.com/amp', { method: 'POST', body: '[]' }));
    assert.deepEqual(recorder.attempts.slice(before), [{ via: 'connect', host: 'cca-lite.coinbase.com', port: 443 }]);
  });

  describe('wallets through AgentKit on the dev chain', () => {
    let from: number;
    const closers: (() => Promise<void>)[] = [];
    before(() => {
      from = recorder.attempts.length;
    });
    after(async () => {
      for (const close of closers) await close();
    });

    it('creates, funds and reads wallets, transfers ETH and USDC, deploys a token: every connection is local', async () => {
      const chain = await startDevChain();
      closers.push(() => chain.close());
      const wallets = await createAgentKitWallets({
        chain,
        keys: walletKeys({ env: { CHIMERA_WALLET_MNEMONIC: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about' }, dataDir: '/nonexistent' }),
      });
      const payer = await wallets.createWallet('agent-payer');
      const payee = await wallets.createWallet('agent-payee');
      // Funding is AgentKit's native_transfer and erc20 transfer; balances its erc20 get_balance.
      assert.equal((await wallets.fund(payer.address, wallets.defaultFunding!)).ok, true);
      assert.equal((await wallets.fund(payee.address, { ethWei: 10n ** 16n, usdcUnits: 5_000_000n })).ok, true);
      for (const [asset, amount] of [['ETH', '0.01'], ['USDC', '2.5']] as const) {
        const signed = await wallets.signTransfer({ keyReference: payer.keyReference, to: payee.address, asset, amount });
        assert.ok(signed.ok);
        assert.ok((await wallets.broadcast(signed.rawTransaction)).ok);
        assert.equal((await wallets.waitForReceipt(signed.txHash)).status, 'confirmed');
      }
      const deployed = await wallets.deployToken({ keyReference: payer.keyReference, name: 'Quiet', symbol: 'QT', supply: '1' });
      assert.ok(deployed.ok);
      assert.deepEqual((await wallets.balance(payee.address)).usdc, { units: '7500000', formatted: '7.5' });
      // AgentKit's unawaited analytics run on later ticks: let them.
      await new Promise((resolve) => setTimeout(resolve, 200));

      const attempts = recorder.attempts.slice(from);
      assert.deepEqual(attempts.filter((a) => !['127.0.0.1', 'localhost', '::1'].includes(a.host)), []);
      // The recorder did see this work's connections (to the chain), so it was listening.
      assert.ok(attempts.some((a) => a.via === 'connect' && a.host === '127.0.0.1'), JSON.stringify(attempts));
      // AgentKit did try: once for the funder's wallet provider, and for each action.
      const events = suppressedAnalyticsEvents();
      assert.ok((events.agent_initialization ?? 0) >= 1, JSON.stringify(events));
      assert.ok((events.agent_action_invocation ?? 0) >= 5, JSON.stringify(events));
      assert.deepEqual(unhandled, []);
    });
  });
});
