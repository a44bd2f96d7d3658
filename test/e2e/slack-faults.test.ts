/**
 * Slack misbehaving, through the real app: rate limits, a channel the bot is not in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';

describe('Slack faults end to end', () => {
  let h: E2EHarness;
  beforeAll(async () => {
    h = await startE2E();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('waits out a 429 with Retry-After and still delivers the reply', async () => {
    h.emulator.failNext('chat.postMessage', { retryAfter: 1 });
    const { message } = await h.share('customers.csv', generateCustomersCsv({ rows: 120, seed: 3 }));
    await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && /120/.test(messageText(m)) && !/…/.test(m.text),
      {
        what: 'the quality report after the rate limit',
      },
    );
    const posts = h.emulator.calls('chat.postMessage');
    expect(posts.length).toBeGreaterThanOrEqual(2);
    // The retried call is the same request again.
    expect(posts[1]!.params).toEqual(posts[0]!.params);
    expect((await createDatasetStore(h.database).latestDataset(h.channel))?.rowCount).toBe(120);
  });

  it('logs a failing listener through the one error handler, without the error’s text', async () => {
    h.loopback.segbot.app.command('/boom', async ({ ack }) => {
      await ack();
      throw new Error('row CUST-77123 has BALANCE 12345');
    });
    const delivery = await h.emulator.sendCommand(h.channel, h.user, '', { command: '/boom' });
    expect(delivery.status).toBe(200);
    await h.emulator.waitFor(() => h.logs.some((line) => line.includes('a listener failed')), {
      what: 'the error log line',
    });
    const line = JSON.parse(h.logs.find((l) => l.includes('a listener failed'))!);
    expect(line).toMatchObject({ level: 50, where: 'listener', errorName: 'Error' });
    expect(h.logs.join('')).not.toContain('CUST-77123');
  });

  it('tells the person to invite the bot when it is not in the channel', async () => {
    const outside = h.emulator.addChannel({ id: 'C0NOTMEMBER', name: 'outside', botIsMember: false });
    await h.segbot('upload', { channel: outside.id });
    const reply = await h.waitForBotMessage((m) => /\/invite @segbot/.test(messageText(m)), {
      channel: outside.id,
      what: 'the invite advice',
    });
    expect(reply.ephemeralTo).toBe(h.user);
  });
});
