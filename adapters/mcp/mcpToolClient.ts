import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

// The worker's side of MCP: one client per registered server, connected on first use and
// again after a transport failure. Every expected failure (refused, slow, unreachable, the
// tool said no, bad input) is a value with a code the worker can route on (seed 001 §6).

export type McpServerRegistration = { name: string; url: string; allowedTools?: string[] };

export type McpFailureCode = 'tool_not_allowed' | 'E2001' | 'E1002' | 'tool_error' | 'invalid_input' | 'resource_not_found';
export type McpFailure = { code: McpFailureCode; message: string; retryable: boolean; details?: Record<string, unknown> };
type Failed = { ok: false; error: McpFailure };

export type ToolCallOutcome = { ok: true; structured: Record<string, unknown> | undefined; text: string } | Failed;
export type McpToolInfo = { name: string; description?: string; inputSchema: unknown };
export type McpResourceInfo = { uri: string; name: string; description?: string; mimeType?: string };
export type ListToolsOutcome = { ok: true; tools: McpToolInfo[] } | Failed;
export type ListResourcesOutcome = { ok: true; resources: McpResourceInfo[] } | Failed;
// `json` is the parsed text when the resource is JSON, otherwise undefined.
export type ReadResourceOutcome = { ok: true; uri: string; mimeType?: string; text: string; json: unknown } | Failed;

export type CallOptions = { timeoutMs?: number };

const DEFAULT_TIMEOUT_MS = 60_000;
const CLIENT_INFO = { name: 'chimera-worker', version: '1.0.0' };

type ToolErrorBody = { code?: unknown; message?: unknown; retryable?: unknown; details?: unknown };

export class McpToolClient {
  private connection: Promise<Client> | null = null;

  constructor(readonly registration: McpServerRegistration) {}

  async callTool(name: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<ToolCallOutcome> {
    const allowed = this.registration.allowedTools;
    if (allowed && !allowed.includes(name)) {
      return failed('tool_not_allowed', `tool ${name} is not allowed on MCP server ${this.registration.name}`, false);
    }
    return this.run(options.timeoutMs, async (client, timeout) => {
      const result = await client.callTool({ name, arguments: args }, undefined, { timeout });
      const text = (Array.isArray(result.content) ? result.content : [])
        .flatMap((part: { type: string; text?: string }) => (part.type === 'text' && part.text !== undefined ? [part.text] : []))
        .join('\n');
      const structured = result.structuredContent as Record<string, unknown> | undefined;
      if (!result.isError) return { ok: true, structured, text };
      return toolFailure(name, structured?.error as ToolErrorBody | undefined, text);
    });
  }

  // The server's tools this client may call.
  async listTools(options: CallOptions = {}): Promise<ListToolsOutcome> {
    return this.run(options.timeoutMs, async (client, timeout) => {
      const { tools } = await client.listTools(undefined, { timeout });
      const allowed = this.registration.allowedTools;
      return {
        ok: true,
        tools: tools
          .filter((t) => !allowed || allowed.includes(t.name))
          .map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
      };
    });
  }

  async listResources(options: CallOptions = {}): Promise<ListResourcesOutcome> {
    return this.run(options.timeoutMs, async (client, timeout) => {
      const { resources } = await client.listResources(undefined, { timeout });
      return { ok: true, resources: resources.map((r) => ({ uri: r.uri, name: r.name, description: r.description, mimeType: r.mimeType })) };
    });
  }

  async readResource(uri: string, options: CallOptions = {}): Promise<ReadResourceOutcome> {
    return this.run(options.timeoutMs, async (client, timeout) => {
      const { contents } = await client.readResource({ uri }, { timeout });
      const first = contents[0];
      const text = first && 'text' in first && typeof first.text === 'string' ? first.text : '';
      let json: unknown;
      if (first?.mimeType === 'application/json') {
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
      }
      return { ok: true, uri: first?.uri ?? uri, mimeType: first?.mimeType, text, json };
    });
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    if (connection) await connection.then((client) => client.close(), () => undefined);
  }

  // Connects if needed and runs `work` within one deadline for both.
  private async run<T>(timeoutMs: number | undefined, work: (client: Client, timeout: number) => Promise<T>): Promise<T | Failed> {
    const budget = timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = performance.now();
    try {
      const client = await this.connect(budget);
      return await work(client, Math.max(1, budget - (performance.now() - started)));
    } catch (error) {
      const failure = failureOf(error, this.registration);
      // A broken transport is dropped; the next call connects afresh.
      if (failure.code === 'E1002') await this.close();
      return { ok: false, error: failure };
    }
  }

  private connect(timeout: number): Promise<Client> {
    if (!this.connection) {
      const client = new Client(CLIENT_INFO);
      const transport = new StreamableHTTPClientTransport(new URL(this.registration.url));
      const connection: Promise<Client> = client.connect(transport, { timeout }).then(
        () => client,
        async (error: unknown) => {
          if (this.connection === connection) this.connection = null;
          await client.close().catch(() => undefined);
          throw error;
        },
      );
      this.connection = connection;
    }
    return this.connection;
  }
}

function failed(code: McpFailureCode, message: string, retryable: boolean, details?: Record<string, unknown>): Failed {
  return { ok: false, error: details ? { code, message, retryable, details } : { code, message, retryable } };
}

function toolFailure(tool: string, body: ToolErrorBody | undefined, text: string): Failed {
  if (body && typeof body.code === 'string') {
    const details: Record<string, unknown> = { tool, code: body.code };
    if (body.details !== undefined) details.details = body.details;
    return failed('tool_error', typeof body.message === 'string' ? body.message : text, body.retryable === true, details);
  }
  // The SDK reports bad arguments and unknown tools as error results carrying only text.
  if (text.includes('Input validation error')) return failed('invalid_input', text, false, { tool });
  if (/Tool \S+ not found/.test(text)) return failed('tool_error', text, false, { tool, code: 'unknown_tool' });
  return failed('tool_error', text, false, { tool, code: 'internal_error' });
}

function failureOf(error: unknown, server: McpServerRegistration): McpFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof McpError) {
    if (error.code === ErrorCode.RequestTimeout) return { code: 'E2001', message: `MCP server ${server.name} timed out: ${message}`, retryable: true };
    if (error.code === ErrorCode.InvalidParams && message.includes('Input validation error')) return { code: 'invalid_input', message, retryable: false };
    if (error.code === ErrorCode.InvalidParams && /Resource .* not found/.test(message)) return { code: 'resource_not_found', message, retryable: false };
    if (error.code !== ErrorCode.ConnectionClosed) return { code: 'tool_error', message, retryable: false, details: { rpc_code: error.code } };
  }
  // Anything else is the transport: refused connection, HTTP error status, closed stream.
  return { code: 'E1002', message: `MCP server ${server.name} at ${server.url} unavailable: ${message}`, retryable: true };
}
