import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPublicClient, createWalletClient, erc20Abi, http, parseEventLogs, parseUnits } from 'viem';
import { deployErc20, deployMulticall3 } from './contracts.ts';
import { type DevChain, devChainAccount, devChainDefinition, startDevChain } from './devChain.ts';

describe('dev chain contracts', () => {
  let chain: DevChain;
  before(async () => {
    chain = await startDevChain();
  });
  after(() => chain.close());

  const setup = () => {
    const definition = devChainDefinition(chain);
    const read = createPublicClient({ chain: definition, transport: http(chain.rpcUrl), pollingInterval: 20 });
    const owner = createWalletClient({ chain: definition, transport: http(chain.rpcUrl), account: chain.funder });
    const spender = createWalletClient({ chain: definition, transport: http(chain.rpcUrl), account: devChainAccount(1) });
    return { read, owner, spender };
  };

  it('deploys an ERC-20 that mints its supply to the deployer and moves it by the standard', async () => {
    const { read, owner, spender } = setup();
    const token = await deployErc20(owner, read, { name: 'Test Coin', symbol: 'TST', decimals: 6, supply: '1000' });
    const call = <F extends 'name' | 'symbol' | 'decimals' | 'totalSupply'>(functionName: F) =>
      read.readContract({ address: token.address, abi: erc20Abi, functionName });
    assert.equal(await call('name'), 'Test Coin');
    assert.equal(await call('symbol'), 'TST');
    assert.equal(await call('decimals'), 6);
    assert.equal(await call('totalSupply'), parseUnits('1000', 6));
    const balanceOf = (address: `0x${string}`) => read.readContract({ address: token.address, abi: erc20Abi, functionName: 'balanceOf', args: [address] });
    assert.equal(await balanceOf(chain.funder.address), parseUnits('1000', 6));

    const recipient = devChainAccount(2).address;
    const sent = await owner.writeContract({ address: token.address, abi: erc20Abi, functionName: 'transfer', args: [recipient, 250_000n] });
    const receipt = await read.waitForTransactionReceipt({ hash: sent });
    const [transfer] = parseEventLogs({ abi: erc20Abi, logs: receipt.logs, eventName: 'Transfer' });
    assert.deepEqual(transfer?.args, { from: chain.funder.address, to: recipient, value: 250_000n });
    assert.equal(await balanceOf(recipient), 250_000n);

    const approved = await owner.writeContract({ address: token.address, abi: erc20Abi, functionName: 'approve', args: [spender.account.address, 100n] });
    const approval = parseEventLogs({ abi: erc20Abi, logs: (await read.waitForTransactionReceipt({ hash: approved })).logs, eventName: 'Approval' });
    assert.equal(approval[0]?.args.value, 100n);
    const moved = await spender.writeContract({ address: token.address, abi: erc20Abi, functionName: 'transferFrom', args: [chain.funder.address, recipient, 60n] });
    assert.equal((await read.waitForTransactionReceipt({ hash: moved })).status, 'success');
    assert.equal(await read.readContract({ address: token.address, abi: erc20Abi, functionName: 'allowance', args: [chain.funder.address, spender.account.address] }), 40n);
    assert.equal(await balanceOf(recipient), 250_060n);
    assert.equal(await call('totalSupply'), parseUnits('1000', 6));

    // More than the allowance: the call reverts and nothing moves.
    await assert.rejects(
      read.simulateContract({ account: spender.account, address: token.address, abi: erc20Abi, functionName: 'transferFrom', args: [chain.funder.address, recipient, 41n] }),
      /insufficient allowance/,
    );
    // More than the balance.
    await assert.rejects(
      read.simulateContract({ account: devChainAccount(2), address: token.address, abi: erc20Abi, functionName: 'transfer', args: [chain.funder.address, 250_061n] }),
      /exceeds balance/,
    );
  });

  it('deploys a Multicall3 that viem batches reads through', async () => {
    const { read, owner } = setup();
    const multicall3 = await deployMulticall3(owner, read);
    const token = await deployErc20(owner, read, { name: 'Batch', symbol: 'BAT', decimals: 18, supply: '5' });
    const batched = createPublicClient({ chain: devChainDefinition(chain, { multicall3: multicall3.address }), transport: http(chain.rpcUrl) });
    const [symbol, supply, missing] = await batched.multicall({
      contracts: [
        { address: token.address, abi: erc20Abi, functionName: 'symbol' },
        { address: token.address, abi: erc20Abi, functionName: 'totalSupply' },
        // No contract there: a failed call, reported, not thrown.
        { address: devChainAccount(3).address, abi: erc20Abi, functionName: 'totalSupply' },
      ],
    });
    assert.deepEqual(symbol, { status: 'success', result: 'BAT' });
    assert.deepEqual(supply, { status: 'success', result: parseUnits('5', 18) });
    assert.equal(missing?.status, 'failure');
  });
});
