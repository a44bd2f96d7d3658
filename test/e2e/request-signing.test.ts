import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/local/sign-request.js';
import { type E2EHarness, startE2E } from '../helpers/e2e-harness.js';

function commandBody(harness: E2EHarness, text: string): string {
  return new URLSearchParams({
    team_id: harness.emulator.teamId,
    channel_id: harness.channel,
    user_id: harness.user,
    command: '/segbot',
    text,
    response_url: `${harness.emulator.baseUrl}/commands/none`,
    trigger_id: '1.2.3',
  }).toString();
}

describe('requests into the HTTP receiver', () => {
  let harness: E2EHarness;
  beforeAll(async () => {
    harness = await startE2E();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('accepts a correctly signed slash command and acknowledges it', async () => {
    const delivery = await harness.segbot('help');
    expect(delivery.status).toBe(200);
  });

  it('answers Slack url_verification with the challenge when signed', async () => {
    const delivery = await harness.emulator.sendSigned({
      body: JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'unused' }),
      contentType: 'application/json',
    });
    expect(delivery.status).toBe(200);
    expect(delivery.body).toContain('c-123');
  });

  it('rejects a request whose signature does not match with 401, before any listener runs', async () => {
    const callsBefore = harness.emulator.calls().length;
    const messagesBefore = harness.emulator.messages(harness.channel).length;
    const delivery = await harness.emulator.sendSigned({
      body: commandBody(harness, 'help'),
      contentType: 'application/x-www-form-urlencoded',
      signature: `v0=${'0'.repeat(64)}`,
    });
    expect(delivery.status).toBe(401);
    expect(harness.emulator.calls().length).toBe(callsBefore);
    expect(harness.emulator.messages(harness.channel).length).toBe(messagesBefore);
  });

  it('rejects a request without a signature with 401', async () => {
    const delivery = await harness.emulator.sendSigned({
      body: commandBody(harness, 'help'),
      contentType: 'application/x-www-form-urlencoded',
      signature: '',
    });
    expect(delivery.status).toBe(401);
  });

  it('rejects a correctly signed request whose timestamp is older than five minutes (replay)', async () => {
    const sixMinutesAgo = Date.now() / 1000 - 6 * 60;
    const delivery = await harness.emulator.sendSigned({
      body: commandBody(harness, 'help'),
      contentType: 'application/x-www-form-urlencoded',
      timestampSeconds: sixMinutesAgo,
    });
    expect(delivery.status).toBe(401);
  });

  it('rejects a body altered after signing', async () => {
    const { signingSecret } = harness.loopback.credentials;
    const headers = signSlackRequest(signingSecret, commandBody(harness, 'help'), Date.now() / 1000);
    const delivery = await harness.emulator.sendSigned({
      body: commandBody(harness, 'runs'),
      contentType: 'application/x-www-form-urlencoded',
      signature: headers['x-slack-signature'],
    });
    expect(delivery.status).toBe(401);
  });

  it('never writes the bot token or the signing secret to the logs', () => {
    const all = harness.logs.join('');
    const { botToken, signingSecret } = harness.loopback.credentials;
    expect(all).toContain('segbot is listening for Slack requests');
    expect(all).not.toContain(botToken);
    expect(all).not.toContain(botToken.slice('xoxb-'.length));
    expect(all).not.toContain(signingSecret);
  });
});
