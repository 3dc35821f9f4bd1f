import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ChatRequest } from './chatClient.ts';
import { ModelCallError } from './modelCallError.ts';
import { STAND_IN_VENDORS, startVendorStandIn, type RecordedRequest, type StandIn, type StandInAnswer } from './vendorStandIn.ts';

// The vendor clients' HTTP behaviour against local stand-ins of the vendors' APIs (see
// vendorStandIn.ts): bounded retries on 429/5xx/network errors, no retry on other refusals,
// and one time budget for the whole call.

const request: ChatRequest = { system: 'Answer in JSON.', turns: [{ role: 'user', text: 'Say hi' }], json: false, maxTokens: 50, temperature: 0 };

async function failureOf(promise: Promise<unknown>): Promise<ModelCallError> {
  const error = await promise.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ModelCallError, String(error));
  return error;
}

for (const vendor of STAND_IN_VENDORS) {
  describe(`${vendor.name} client retries and time budget (stand-in server)`, () => {
    let script: (request: RecordedRequest, index: number) => StandInAnswer = () => ({ status: 500 });
    let standIn: StandIn;
    before(async () => {
      standIn = await startVendorStandIn((r, i) => script(r, i));
    });
    beforeEach(() => standIn.requests.splice(0));
    after(() => standIn.close());
    const ok = () => ({ json: vendor.answer('hi', { input: 7, output: 2 }) });

    it('sends the request without a JSON switch when none is asked for', async () => {
      script = ok;
      const reply = await vendor.client(standIn.baseUrl).complete(request);
      vendor.assertRequest(standIn.requests[0]!, { json: false });
      assert.deepEqual([reply.text, reply.inputTokens, reply.outputTokens], ['hi', 7, 2]);
      assert.equal(reply.requestBody, standIn.requests[0]!.rawBody);
    });

    it('retries a 429 after the Retry-After the vendor asks for, then succeeds', async () => {
      script = (_r, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '0.2' }, json: vendor.error(429, 'slow down') } : ok());
      const started = Date.now();
      const reply = await vendor.client(standIn.baseUrl).complete(request);
      assert.equal(reply.text, 'hi');
      assert.equal(standIn.requests.length, 2);
      assert.equal(standIn.requests[1]!.rawBody, standIn.requests[0]!.rawBody);
      assert.ok(Date.now() - started >= 190, `waited ${Date.now() - started} ms`);
    });

    it('retries 5xx a bounded number of times, then fails with the vendor message', async () => {
      script = () => ({ status: 503, json: vendor.error(503, 'overloaded right now') });
      const failure = await failureOf(vendor.client(standIn.baseUrl, { maxAttempts: 3 }).complete(request));
      assert.equal(standIn.requests.length, 3);
      assert.deepEqual([failure.failure, failure.details.status, failure.details.attempts], ['http', 503, 3]);
      assert.match(failure.message, /overloaded right now/);
      script = (_r, index) => (index < 2 ? { status: 500, json: vendor.error(500, 'oops') } : ok());
      standIn.requests.splice(0);
      assert.equal((await vendor.client(standIn.baseUrl).complete(request)).text, 'hi');
      assert.equal(standIn.requests.length, 3);
    });

    it('does not retry a refused key', async () => {
      script = () => ({ status: 401, json: vendor.error(401, 'invalid api key') });
      const failure = await failureOf(vendor.client(standIn.baseUrl).complete(request));
      assert.equal(standIn.requests.length, 1);
      assert.deepEqual([failure.failure, failure.details.status], ['http', 401]);
      assert.match(failure.message, /invalid api key/);
    });

    it('ends a call that outlives its time budget with a timeout error', async () => {
      script = () => ({ hang: true });
      const started = Date.now();
      const failure = await failureOf(vendor.client(standIn.baseUrl, { timeoutMs: 300 }).complete(request));
      const elapsed = Date.now() - started;
      assert.equal(failure.failure, 'timeout');
      assert.match(failure.message, /did not answer within 300 ms/);
      assert.ok(elapsed >= 280 && elapsed < 2_000, `${elapsed} ms`);
    });

    it('retries network errors, then says the vendor could not be reached', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const failure = await failureOf(vendor.client(`http://127.0.0.1:${port}`).complete(request));
      assert.deepEqual([failure.failure, failure.details.attempts], ['network', 3]);
      assert.match(failure.message, /ECONNREFUSED/);
    });

    it('reports an answer in a shape it does not know as bad_response', async () => {
      script = () => ({ json: { unexpected: true } });
      assert.equal((await failureOf(vendor.client(standIn.baseUrl).complete(request))).failure, 'bad_response');
      script = () => ({ raw: '<html>gateway</html>' });
      assert.equal((await failureOf(vendor.client(standIn.baseUrl).complete(request))).failure, 'bad_response');
    });
  });
}
