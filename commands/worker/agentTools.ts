import { McpToolClient } from '../../adapters/mcp/mcpToolClient.ts';
import type { McpServer } from '../../domain/agent/agentEvents.ts';

// Which MCP server a worker calls a tool on, for one agent: the server the task names, else
// the first server registered for the agent that allows the tool, else the default server
// (the sandbox platform, or CHIMERA_MCP_URL). A registered server is only ever asked for the
// tools its allowlist names; the client refuses others without calling.
export class AgentTools {
  private readonly clients = new Map<string, McpToolClient>();

  constructor(readonly fallback: McpToolClient) {}

  clientFor(servers: McpServer[], tool: string, named?: string): McpToolClient {
    const server = named !== undefined ? servers.find((s) => s.name === named) : servers.find((s) => s.allowed_tools.includes(tool));
    if (!server) return this.fallback;
    const key = `${server.name}|${server.url}|${server.allowed_tools.join(',')}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new McpToolClient({ name: server.name, url: server.url, allowedTools: server.allowed_tools });
      this.clients.set(key, client);
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
  }
}
