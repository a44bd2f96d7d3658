/**
 * A screen in front of Bolt's HTTPReceiver for the requests Slack posts to the events path. Bolt
 * trusts a verified body to be an object (a signed `null` kills the process inside the receiver),
 * accepts timestamps from the future, and has no memory of requests it has seen. The screen:
 *
 * 1. reads the body once, with Bolt's own reader and limit (Bolt reuses the buffered body);
 * 2. verifies the signature with Bolt's `verifySlackRequest`, and also refuses timestamps more
 *    than five minutes ahead, which Bolt lets through;
 * 3. refuses with 400 a body that does not parse to an object, before Bolt looks at it;
 * 4. answers a slash command or interaction whose signature it has already seen with an empty 200
 *    and drops it: a captured request replayed within the five minutes does nothing.
 *
 * Everything else, including Slack's unsigned `ssl_check`, goes to Bolt unchanged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type BufferedIncomingMessage,
  HTTPModuleFunctions,
  type HTTPReceiver,
  isRawBodyError,
  verifySlackRequest,
} from '@slack/bolt';
import type { RequestLedger } from '../../db/repositories/request-ledger.js';
import type { Logger } from '../logger.js';
import { safeErrorFields } from './report-error.js';

/** How far a request's timestamp may be from now, either way (Slack's rule for replays). */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/** What a body that is not a Slack payload is told. */
export const NOT_A_PAYLOAD_MESSAGE =
  'segbot could not read this request: the body must be a JSON object, or form fields (with a JSON object in `payload`).';

export interface ReceiverGuardOptions {
  signingSecret: string;
  /** The path Slack posts to; other paths go straight to Bolt. */
  endpoint: string;
  ledger: RequestLedger;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Wall-clock milliseconds (signatures follow real time, not the app's movable clock). */
  nowMs?: () => number;
  /** Largest body read, in bytes (default: Bolt's). */
  bodyLimit?: number;
}

/** What the screen decided about one request; `pass` hands it to Bolt. */
export type Verdict =
  | { kind: 'pass' }
  | { kind: 'refuse'; status: number; reason: string; message?: string }
  | { kind: 'duplicate'; what: string };

/**
 * Puts the screen in front of `receiver`'s request listener. Call before `receiver.start()`.
 * Uses the receiver's public `requestListener`, which its server looks up on every request.
 */
export function guardHttpReceiver(receiver: HTTPReceiver, options: ReceiverGuardOptions): void {
  const inner = receiver.requestListener;
  receiver.requestListener = (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    // Other paths (health check, 404s) stay synchronous: Bolt's server catches what they throw.
    if (path !== options.endpoint || request.method !== 'POST') return inner(request, response);
    screenRequest(request, options)
      .then((verdict) => {
        if (verdict.kind === 'pass') return inner(request, response);
        answer(response, verdict, options.logger);
      })
      .catch((error: unknown) => {
        options.logger.error(safeErrorFields(error, 'receiver guard'), 'a request could not be screened');
        if (!response.headersSent) answer(response, { kind: 'refuse', status: 500, reason: 'error' });
      });
  };
}

function answer(response: ServerResponse, verdict: Verdict, logger?: ReceiverGuardOptions['logger']): void {
  if (verdict.kind === 'duplicate') {
    // 200, so Slack does not retry a delivery segbot already has.
    logger?.info({ what: verdict.what }, 'a request already received was ignored');
    response.writeHead(200);
    response.end();
    return;
  }
  if (verdict.kind === 'refuse') {
    logger?.warn({ status: verdict.status, reason: verdict.reason }, 'a request was refused');
    if (verdict.message) {
      response.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(verdict.message);
    } else {
      response.writeHead(verdict.status);
      response.end();
    }
  }
}

/** Decides what happens to one POST to the events path (exported for unit tests). */
export async function screenRequest(
  request: IncomingMessage,
  options: ReceiverGuardOptions,
): Promise<Verdict> {
  const nowMs = options.nowMs?.() ?? Date.now();
  let buffered: BufferedIncomingMessage;
  try {
    buffered = await HTTPModuleFunctions.bufferIncomingMessage(
      request,
      options.bodyLimit ?? HTTPModuleFunctions.defaultBodyLimit,
    );
  } catch (error) {
    if (isRawBodyError(error) && (error as { statusCode?: number }).statusCode === 413) {
      return { kind: 'refuse', status: 413, reason: 'body too large' };
    }
    return { kind: 'refuse', status: 400, reason: 'body unreadable' };
  }
  const rawBody = buffered.rawBody.toString();
  const contentType = request.headers['content-type'];
  // Slack's unsigned SSL check: Bolt answers it and strips anything else from the body.
  if (
    contentType === 'application/x-www-form-urlencoded' &&
    new URLSearchParams(rawBody).get('ssl_check') === '1'
  ) {
    return { kind: 'pass' };
  }

  const signature = singleHeader(request, 'x-slack-signature');
  const timestamp = Number(singleHeader(request, 'x-slack-request-timestamp'));
  if (signature === undefined || !Number.isFinite(timestamp)) {
    return { kind: 'refuse', status: 401, reason: 'unsigned' };
  }
  try {
    verifySlackRequest({
      signingSecret: options.signingSecret,
      body: rawBody,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: nowMs,
    });
  } catch {
    return { kind: 'refuse', status: 401, reason: 'signature or stale timestamp' };
  }
  // Bolt checks staleness only; a request dated ahead would stay replayable for longer.
  if (timestamp > Math.floor(nowMs / 1000) + MAX_CLOCK_SKEW_SECONDS) {
    return { kind: 'refuse', status: 401, reason: 'timestamp in the future' };
  }

  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
  } catch {
    return { kind: 'refuse', status: 400, reason: 'body not parsable', message: NOT_A_PAYLOAD_MESSAGE };
  }
  if (!isObject(body)) {
    return { kind: 'refuse', status: 400, reason: 'body not an object', message: NOT_A_PAYLOAD_MESSAGE };
  }

  const what = replayableKind(body);
  if (what === undefined) return { kind: 'pass' };
  // The signature covers the timestamp and the body: the same value means the very same request.
  // It needs remembering only until the timestamp goes stale, after which Bolt refuses it anyway.
  const expiresAt = new Date((timestamp + MAX_CLOCK_SKEW_SECONDS + 60) * 1000);
  const first = await options.ledger.claim(`signature:${signature}`, expiresAt);
  return first ? { kind: 'pass' } : { kind: 'duplicate', what };
}

/**
 * Slash commands and interactions act when they arrive, so a replay would act again. Events are
 * deduplicated by their `event_id` in the app instead (Slack's retries are signed anew), and URL
 * verification does nothing.
 */
function replayableKind(body: Record<string, unknown>): string | undefined {
  if (typeof body['command'] === 'string') return 'command';
  const type = body['type'];
  if (type === 'event_callback' || type === 'url_verification' || type === 'app_rate_limited') {
    return undefined;
  }
  return 'interaction';
}

function singleHeader(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
