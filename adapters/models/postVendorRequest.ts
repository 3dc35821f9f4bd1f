import { setTimeout as sleep } from 'node:timers/promises';
import type { VendorChatOptions } from './chatClient.ts';
import { ModelCallError } from './modelCallError.ts';

export type VendorRequest = {
  provider: string;
  model: string;
  url: string;
  headers: Record<string, string>;
  body: string;
};

// POSTs a JSON body to a vendor and returns the parsed JSON answer. Retries 429, 5xx and
// network errors with doubling back-off (honouring Retry-After); one time budget covers all
// attempts, so a caller waits at most `timeoutMs` whatever the vendor does.
export async function postVendorRequest(
  request: VendorRequest,
  options: Pick<VendorChatOptions, 'timeoutMs' | 'maxAttempts' | 'backoffMs' | 'maxBackoffMs'>,
): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 8_000;
  const { provider, model } = request;
  const deadline = AbortSignal.timeout(timeoutMs);
  const timedOut = (attempts: number) =>
    new ModelCallError('timeout', `${provider} (${model}) did not answer within ${timeoutMs} ms (${attempts} attempt(s))`, {
      provider,
      model,
      attempts,
    });

  for (let attempt = 1; ; attempt++) {
    let problem: string;
    let status: number | undefined;
    let retryAfterMs: number | undefined;
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...request.headers },
        body: request.body,
        signal: deadline,
      });
      const text = await response.text();
      if (response.ok) return parseJson(text, request);
      status = response.status;
      problem = `HTTP ${status}: ${vendorMessage(text)}`;
      if (status !== 429 && status < 500) {
        throw new ModelCallError('http', `${provider} (${model}) refused the request: ${problem}`, { provider, model, status, attempts: attempt });
      }
      retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    } catch (error) {
      if (error instanceof ModelCallError) throw error;
      if (deadline.aborted) throw timedOut(attempt);
      problem = networkProblem(error);
    }
    if (attempt >= maxAttempts) {
      const failure = status === undefined ? 'network' : 'http';
      throw new ModelCallError(failure, `${provider} (${model}) failed after ${attempt} attempt(s): ${problem}`, {
        provider,
        model,
        attempts: attempt,
        ...(status === undefined ? {} : { status }),
      });
    }
    const waitMs = Math.min(maxBackoffMs, retryAfterMs ?? backoffMs * 2 ** (attempt - 1));
    try {
      await sleep(waitMs, undefined, { signal: deadline });
    } catch {
      throw timedOut(attempt);
    }
  }
}

function parseJson(text: string, request: VendorRequest): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ModelCallError('bad_response', `${request.provider} (${request.model}) answered with something that is not JSON: ${text.slice(0, 200)}`, {
      provider: request.provider,
      model: request.model,
    });
  }
}

// All three vendors put a human-readable message at error.message.
function vendorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 200) || '(empty body)';
}

function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return undefined; // an HTTP date: use our own back-off rather than trust a clock
}

function networkProblem(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
