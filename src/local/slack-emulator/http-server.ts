import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleResponseUrl } from './deliveries/commands.js';
import { dispatchApiCall } from './dispatch.js';
import { handleFileDownload, handleUpload } from './file-hosting.js';
import { sendJson } from './http-io.js';
import type { EmulatorState } from './state.js';
import type { WebApiMethods } from './web-api/params.js';

/**
 * Starts the emulator's HTTP server on 127.0.0.1 (the Web API, uploads, private file URLs and
 * response URLs), sets `state.baseUrl` once it listens, and resolves with the server.
 */
export async function startHttpServer(
  state: EmulatorState,
  methods: WebApiMethods,
  port: number,
): Promise<Server> {
  async function route(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', state.baseUrl);
    const path = url.pathname;
    if (path.startsWith('/api/')) {
      return dispatchApiCall(state, methods, path.slice('/api/'.length), request, response, url);
    }
    if (path.startsWith('/upload/v1/') && request.method === 'POST') {
      return handleUpload(state, path.slice('/upload/v1/'.length), request, response, url);
    }
    if (path.startsWith('/files-pri/') && request.method === 'GET')
      return handleFileDownload(state, path, request, response);
    if (path.startsWith('/commands/') && request.method === 'POST') {
      return handleResponseUrl(state, path.slice('/commands/'.length), request, response, url);
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  }

  const server: Server = createServer((request, response) => {
    route(request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: 'internal_error' });
      else response.end();
    });
  });
  // Outlive the clients' keep-alive, so a client never reuses a socket the server is closing.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return server;
}
