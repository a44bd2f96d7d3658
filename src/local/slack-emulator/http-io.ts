import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request and response plumbing shared by the emulator's endpoints. */

/** Web API parameters, from the query string and a JSON, multipart or form-encoded body. */
export type Params = Record<string, unknown>;

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function parseParams(request: IncomingMessage, raw: Buffer, url: URL): Promise<Params> {
  const params: Params = Object.fromEntries(url.searchParams);
  const type = request.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    Object.assign(params, raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {});
  } else if (type.includes('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    for (const [key, value] of form) {
      params[key] = typeof value === 'string' ? value : new Uint8Array(await value.arrayBuffer());
    }
  } else if (raw.length > 0) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
  }
  return params;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

export function bearer(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}
