/**
 * Slack retries an event it thinks was not received (no answer in 3 s, a restart), each time with
 * the same `event_id` and an `X-Slack-Retry-Num` header; in Socket Mode as well. The work behind an
 * event (an import, an answer) must happen once, so the first delivery claims the id and later
 * ones stop here, already acknowledged by Bolt.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { RequestLedger } from '../../db/repositories/request-ledger.js';
import type { Logger } from '../logger.js';

/**
 * How long an event id is remembered. Slack retries three times within about five minutes; an
 * hour leaves room for a slow retry after a restart.
 */
export const EVENT_ID_TTL_MS = 60 * 60 * 1000;

export interface DedupeEventsOptions {
  ledger: RequestLedger;
  logger: Pick<Logger, 'info'>;
  /** Wall-clock milliseconds. */
  nowMs?: () => number;
}

/** A global Bolt middleware that lets each `event_id` through once. */
export function createEventDeduper(options: DedupeEventsOptions): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    if (await isFirstDelivery(body, options)) await next();
  };
}

/**
 * Whether this request body is to be worked on: true for anything without an event id and for
 * the first delivery of an event; false (and logged) for a repeat.
 */
export async function isFirstDelivery(body: unknown, options: DedupeEventsOptions): Promise<boolean> {
  const eventId = eventIdOf(body);
  if (eventId === undefined) return true;
  const expiresAt = new Date((options.nowMs?.() ?? Date.now()) + EVENT_ID_TTL_MS);
  if (await options.ledger.claim(`event:${eventId}`, expiresAt)) return true;
  options.logger.info({ eventId }, 'an event delivered again was ignored');
  return false;
}

function eventIdOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const id = (body as { event_id?: unknown }).event_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
