import { createHmac } from 'node:crypto';

/** The two headers Slack adds to every request it sends to an app. */
export interface SlackSignatureHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

/**
 * Signs a request body exactly as Slack does: HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with
 * the app's signing secret, hex-encoded and prefixed with `v0=`. The timestamp is in whole seconds.
 */
export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestampSeconds: number,
): SlackSignatureHeaders {
  const timestamp = String(Math.floor(timestampSeconds));
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${digest}` };
}
