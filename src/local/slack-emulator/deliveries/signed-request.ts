import { signSlackRequest } from '../../sign-request.js';
import type { EmulatorState } from '../state.js';
import type { Delivery } from '../types.js';

/** A request to the app's receiver, as Slack sends it. */
export interface SignedRequest {
  body: string;
  contentType: string;
  /** Defaults to now (wall clock, as Slack's signatures). */
  timestampSeconds?: number;
  /** Replaces the computed signature (for signature tests). */
  signature?: string;
}

/** Posts `request` to the app's events URL with Slack's signature headers; resolves with its answer. */
export async function sendSigned(state: EmulatorState, request: SignedRequest): Promise<Delivery> {
  const { eventsUrl } = state;
  if (!eventsUrl) throw new Error('The emulator has no events URL yet; call setEventsUrl first.');
  const headers = signSlackRequest(
    state.options.signingSecret,
    request.body,
    request.timestampSeconds ?? Date.now() / 1000,
  );
  if (request.signature !== undefined) headers['x-slack-signature'] = request.signature;
  const started = performance.now();
  const response = await fetch(eventsUrl, {
    method: 'POST',
    headers: { 'content-type': request.contentType, ...headers },
    body: request.body,
    signal: AbortSignal.timeout(30_000),
  });
  const body = await response.text();
  return { status: response.status, body, ackMs: performance.now() - started };
}
