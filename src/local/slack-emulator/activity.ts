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
        let checking = false;
        let settled = false;
        const attempt = () => {
          if (checking || settled) return;
          checking = true;
          Promise.resolve()
            .then(check)
            .then(
              (value) => {
                checking = false;
                if (value && !settled) {
                  finish();
                  resolve(value);
                }
              },
              (error: unknown) => {
                checking = false;
                if (settled) return;
                finish();
                reject(error);
              },
            );
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
          settled = true;
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
