/* eslint-disable @typescript-eslint/no-explicit-any -- test support that reads arbitrary vendor JSON, as the specs do */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnthropicChat } from './anthropicChat.ts';
import type { ChatClient, ChatTurn, VendorChatOptions } from './chatClient.ts';
import { GeminiChat } from './geminiChat.ts';
import { OpenAiChat } from './openAiChat.ts';

// Test support: stand-ins for the LLM vendors' HTTP APIs on 127.0.0.1. They are stand-ins, not
// the vendors — the real OpenAI, Anthropic and Gemini endpoints cannot be reached from this
// machine — built to each vendor's documented request and response shapes, so that the chat
// clients are exercised over real HTTP.

export type RecordedRequest = { method: string; path: string; headers: IncomingHttpHeaders; rawBody: string; body: any };
export type StandInAnswer = { status?: number; headers?: Record<string, string>; json?: unknown; raw?: string; hang?: boolean };
export type StandIn = { baseUrl: string; requests: RecordedRequest[]; close(): Promise<void> };

export async function startVendorStandIn(answer: (request: RecordedRequest, index: number) => StandInAnswer): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, body };
      requests.push(recorded);
      const reply = answer(recorded, requests.length - 1);
      if (reply.hang) return; // never answers: the client's timeout must end the wait
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.raw ?? JSON.stringify(reply.json ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type StandInVendor = {
  name: 'openai' | 'anthropic' | 'gemini';
  model: string;
  client(baseUrl: string, options?: Partial<VendorChatOptions>): ChatClient;
  // Checks path, headers and body fields against the vendor's API.
  assertRequest(request: RecordedRequest, expected: { json: boolean }): void;
  // The conversation turns the request carries, system prompt aside.
  turns(body: any): ChatTurn[];
  answer(text: string, usage: { input: number; output: number }): unknown;
  error(status: number, message: string): unknown;
};

const TEST_OPTIONS = { timeoutMs: 3_000, backoffMs: 5, maxAttempts: 3 };

export const STAND_IN_VENDORS: StandInVendor[] = [
  {
    name: 'openai',
    model: 'gpt-4o-mini',
    client: (baseUrl, options) => new OpenAiChat({ apiKey: 'sk-test-openai', model: 'gpt-4o-mini', baseUrl, ...TEST_OPTIONS, ...options }),
    assertRequest(request, { json }) {
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/v1/chat/completions');
      assert.equal(request.headers.authorization, 'Bearer sk-test-openai');
      assert.match(String(request.headers['content-type']), /^application\/json/);
      assert.equal(request.body.model, 'gpt-4o-mini');
      assert.equal(request.body.messages[0].role, 'system');
      assert.equal(typeof request.body.messages[0].content, 'string');
      assert.equal(request.body.messages[1].role, 'user');
      assert.equal(typeof request.body.temperature, 'number');
      assert.ok(Number.isInteger(request.body.max_tokens) && request.body.max_tokens > 0);
      assert.deepEqual(request.body.response_format, json ? { type: 'json_object' } : undefined);
    },
    turns: (body) => body.messages.slice(1).map((m: any) => ({ role: m.role, text: m.content })),
    answer: (text, usage) => ({
      id: 'chatcmpl-standin',
      object: 'chat.completion',
      created: 0,
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop' }],
      usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
    }),
    error: (status, message) => ({ error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'server_error', code: null } }),
  },
  {
    name: 'anthropic',
    model: 'claude-3-5-haiku-latest',
    client: (baseUrl, options) => new AnthropicChat({ apiKey: 'sk-ant-test', model: 'claude-3-5-haiku-latest', baseUrl, ...TEST_OPTIONS, ...options }),
    assertRequest(request) {
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/v1/messages');
      assert.equal(request.headers['x-api-key'], 'sk-ant-test');
      assert.equal(request.headers['anthropic-version'], '2023-06-01');
      assert.equal(request.headers.authorization, undefined);
      assert.equal(request.body.model, 'claude-3-5-haiku-latest');
      assert.ok(Number.isInteger(request.body.max_tokens) && request.body.max_tokens > 0);
      assert.equal(typeof request.body.system, 'string');
      assert.equal(request.body.messages[0].role, 'user');
      assert.ok(request.body.messages.every((m: any) => m.role === 'user' || m.role === 'assistant'));
    },
    turns: (body) => body.messages.map((m: any) => ({ role: m.role, text: m.content })),
    answer: (text, usage) => ({
      id: 'msg_standin',
      type: 'message',
      role: 'assistant',
      model: 'claude-3-5-haiku-20241022',
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: usage.input, output_tokens: usage.output },
    }),
    error: (status, message) => ({ type: 'error', error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message } }),
  },
  {
    name: 'gemini',
    model: 'gemini-2.0-flash',
    client: (baseUrl, options) => new GeminiChat({ apiKey: 'AIza-test', model: 'gemini-2.0-flash', baseUrl, ...TEST_OPTIONS, ...options }),
    assertRequest(request, { json }) {
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/v1beta/models/gemini-2.0-flash:generateContent');
      assert.equal(request.headers['x-goog-api-key'], 'AIza-test');
      assert.equal(typeof request.body.systemInstruction.parts[0].text, 'string');
      assert.equal(request.body.contents[0].role, 'user');
      assert.equal(typeof request.body.contents[0].parts[0].text, 'string');
      assert.ok(Number.isInteger(request.body.generationConfig.maxOutputTokens));
      assert.equal(typeof request.body.generationConfig.temperature, 'number');
      assert.equal(request.body.generationConfig.responseMimeType, json ? 'application/json' : undefined);
    },
    turns: (body) => body.contents.map((c: any) => ({ role: c.role === 'model' ? 'assistant' : 'user', text: c.parts[0].text })),
    answer: (text, usage) => ({
      candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: usage.input, candidatesTokenCount: usage.output, totalTokenCount: usage.input + usage.output },
      modelVersion: 'gemini-2.0-flash',
    }),
    error: (status, message) => ({ error: { code: status, message, status: status === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL' } }),
  },
];
