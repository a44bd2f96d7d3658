import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createMemoryRequestLedger } from '../../../db/repositories/request-ledger.js';
import { signSlackRequest } from '../../../src/local/sign-request.js';
import {
  NOT_A_PAYLOAD_MESSAGE,
  type ReceiverGuardOptions,
  screenRequest,
} from '../../../src/slack/receiver-guard.js';
import { createRecordingLogger } from '../../helpers/command-args.js';

const SECRET = 'guard-secret';
const NOW_MS = Date.UTC(2026, 5, 1, 12);
const NOW_S = NOW_MS / 1000;
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const COMMAND = new URLSearchParams({ command: '/segbot', text: 'forget', channel_id: 'C1' }).toString();

/** A request as Node's HTTP server hands it over: a stream of the body plus headers. */
function request(
  body: string,
  contentType: string,
  options: { at?: number; headers?: Record<string, string> } = {},
): IncomingMessage {
  const signed = signSlackRequest(SECRET, body, options.at ?? NOW_S);
  const incoming = Readable.from([Buffer.from(body)]) as IncomingMessage;
  incoming.headers = { 'content-type': contentType, ...signed, ...options.headers };
  incoming.method = 'POST';
  incoming.url = '/slack/events';
  return incoming;
}

function guardOptions(overrides: Partial<ReceiverGuardOptions> = {}): ReceiverGuardOptions {
  return {
    signingSecret: SECRET,
    endpoint: '/slack/events',
    ledger: createMemoryRequestLedger({ now: () => new Date(NOW_MS) }),
    logger: createRecordingLogger(),
    nowMs: () => NOW_MS,
    ...overrides,
  };
}

describe('screenRequest', () => {
  it('passes a signed slash command once; the same signed request again is a duplicate', async () => {
    const options = guardOptions();
    expect(await screenRequest(request(COMMAND, FORM), options)).toEqual({ kind: 'pass' });
    expect(await screenRequest(request(COMMAND, FORM), options)).toEqual({
      kind: 'duplicate',
      what: 'command',
    });
    // The same words typed again a second later are a new request with a new signature.
    expect(await screenRequest(request(COMMAND, FORM, { at: NOW_S + 1 }), options)).toEqual({ kind: 'pass' });
  });

  it('treats a replayed interaction payload like a replayed command', async () => {
    const options = guardOptions();
    const body = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', actions: [] }))}`;
    await screenRequest(request(body, FORM), options);
    expect(await screenRequest(request(body, FORM), options)).toEqual({
      kind: 'duplicate',
      what: 'interaction',
    });
  });

  it('leaves events to the event-id check (Slack signs each retry anew)', async () => {
    const options = guardOptions();
    const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev1', event: { type: 'app_mention' } });
    expect(await screenRequest(request(body, JSON_TYPE), options)).toEqual({ kind: 'pass' });
    expect(await screenRequest(request(body, JSON_TYPE), options)).toEqual({ kind: 'pass' });
  });

  it('refuses timestamps more than five minutes ahead or behind, and accepts four minutes ahead', async () => {
    const options = guardOptions();
    for (const offset of [6 * 60, 24 * 60 * 60, -6 * 60]) {
      const verdict = await screenRequest(request(COMMAND, FORM, { at: NOW_S + offset }), options);
      expect(verdict).toMatchObject({ kind: 'refuse', status: 401 });
    }
    expect(await screenRequest(request(COMMAND, FORM, { at: NOW_S + 4 * 60 }), options)).toEqual({
      kind: 'pass',
    });
  });

  it('refuses a bad or missing signature without claiming anything', async () => {
    const options = guardOptions();
    const forged = request(COMMAND, FORM, { headers: { 'x-slack-signature': `v0=${'0'.repeat(64)}` } });
    expect(await screenRequest(forged, options)).toMatchObject({ kind: 'refuse', status: 401 });
    const unsigned = request(COMMAND, FORM, { headers: { 'x-slack-signature': '' } });
    expect(await screenRequest(unsigned, options)).toMatchObject({ kind: 'refuse', status: 401 });
    expect(await screenRequest(request(COMMAND, FORM), options)).toEqual({ kind: 'pass' });
  });

  it('refuses signed bodies that are not objects with 400 and a message saying what is expected', async () => {
    const options = guardOptions();
    for (const [body, type] of [
      ['null', JSON_TYPE],
      ['payload=null', FORM],
      ['[1,2]', JSON_TYPE],
      ['true', JSON_TYPE],
      ['{not json', JSON_TYPE],
    ] as const) {
      expect(await screenRequest(request(body, type), options)).toMatchObject({
        kind: 'refuse',
        status: 400,
        message: NOT_A_PAYLOAD_MESSAGE,
      });
    }
  });

  it('lets Slack’s unsigned SSL check through to Bolt, which answers it', async () => {
    const check = request('ssl_check=1&token=x', FORM, { headers: { 'x-slack-signature': '' } });
    expect(await screenRequest(check, guardOptions())).toEqual({ kind: 'pass' });
  });

  it('refuses a body over the limit with 413', async () => {
    const verdict = await screenRequest(request(COMMAND, FORM), guardOptions({ bodyLimit: 10 }));
    expect(verdict).toMatchObject({ kind: 'refuse', status: 413 });
  });
});
