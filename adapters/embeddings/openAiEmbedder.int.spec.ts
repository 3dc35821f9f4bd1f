import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { readConfig } from '../../config.ts';
import { EmbedderUnavailable } from './embedder.ts';
import { LocalEmbedder } from './localEmbedder.ts';
import { OpenAiEmbedder } from './openAiEmbedder.ts';

// The OpenAI-compatible adapter over real HTTP. The server on 127.0.0.1 is a stand-in for a
// vendor's /v1/embeddings endpoint (none can be reached from this machine), built to OpenAI's
// documented request and answer shapes, that embeds with the local model: so the adapter must
// give exactly the local model's vectors.

const MODEL = 'sentence-transformers/all-MiniLM-L6-v2';
type Recorded = { path: string; headers: IncomingHttpHeaders; body: any };
type Reply = { status?: number; raw?: string; json?: unknown; hang?: boolean } | 'embed';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function unavailable(promise: Promise<unknown>): Promise<EmbedderUnavailable> {
  const error = await promise.then(
    () => assert.fail('expected EmbedderUnavailable'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof EmbedderUnavailable, String(error));
  return error;
}

describe('OpenAiEmbedder against a stand-in /v1/embeddings server', () => {
  const local = new LocalEmbedder({ modelDir: readConfig().embeddings.modelDir });
  const requests: Recorded[] = [];
  let reply: (body: any) => Reply = () => 'embed';
  let baseUrl: string;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      const r = reply(body);
      if (r !== 'embed' && r.hang) return; // never answers: the adapter's timeout must end the wait
      if (r === 'embed') {
        const vectors = await local.embed(body.input);
        // Listed in reverse: the adapter must order by `index`, not by position.
        const data = vectors.map((v, index) => ({ object: 'embedding', index, embedding: Array.from(v) })).reverse();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
        return;
      }
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
      res.end(r.raw ?? JSON.stringify(r.json ?? {}));
    });
  });
  const embedder = (options: Partial<ConstructorParameters<typeof OpenAiEmbedder>[0]> = {}) =>
    new OpenAiEmbedder({ baseUrl, model: MODEL, apiKey: 'sk-test-embeddings', timeoutMs: 2_000, dimension: 384, ...options });

  before(async () => {
    await local.load();
    baseUrl = await listen(server);
  });
  beforeEach(() => {
    requests.splice(0);
    reply = () => 'embed';
  });
  after(async () => {
    await stop(server);
    await local.close();
  });

  it('sends the OpenAI request and returns the local model’s vectors, in the order of the texts', async () => {
    const texts = ['The cat sat on the mat.', 'A kitten is resting on the rug.', 'Interest rates rose again this quarter.'];
    const remote = await embedder().embed(texts);
    const expected = await local.embed(texts);
    assert.equal(remote.length, 3);
    remote.forEach((v, i) => {
      assert.equal(v.length, 384);
      const worst = Math.max(...v.map((x, d) => Math.abs(x - expected[i]![d]!)));
      assert.ok(worst < 1e-6, `text ${i}: largest difference ${worst}`);
    });
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.path, '/v1/embeddings');
    assert.equal(requests[0]!.headers.authorization, 'Bearer sk-test-embeddings');
    assert.match(String(requests[0]!.headers['content-type']), /^application\/json/);
    assert.deepEqual(requests[0]!.body, { model: MODEL, input: texts });
  });

  it('takes a base URL that already ends in /v1, and sends no Authorization without a key', async () => {
    await embedder({ baseUrl: `${baseUrl}/v1/`, apiKey: undefined }).embed(['hi']);
    assert.equal(requests[0]!.path, '/v1/embeddings');
    assert.equal(requests[0]!.headers.authorization, undefined);
  });

  it('is up when the server answers, and asks nothing for no texts', async () => {
    const e = embedder();
    assert.deepEqual(await e.health(), { status: 'up', model_id: MODEL, detail: `${baseUrl}/v1/embeddings` });
    assert.deepEqual(requests[0]!.body.input, ['ping']);
    assert.deepEqual(await e.embed([]), []);
    assert.equal(requests.length, 1);
  });

  it('rejects malformed answers with EmbedderUnavailable', async () => {
    const vector = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0));
    const cases: Array<[Reply, RegExp]> = [
      [{ raw: '<html>gateway</html>' }, /not JSON/],
      [{ json: { embeddings: [vector(384)] } }, /unexpected answer shape \(data/],
      [{ json: { data: [{ index: 0, embedding: ['a'] }] } }, /unexpected answer shape/],
      [{ json: { data: [{ index: 0, embedding: vector(1536) }], model: MODEL } }, /1536 dimensions, not 384/],
      [{ json: { data: [], model: MODEL } }, /0 embedding\(s\).*for 1 text/],
      [{ json: { data: [{ index: 3, embedding: vector(384) }], model: MODEL } }, /no embedding with index 0/],
      [{ json: { data: [{ index: 0, embedding: vector(384).map(() => 0) }], model: MODEL } }, /zero or non-finite/],
      [{ status: 500, json: { error: { message: 'model overloaded', type: 'server_error' } } }, /HTTP 500: model overloaded/],
      [{ status: 401, json: { error: { message: 'Incorrect API key provided' } } }, /HTTP 401: Incorrect API key/],
    ];
    for (const [answer, reason] of cases) {
      reply = () => answer;
      const error = await unavailable(embedder().embed(['hello']));
      assert.match(error.reason, reason);
    }
    reply = () => cases[0]![0];
    assert.equal((await embedder().health()).status, 'down');
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    reply = () => ({ hang: true });
    const started = Date.now();
    const error = await unavailable(embedder({ timeoutMs: 300 }).embed(['hello']));
    const waited = Date.now() - started;
    assert.match(error.reason, /did not answer within 300 ms/);
    assert.ok(waited >= 290 && waited < 1_500, `waited ${waited} ms`);
    const health = await embedder({ timeoutMs: 300 }).health();
    assert.equal(health.status, 'down');
  });

  it('refuses calls once closed, also one under way', async () => {
    reply = () => ({ hang: true });
    const e = embedder();
    const pending = e.embed(['hello']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await e.close();
    assert.match((await unavailable(pending)).reason, /closed during the call/);
    assert.match((await unavailable(e.embed(['again']))).reason, /closed/);
  });
});

describe('OpenAiEmbedder with nothing listening', () => {
  it('fails fast with EmbedderUnavailable, within the timeout, and is down', async () => {
    // A port that was just ours and is closed now: nothing listens there.
    const server = createServer();
    const closedUrl = await listen(server);
    await stop(server);
    const e = new OpenAiEmbedder({ baseUrl: closedUrl, model: MODEL, timeoutMs: 1_000, dimension: 384 });
    const started = Date.now();
    const error = await unavailable(e.embed(['hello']));
    assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
    assert.match(error.reason, /cannot reach .*ECONNREFUSED/);
    const health = await e.health();
    assert.equal(health.status, 'down');
    assert.match(health.detail ?? '', /ECONNREFUSED/);
  });
});
