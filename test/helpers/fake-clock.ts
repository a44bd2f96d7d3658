import type { Clock } from '../../src/domain/clock.js';

/** A clock tests move by hand: timers fire, in order, only when `advance` passes their time. */
export interface FakeClock extends Clock {
  set(date: Date | string): void;
  /** Moves time forward, firing due timers and letting their async work settle. */
  advance(ms: number): Promise<void>;
  pendingTimers(): number;
}

export function createFakeClock(start: Date | string): FakeClock {
  let now = new Date(start).getTime();
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    now: () => new Date(now),
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    set(date) {
      now = new Date(date).getTime();
    },
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, t]) => t.at <= target)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].callback();
        await settle();
      }
      now = target;
      await settle();
    },
    pendingTimers: () => timers.size,
  };
}
