// The dev chain's own thread (see devChain.ts): ganache keeps a large heap, and on the API's
// thread its garbage collections paused every request. Plain JavaScript, so the thread needs
// no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import ganache from 'ganache';

const { port, dbPath, blockTimeS, chainId, genesisBalanceEth } = workerData;
const server = ganache.server({
  logging: { quiet: true },
  wallet: { deterministic: true, defaultBalance: genesisBalanceEth },
  chain: { chainId },
  // 'strict' instamine answers eth_sendRawTransaction before mining. The default ('eager')
  // holds the answer until the block is mined, so a transaction queued behind a nonce gap
  // would hang its sender's request.
  miner: blockTimeS > 0 ? { blockTime: blockTimeS } : { instamine: 'strict' },
  ...(dbPath === 'memory' ? {} : { database: { dbPath } }),
});
try {
  await server.listen(port, '127.0.0.1');
  parentPort.postMessage({ listening: server.address().port });
} catch (error) {
  parentPort.postMessage({ failed: String(error?.message ?? error) });
}
parentPort.on('message', async (message) => {
  if (message !== 'close') return;
  await server.close();
  parentPort.postMessage({ closed: true });
});
