import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearer, parseParams, readBody } from './http-io.js';
import type { EmulatorState } from './state.js';
import type { EmulatedFile } from './types.js';

/**
 * Files as Slack hosts them: stored with a private URL that needs the bot token, and the upload
 * endpoint behind files.getUploadURLExternal.
 */

const EXTENSION_TYPES: Record<string, { filetype: string; mimetype: string }> = {
  csv: { filetype: 'csv', mimetype: 'text/csv' },
  tsv: { filetype: 'tsv', mimetype: 'text/tab-separated-values' },
  txt: { filetype: 'text', mimetype: 'text/plain' },
  png: { filetype: 'png', mimetype: 'image/png' },
  jpg: { filetype: 'jpg', mimetype: 'image/jpeg' },
  svg: { filetype: 'svg', mimetype: 'image/svg+xml' },
  json: { filetype: 'json', mimetype: 'application/json' },
  pdf: { filetype: 'pdf', mimetype: 'application/pdf' },
  xlsx: { filetype: 'xlsx', mimetype: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  zip: { filetype: 'zip', mimetype: 'application/zip' },
};

/** Slack answers a bad or missing token on a private file URL with its sign-in page, status 200. */
const LOGIN_PAGE =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Slack</title></head>' +
  '<body><h1>Sign in to your workspace</h1><form action="/signin" method="post">' +
  '<input type="email" name="email"><button type="submit">Continue</button></form></body></html>';

function typeOf(name: string) {
  const extension = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
  return EXTENSION_TYPES[extension] ?? { filetype: 'binary', mimetype: 'application/octet-stream' };
}

/** Stores a file (shared by no channel yet) under a private URL. */
export function createFile(
  state: EmulatorState,
  name: string,
  user: string,
  bytes: Uint8Array,
  extra: { id?: string; title?: string } = {},
): EmulatedFile {
  const { baseUrl, teamId } = state;
  const id = extra.id ?? state.nextId('F');
  const title = extra.title;
  const { filetype, mimetype } = typeOf(name);
  const safeName = encodeURIComponent(name);
  const file: EmulatedFile = {
    id,
    name,
    title: title ?? name,
    mimetype,
    filetype,
    size: bytes.byteLength,
    user,
    created: Math.floor(state.now() / 1000),
    channels: [],
    bytes,
    urlPrivate: `${baseUrl}/files-pri/${teamId}-${id}/${safeName}`,
    urlPrivateDownload: `${baseUrl}/files-pri/${teamId}-${id}/download/${safeName}`,
  };
  state.fileStore.set(id, file);
  return file;
}

/** POST /upload/v1/<id>: the bytes of an upload promised by files.getUploadURLExternal. */
export async function handleUpload(
  state: EmulatorState,
  id: string,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) {
  const pending = state.pendingUploads.get(id);
  const raw = await readBody(request);
  if (!pending) {
    response.writeHead(404, { 'content-type': 'text/plain' });
    return response.end('upload not found');
  }
  const type = request.headers['content-type'] ?? '';
  let bytes: Uint8Array = new Uint8Array(raw);
  if (type.includes('multipart/form-data')) {
    const params = await parseParams(request, raw, url);
    const part = Object.values(params).find((value) => value instanceof Uint8Array);
    bytes = part instanceof Uint8Array ? part : new Uint8Array(0);
  }
  pending.bytes = bytes;
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end(`OK - ${bytes.byteLength}`);
}

/**
 * GET /files-pri/…: a private file URL. Without the bot token, or when a `files.download` fault is
 * planned, the answer is the sign-in page.
 */
export function handleFileDownload(
  state: EmulatorState,
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const match = path.match(/^\/files-pri\/[^-/]+-([^/]+)\//);
  const file = match?.[1] ? state.fileStore.get(match[1]) : undefined;
  if (!file) {
    response.writeHead(404, { 'content-type': 'text/plain' });
    return response.end('file not found');
  }
  const authorized = bearer(request) === state.options.botToken;
  state.downloadLog.push({ fileId: file.id, authorized });
  state.activity.notify();
  if (!authorized || state.faults.take('files.download')) {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return response.end(LOGIN_PAGE);
  }
  response.writeHead(200, {
    'content-type': file.mimetype,
    'content-length': String(file.bytes.byteLength),
    'content-disposition': `attachment; filename="${encodeURIComponent(file.name)}"`,
  });
  response.end(file.bytes);
}
