import { describe, expect, it } from 'vitest';
import { createSettableClock, parseClockAdvance } from '../../../src/jobs/settable-clock.js';

describe('settable clock', () => {
  it('reads +7d, +2h, +30m, 1w', () => {
    expect(parseClockAdvance('+7d')).toBe(7 * 86_400_000);
    expect(parseClockAdvance('+2h')).toBe(7_200_000);
    expect(parseClockAdvance('30m')).toBe(1_800_000);
    expect(parseClockAdvance('+1w')).toBe(7 * 86_400_000);
    expect(parseClockAdvance('-1d')).toBeNull();
    expect(parseClockAdvance('soon')).toBeNull();
  });

  it('moves time forward and fires the timers a jump passes, not the others', async () => {
    const real = Date.now();
    const clock = createSettableClock(() => real);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('in an hour'), 3_600_000);
    clock.setTimeout(() => fired.push('in a week'), 7 * 86_400_000);
    clock.advance(2 * 3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toEqual(['in an hour']);
    expect(clock.now().getTime()).toBe(real + 2 * 3_600_000);
    expect(clock.offsetMs()).toBe(2 * 3_600_000);
    clock.advance(-5);
    expect(clock.offsetMs()).toBe(2 * 3_600_000);
  });

  it('forgets cleared timers', async () => {
    const clock = createSettableClock(() => 0);
    let fired = false;
    const handle = clock.setTimeout(() => {
      fired = true;
    }, 1000);
    clock.clearTimeout(handle);
    clock.advance(5000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toBe(false);
  });
});
