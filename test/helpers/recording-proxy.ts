/**
 * A man in the middle for replay tests: sits between the emulator and the app's request URL,
 * forwards every request unchanged and keeps a copy (body and Slack headers), so a test can send a
 * captured request again, exactly as captured or re-signed as Slack's retries are.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signSlackRequest } from '../../src/local/sign-request.js';

export interface CapturedRequest {
  body: string;
  contentType: string;
  /** x-slack-signature and x-slack-request-timestamp as sent. */
  signature: string;
  timestamp: string;
}

export interface Answer {
  status: number;
  body: string;
}

export interface RecordingProxy {
  /** Give this to `emulator.setEventsUrl`. */
  url: string;
  captured: CapturedRequest[];
  /** Sends a captured request to the app again, byte for byte (a replay attack). */
  replay(request: CapturedRequest): Promise<Answer>;
  close(): Promise<void>;
}

/** Starts the proxy on 127.0.0.1 in front of `target` (the app's events URL). */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const captured: CapturedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const copy: CapturedRequest = {
        body: Buffer.concat(chunks).toString('utf8'),
        contentType: String(request.headers['content-type'] ?? ''),
        signature: String(request.headers['x-slack-signature'] ?? ''),
        timestamp: String(request.headers['x-slack-request-timestamp'] ?? ''),
      };
      captured.push(copy);
      send(target, copy).then(
        (answer) => {
          response.writeHead(answer.status, { 'content-type': 'text/plain' });
          response.end(answer.body);
        },
        () => {
          response.writeHead(502);
          response.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    captured,
    replay: (request) => send(target, request),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Posts a request with its Slack headers (and any extra, like X-Slack-Retry-Num). */
export async function send(
  url: string,
  request: CapturedRequest,
  extraHeaders: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': request.contentType,
      'x-slack-signature': request.signature,
      'x-slack-request-timestamp': request.timestamp,
      ...extraHeaders,
    },
    body: request.body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: await response.text() };
}

/** A body signed now, as Slack signs each retry of an event afresh. */
export function signedNow(signingSecret: string, body: string, contentType: string): CapturedRequest {
  const headers = signSlackRequest(signingSecret, body, Date.now() / 1000);
  return {
    body,
    contentType,
    signature: headers['x-slack-signature'],
    timestamp: headers['x-slack-request-timestamp'],
  };
}
