import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express, Request, Response } from 'express';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

// MCP over Streamable HTTP, stateless: every POST gets a fresh server and transport (as the
// SDK's stateless example does), so any process behind the URL can answer any request and
// nothing is kept between requests but what the factory's servers share (the platform).

export type McpServerFactory = () => McpServer;
export type ServedMcp = { url: string; close(): Promise<void> };
export type ServeMcpOptions = { path?: string; onError?: (error: unknown) => void };

function rpcError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

// Adds the MCP endpoint to an existing express app (which must parse JSON bodies).
export function mountMcp(app: Express, factory: McpServerFactory, options: ServeMcpOptions = {}): void {
  const path = options.path ?? '/mcp';
  const onError = options.onError ?? ((error: unknown) => console.error('MCP request failed:', error));
  app.post(path, async (req: Request, res: Response) => {
    const server = factory();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (error) {
      onError(error);
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal server error');
    }
  });
  // No sessions, so no server-initiated stream to GET and nothing to DELETE.
  app.get(path, (_req, res) => rpcError(res, 405, -32000, 'Method not allowed.'));
  app.delete(path, (_req, res) => rpcError(res, 405, -32000, 'Method not allowed.'));
}

export function serveMcp(factory: McpServerFactory, options: ServeMcpOptions = {}) {
  return {
    // Port 0 picks a free port; the URL says which.
    listen(port = 0, host = '127.0.0.1'): Promise<ServedMcp> {
      const app = createMcpExpressApp({ host });
      mountMcp(app, factory, options);
      return new Promise((resolve, reject) => {
        const server: Server = app.listen(port, host);
        server.once('error', reject);
        server.once('listening', () => {
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({
            url: `http://${shownHost}:${address.port}${options.path ?? '/mcp'}`,
            close: () => new Promise<void>((done, fail) => {
              server.close((error) => (error ? fail(error) : done()));
              // Requests still running (a slow tool) would hold close() open.
              server.closeAllConnections();
            }),
          });
        });
      });
    },
  };
}
