import type { Clock } from '../domain/clock.js';

/**
 * A wall clock that can be moved forward, for local mode's `/clock +7d`: a person sees next week's
 * digest without waiting a week. Timers are real timers measured in shifted time, so a jump
 * fires every timer whose moment it passed.
 */
export interface SettableClock extends Clock {
  /** Moves time forward by `ms` (never back: a ledger keyed by time must not see time reverse). */
  advance(ms: number): void;
  /** How far ahead of the real clock this clock runs, in ms. */
  offsetMs(): number;
}

interface Timer {
  at: number;
  callback: () => void;
  handle: ReturnType<typeof setTimeout> | null;
}

/** Creates a clock that starts at real time and can be advanced. */
export function createSettableClock(realNow: () => number = Date.now): SettableClock {
  let offset = 0;
  const timers = new Set<Timer>();
  const shifted = () => realNow() + offset;

  const arm = (timer: Timer) => {
    if (timer.handle !== null) clearTimeout(timer.handle);
    const delay = Math.max(0, timer.at - shifted());
    timer.handle = setTimeout(
      () => {
        // Long waits are capped below; re-arm until the shifted moment has really come.
        if (timer.at > shifted()) {
          arm(timer);
          return;
        }
        timers.delete(timer);
        timer.callback();
      },
      Math.min(delay, 2 ** 31 - 1),
    );
  };

  return {
    now: () => new Date(shifted()),
    setTimeout(callback, ms) {
      const timer: Timer = { at: shifted() + Math.max(0, ms), callback, handle: null };
      timers.add(timer);
      arm(timer);
      return timer;
    },
    clearTimeout(handle) {
      const timer = handle as Timer;
      if (timer.handle !== null) clearTimeout(timer.handle);
      timers.delete(timer);
    },
    advance(ms) {
      if (!(ms > 0)) return;
      offset += ms;
      for (const timer of timers) arm(timer);
    },
    offsetMs: () => offset,
  };
}

/**
 * Parses "+7d", "+2h", "+30m", "+1w" (and "7d" without the plus) into milliseconds; null when the
 * text is not such a duration.
 */
export function parseClockAdvance(text: string): number | null {
  const match = /^\+?(\d+(?:\.\d+)?)\s*(w|d|h|m|min|s)$/i.exec(text.trim());
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = match[2]!.toLowerCase();
  const scale: Record<string, number> = {
    w: 7 * 24 * 3600_000,
    d: 24 * 3600_000,
    h: 3600_000,
    m: 60_000,
    min: 60_000,
    s: 1000,
  };
  const ms = Math.round(amount * scale[unit]!);
  return ms > 0 ? ms : null;
}
