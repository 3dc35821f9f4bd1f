import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

// How Chimera's MCP tools answer: the JSON in `structuredContent`, the same JSON as text for
// clients that only read text. A failure the caller should act on is a result with `isError`
// and a machine-readable code (seed 000 §5 error shape), not a protocol error.

export type ToolErrorBody = { code: string; message: string; retryable?: boolean; details?: Record<string, unknown> };

export function toolSuccess(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

export function toolFailure(error: ToolErrorBody): CallToolResult {
  const structured = { error };
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured, isError: true };
}
