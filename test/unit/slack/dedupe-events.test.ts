import { describe, expect, it } from 'vitest';
import { createMemoryRequestLedger } from '../../../db/repositories/request-ledger.js';
import { EVENT_ID_TTL_MS, isFirstDelivery } from '../../../src/slack/dedupe-events.js';
import { createRecordingLogger } from '../../helpers/command-args.js';

describe('isFirstDelivery', () => {
  function setup() {
    let nowMs = Date.UTC(2026, 0, 1);
    const options = {
      ledger: createMemoryRequestLedger({ now: () => new Date(nowMs) }),
      logger: createRecordingLogger(),
      nowMs: () => nowMs,
    };
    return { options, advance: (ms: number) => (nowMs += ms) };
  }
  const event = (id: string) => ({ type: 'event_callback', event_id: id, event: { type: 'message' } });

  it('lets an event through once per event_id and logs the repeat', async () => {
    const { options } = setup();
    expect(await isFirstDelivery(event('Ev1'), options)).toBe(true);
    expect(await isFirstDelivery(event('Ev1'), options)).toBe(false);
    expect(await isFirstDelivery(event('Ev2'), options)).toBe(true);
    expect(options.logger.entries.map((e) => e.msg)).toEqual(['an event delivered again was ignored']);
  });

  it('remembers an id for an hour, longer than Slack retries', async () => {
    const { options, advance } = setup();
    await isFirstDelivery(event('Ev1'), options);
    advance(EVENT_ID_TTL_MS - 1);
    expect(await isFirstDelivery(event('Ev1'), options)).toBe(false);
    advance(1);
    expect(await isFirstDelivery(event('Ev1'), options)).toBe(true);
  });

  it('lets through what carries no event id (commands, interactions)', async () => {
    const { options } = setup();
    const command = { command: '/segbot', text: 'help' };
    expect(await isFirstDelivery(command, options)).toBe(true);
    expect(await isFirstDelivery(command, options)).toBe(true);
    expect(await isFirstDelivery({ event_id: '' }, options)).toBe(true);
  });
});
