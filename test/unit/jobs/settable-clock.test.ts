import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSettableClock, parseClockAdvance } from '../../../src/jobs/settable-clock.js';

describe('settable clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads +7d, +2h, +30m, 1w', () => {
    expect(parseClockAdvance('+7d')).toBe(7 * 86_400_000);
    expect(parseClockAdvance('+2h')).toBe(7_200_000);
    expect(parseClockAdvance('30m')).toBe(1_800_000);
    expect(parseClockAdvance('+1w')).toBe(7 * 86_400_000);
    expect(parseClockAdvance('-1d')).toBeNull();
    expect(parseClockAdvance('soon')).toBeNull();
  });

  it('moves time forward and fires the timers a jump passes, not the others', () => {
    const real = Date.now();
    const clock = createSettableClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('in an hour'), 3_600_000);
    clock.setTimeout(() => fired.push('in a week'), 7 * 86_400_000);
    clock.advance(2 * 3_600_000);
    vi.advanceTimersByTime(0);
    expect(fired).toEqual(['in an hour']);
    expect(clock.now().getTime()).toBe(real + 2 * 3_600_000);
    expect(clock.offsetMs()).toBe(2 * 3_600_000);
    clock.advance(-5);
    expect(clock.offsetMs()).toBe(2 * 3_600_000);
    // The rest of the week passes in real time: the other timer fires then, not a moment before.
    vi.advanceTimersByTime(7 * 86_400_000 - 2 * 3_600_000 - 1);
    expect(fired).toEqual(['in an hour']);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['in an hour', 'in a week']);
  });

  it('forgets cleared timers', () => {
    const clock = createSettableClock();
    let fired = false;
    const handle = clock.setTimeout(() => {
      fired = true;
    }, 1000);
    clock.clearTimeout(handle);
    clock.advance(5000);
    vi.advanceTimersByTime(10_000);
    expect(fired).toBe(false);
  });
});
