import {
  type Address,
  BaseError,
  type Hex,
  HttpRequestError,
  type PublicClient,
  TimeoutError,
  TransactionReceiptNotFoundError,
  type TransactionSerialized,
  keccak256,
  parseTransaction,
  recoverTransactionAddress,
} from 'viem';
import { KeyedLock } from './keyedLock.ts';

// Sending a signed transaction, exactly once however often it is sent, and reading its fate.

export type Broadcast =
  // alreadyKnown: the chain had this transaction already (pending or mined); nothing was sent.
  | { ok: true; txHash: Hex; alreadyKnown: boolean }
  | {
      ok: false;
      txHash: Hex;
      // nonce_taken: another transaction from the same account used the nonce, so this one can
      // never be mined.
      reason: 'insufficient_funds' | 'nonce_taken' | 'fee_too_low' | 'rejected';
      message: string;
    };

export type Receipt =
  | { status: 'confirmed' | 'failed'; blockNumber: number; gasUsed: string; effectiveGasPrice: string; contractAddress: Address | null }
  // Known to the chain, not mined yet (or queued behind a lower nonce).
  | { status: 'pending' }
  // The chain has never seen it (never broadcast, or dropped): broadcast it (again).
  | { status: 'unknown' };

const senders = new KeyedLock();

// Looks before it sends: a transaction the chain already has is not sent again, and one whose
// nonce is already used is not sent at all. The second rule matters on ganache 7, which takes
// a signed nonce of 0 for "no nonce" and mines a mined nonce-0 transaction a second time (a
// second payment) when it is sent again; other nodes answer "nonce too low". Sends from one
// account are serialized in this process, so that look and send are not interleaved.
export async function broadcastOnce(client: PublicClient, rawTransaction: Hex): Promise<Broadcast> {
  const txHash = keccak256(rawTransaction);
  const nonce = parseTransaction(rawTransaction).nonce ?? 0;
  const from = await recoverTransactionAddress({ serializedTransaction: rawTransaction as TransactionSerialized });
  return senders.run(from.toLowerCase(), async () => {
    if (await isKnown(client, txHash)) return { ok: true, txHash, alreadyKnown: true };
    const used = await client.getTransactionCount({ address: from, blockTag: 'pending' });
    if (nonce < used) {
      return { ok: false, txHash, reason: 'nonce_taken', message: `nonce ${nonce} of ${from} is used by another transaction (next: ${used})` };
    }
    try {
      await client.sendRawTransaction({ serializedTransaction: rawTransaction });
      return { ok: true, txHash, alreadyKnown: false };
    } catch (error) {
      // The node could not be reached: not an answer about this transaction.
      if (error instanceof BaseError && error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError) !== null) throw error;
      // Another process sent it in between.
      if (await isKnown(client, txHash)) return { ok: true, txHash, alreadyKnown: true };
      const message = error instanceof BaseError ? (error.details || error.shortMessage) : String(error);
      return { ok: false, txHash, reason: rejection(message), message };
    }
  });
}

function rejection(message: string): Extract<Broadcast, { ok: false }>['reason'] {
  if (/insufficient funds/i.test(message)) return 'insufficient_funds';
  if (/nonce/i.test(message)) return 'nonce_taken';
  if (/underpriced|fee cap|base fee|max fee|tip/i.test(message)) return 'fee_too_low';
  return 'rejected';
}

async function isKnown(client: PublicClient, txHash: Hex): Promise<boolean> {
  return (await client.request({ method: 'eth_getTransactionByHash', params: [txHash] })) !== null;
}

export async function receiptOf(client: PublicClient, txHash: Hex): Promise<Receipt> {
  try {
    const receipt = await client.getTransactionReceipt({ hash: txHash });
    return {
      status: receipt.status === 'success' ? 'confirmed' : 'failed',
      blockNumber: Number(receipt.blockNumber),
      gasUsed: receipt.gasUsed.toString(),
      effectiveGasPrice: receipt.effectiveGasPrice.toString(),
      contractAddress: receipt.contractAddress ?? null,
    };
  } catch (error) {
    if (!(error instanceof TransactionReceiptNotFoundError)) throw error;
  }
  return (await isKnown(client, txHash)) ? { status: 'pending' } : { status: 'unknown' };
}

export async function waitForReceipt(client: PublicClient, txHash: Hex, { timeoutMs = 30_000, pollMs = 50 } = {}): Promise<Receipt> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = await receiptOf(client, txHash);
    if (receipt.status === 'confirmed' || receipt.status === 'failed' || Date.now() >= deadline) return receipt;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
