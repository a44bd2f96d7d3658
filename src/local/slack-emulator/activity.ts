import type { EmulatorActivity, SlackEmulator } from './types.js';

/** Who is told when something happens in the emulator: activity listeners and pending `waitFor`s. */
export interface Activity {
  /** Tells the listeners about `activity` (when given) and lets every waiter re-check. */
  notify(activity?: EmulatorActivity): void;
  waitFor: SlackEmulator['waitFor'];
  onActivity: SlackEmulator['onActivity'];
}

export function createActivity(): Activity {
  const listeners = new Set<(activity: EmulatorActivity) => void>();
  const waiters = new Set<() => void>();
  return {
    notify(activity) {
      if (activity) for (const listener of listeners) listener(activity);
      for (const waiter of [...waiters]) waiter();
    },

    waitFor(check, waitOptions = {}) {
      const timeoutMs = waitOptions.timeoutMs ?? 20_000;
      return new Promise((resolve, reject) => {
        const attempt = () => {
          let value: ReturnType<typeof check>;
          try {
            value = check();
          } catch (error) {
            finish();
            reject(error);
            return;
          }
          if (value) {
            finish();
            resolve(value);
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(`Timed out after ${timeoutMs} ms waiting for ${waitOptions.what ?? 'a condition'}`),
          );
        }, timeoutMs);
        // Emulator events re-check at once; the poll covers conditions outside it (logs, the database).
        const poll = setInterval(attempt, 50);
        const finish = () => {
          clearTimeout(timer);
          clearInterval(poll);
          waiters.delete(attempt);
        };
        waiters.add(attempt);
        attempt();
      });
    },

    onActivity(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
