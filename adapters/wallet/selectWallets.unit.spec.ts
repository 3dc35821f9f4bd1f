import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { walletSettings } from './selectWallets.ts';

const cdp = { CDP_API_KEY_ID: 'id', CDP_API_KEY_SECRET: 'secret', CDP_WALLET_SECRET: 'wallet' };

describe('wallet settings', () => {
  it('defaults to a persisted dev chain in this process', () => {
    assert.deepEqual(walletSettings({}, '/data'), { kind: 'dev', rpcUrl: undefined, port: 0, dbPath: '/data/chain', blockTimeS: 0 });
    assert.deepEqual(walletSettings({ CHIMERA_CHAIN_DB: 'memory', CHIMERA_CHAIN_PORT: '8545', CHIMERA_CHAIN_BLOCK_TIME_S: '2' }, '/data'), {
      kind: 'dev',
      rpcUrl: undefined,
      port: 8545,
      dbPath: 'memory',
      blockTimeS: 2,
    });
    assert.equal((walletSettings({ CHIMERA_CHAIN_RPC_URL: 'http://127.0.0.1:8545' }, '/data') as { rpcUrl: string }).rpcUrl, 'http://127.0.0.1:8545');
  });

  it('uses CDP on Base Sepolia with all three credentials, or the network named', () => {
    assert.deepEqual(walletSettings(cdp, '/data'), {
      kind: 'cdp',
      apiKeyId: 'id',
      apiKeySecret: 'secret',
      walletSecret: 'wallet',
      networkId: 'base-sepolia',
      rpcUrl: undefined,
    });
    assert.equal((walletSettings({ ...cdp, CDP_NETWORK_ID: 'base-mainnet' }, '/data') as { networkId: string }).networkId, 'base-mainnet');
  });

  it('refuses part of the CDP credentials, an unknown network, a bad number', () => {
    assert.throws(() => walletSettings({ CDP_API_KEY_ID: 'id', CDP_API_KEY_SECRET: 'secret' }, '/data'), /CDP_WALLET_SECRET is not set/);
    assert.throws(() => walletSettings({ ...cdp, CDP_NETWORK_ID: 'ethereum' }, '/data'), /CDP_NETWORK_ID=ethereum is not supported/);
    assert.throws(() => walletSettings({ CHIMERA_CHAIN_PORT: 'abc' }, '/data'), /CHIMERA_CHAIN_PORT=abc/);
  });
});
