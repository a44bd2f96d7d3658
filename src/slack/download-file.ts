/**
 * Downloads a file shared in Slack (`url_private_download`) as a byte stream, with the size capped
 * while streaming so an oversized file is refused before it is held in memory.
 */
import { SegbotError, TooLargeError } from '../errors.js';

export interface DownloadOptions {
  url: string;
  /** The bot token; sent as a bearer token, never logged. */
  token: string;
  fileName: string;
  maxBytes: number;
  fetch: typeof fetch;
}

function formatMb(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}

function tooLarge(fileName: string, maxBytes: number, size?: number): TooLargeError {
  const actual = size !== undefined ? ` (${formatMb(size)})` : '';
  return new TooLargeError(
    `${fileName} is larger${actual} than the ${formatMb(maxBytes)} segbot accepts.`,
    'Upload fewer rows or columns (for example one month or one region at a time), or ask an admin to raise SEGBOT_MAX_UPLOAD_MB.',
  );
}

function tokenOrScopeError(fileName: string, detail: string): SegbotError {
  return new SegbotError(
    'slack_api',
    `Slack did not hand over ${fileName}: ${detail}.`,
    'This usually means the bot token is wrong or the app lacks the files:read scope. Ask an admin to check SLACK_BOT_TOKEN and add files:read under OAuth & Permissions, then reinstall the app.',
  );
}

const HTML_START = /^\s*(<!doctype html|<html|<head|<body)/i;

/** Whether the first bytes of a download look like a web page rather than data. */
export function looksLikeHtml(firstBytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(firstBytes.subarray(0, 512));
  return HTML_START.test(head.replace(/^\uFEFF/, ''));
}

/**
 * Starts the download and checks what Slack sent before any data is handed on: an error status or
 * an HTML page (Slack's sign-in page, returned on a wrong token or a missing files:read scope)
 * becomes a coded error; a declared or actual size above `maxBytes` becomes a TooLargeError.
 * Returns the body as chunks; the size check continues while they are read.
 */
export async function downloadSlackFile(options: DownloadOptions): Promise<AsyncIterable<Uint8Array>> {
  const { fileName, maxBytes } = options;
  let response: Response;
  try {
    response = await options.fetch(options.url, {
      headers: { Authorization: `Bearer ${options.token}` },
      redirect: 'follow',
    });
  } catch (error) {
    // A refusal by the fetch itself (a link outside Slack) already says what happened.
    if (error instanceof SegbotError) throw error;
    throw new SegbotError(
      'slack_api',
      `segbot could not download ${fileName} from Slack.`,
      'Please try again in a minute.',
    );
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw tokenOrScopeError(fileName, `access was refused (HTTP ${response.status})`);
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw new SegbotError(
      'not_found',
      `${fileName} is no longer available in Slack.`,
      'Share the file again.',
    );
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new SegbotError(
      'slack_api',
      `Slack answered HTTP ${response.status} when segbot downloaded ${fileName}.`,
      'Please try again in a minute.',
    );
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (/text\/html/i.test(contentType)) {
    await response.body.cancel();
    throw tokenOrScopeError(fileName, 'it sent a web page instead of the file');
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel();
    throw tooLarge(fileName, maxBytes, declared);
  }

  const reader = response.body.getReader();
  const first = await readCapped(reader, 0, maxBytes, fileName);
  if (first && looksLikeHtml(first.value)) {
    await reader.cancel();
    throw tokenOrScopeError(fileName, 'it sent a web page instead of the file');
  }
  return cappedChunks(reader, first, maxBytes, fileName);
}

async function readCapped(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  soFar: number,
  maxBytes: number,
  fileName: string,
): Promise<{ value: Uint8Array; total: number } | null> {
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return null;
    if (!value || value.byteLength === 0) continue;
    const total = soFar + value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(fileName, maxBytes);
    }
    return { value, total };
  }
}

async function* cappedChunks(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  first: { value: Uint8Array; total: number } | null,
  maxBytes: number,
  fileName: string,
): AsyncGenerator<Uint8Array> {
  let current = first;
  try {
    while (current) {
      yield current.value;
      current = await readCapped(reader, current.total, maxBytes, fileName);
    }
  } finally {
    // A consumer that stops early (a parse error) must not leave the connection open.
    if (current) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** Slack's host for private file downloads (`url_private_download`). */
export const SLACK_FILE_ORIGIN = 'https://files.slack.com';

/** Redirects followed by a file download before giving up (each one checked like the first URL). */
const MAX_REDIRECTS = 5;

export interface SlackFileFetchOptions {
  fetch: typeof fetch;
  /**
   * SLACK_API_URL when set (local mode and tests point it at the loopback Slack, which serves its
   * files from the same origin); its origin is allowed besides Slack's file host.
   */
  slackApiUrl: string | undefined;
}

/** The origins a file download (and so the bot token) may go to. */
export function slackFileOrigins(slackApiUrl: string | undefined): string[] {
  return slackApiUrl ? [SLACK_FILE_ORIGIN, new URL(slackApiUrl).origin] : [SLACK_FILE_ORIGIN];
}

/**
 * The fetch used for shared files, which carry the bot token: a URL (or a redirect) to any origin
 * but Slack's file host is refused before a request is made. A file event is signed by Slack, but
 * its `url_private_download` is data, and the token must only ever reach Slack.
 */
export function createSlackFileFetch(options: SlackFileFetchOptions): typeof fetch {
  const allowed = new Set(slackFileOrigins(options.slackApiUrl));
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    let url = new URL(input instanceof Request ? input.url : input);
    for (let hop = 0; ; hop += 1) {
      if (!allowed.has(url.origin)) throw foreignHostError();
      // Redirects by hand, so every hop is checked before the token is sent there.
      const response = await options.fetch(url, { ...init, redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) return response;
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw foreignHostError();
      url = new URL(location, url);
    }
  };
  return guarded as typeof fetch;
}

function foreignHostError(): SegbotError {
  return new SegbotError(
    'not_allowed',
    'segbot did not download this file: its download link points outside Slack, and segbot sends its Slack token only to Slack.',
    'Upload the file to Slack itself (drag it into the channel) rather than sharing a link to it.',
  );
}
