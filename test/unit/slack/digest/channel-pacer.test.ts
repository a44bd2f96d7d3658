import { describe, expect, it } from 'vitest';
import { createChannelPacer } from '../../../../src/slack/digest/channel-pacer.js';

/** A pacer on a hand-moved clock: sleeping moves the clock, so the waits are visible as numbers. */
function pacedOnFakeTime(intervalMs = 1000, burst = 1) {
  let now = 0;
  const sleeps: number[] = [];
  const pacer = createChannelPacer({
    intervalMs,
    burst,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  });
  const sent: { channel: string; at: number }[] = [];
  const post = (channel: string, fail = false) =>
    pacer.run(channel, async () => {
      sent.push({ channel, at: now });
      if (fail) throw new Error('slack said no');
      return now;
    });
  return { pacer, sent, sleeps, post, advance: (ms: number) => (now += ms) };
}

describe('channel pacer', () => {
  it('keeps posts in one channel at least the interval apart, in order', async () => {
    const p = pacedOnFakeTime();
    await Promise.all([p.post('C1'), p.post('C1'), p.post('C1')]);
    expect(p.sent.map((s) => s.at)).toEqual([0, 1000, 2000]);
  });

  it('lets a quiet channel send a short burst at once, then one per interval', async () => {
    const p = pacedOnFakeTime(1000, 3);
    await Promise.all([p.post('C1'), p.post('C1'), p.post('C1'), p.post('C1'), p.post('C1')]);
    expect(p.sent.map((s) => s.at)).toEqual([0, 0, 0, 1000, 2000]);
    p.advance(10_000);
    await Promise.all([p.post('C1'), p.post('C1'), p.post('C1'), p.post('C1')]);
    expect(p.sent.slice(5).map((s) => s.at - 12_000)).toEqual([0, 0, 0, 1000]);
  });

  it('does not make one channel wait for another', async () => {
    const p = pacedOnFakeTime();
    await Promise.all([p.post('C1'), p.post('C2')]);
    expect(p.sleeps).toEqual([]);
  });

  it('only waits for what is left of the interval', async () => {
    const p = pacedOnFakeTime();
    await p.post('C1');
    p.advance(700);
    await p.post('C1');
    expect(p.sleeps).toEqual([300]);
  });

  it('passes a failure to its caller and keeps going for the next post', async () => {
    const p = pacedOnFakeTime();
    const results = await Promise.allSettled([p.post('C1', true), p.post('C1')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(p.sent).toHaveLength(2);
  });
});
