/**
 * A per-channel job queue: jobs of one channel run one after another in arrival order (an upload
 * during a run waits for the run), jobs of different channels run in parallel up to a limit.
 */
import { CancelledError, TimeBudgetError } from '../errors.js';

export interface JobQueue {
  /**
   * Queues `job` behind the channel's earlier jobs and resolves or rejects with its outcome.
   * A failing job does not stop the jobs queued after it. The job gets a signal that aborts when it
   * runs past the time budget (with a TimeBudgetError naming `what`) or is cancelled; work that
   * honours it (a worker job) stops, and the job's outcome is what it then throws.
   */
  run<T>(channelId: string, job: (signal: AbortSignal) => Promise<T>, what?: string): Promise<T>;
  /** Jobs waiting or running, per channel and in total. */
  pending(channelId?: string): number;
  /** Refuses new jobs and resolves once every accepted job has settled (graceful shutdown). */
  close(): Promise<void>;
  /**
   * Aborts every running job's signal with `reason`, and every waiting job then fails with it
   * without starting (a shutdown that cannot wait for long jobs).
   */
  cancel(reason: Error): void;
}

export interface JobQueueOptions {
  /** How many channels may run a job at the same time (at least 1). */
  concurrency: number;
  /** How long one job may run before its signal aborts; unset: no limit. */
  timeoutMs?: number;
}

interface Entry {
  channelId: string;
  start: () => void;
}

/** Creates a per-channel job queue. */
export function createJobQueue(options: JobQueueOptions): JobQueue {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
  }
  const limit = options.concurrency;
  // Waiting jobs per channel, in arrival order; the head of a busy channel is running.
  const channels = new Map<string, Entry[]>();
  // Channels whose head job is ready to start, in the order they became ready (fairness).
  const ready: string[] = [];
  let running = 0;
  let total = 0;
  let closed = false;
  let drained: (() => void) | null = null;
  // Set by cancel(): the reason every running job is aborted with and every later one refused with.
  let cancelled: Error | null = null;
  const active = new Set<AbortController>();

  const pump = () => {
    while (running < limit && ready.length > 0) {
      const channelId = ready.shift()!;
      const head = channels.get(channelId)?.[0];
      if (head) {
        running += 1;
        head.start();
      }
    }
  };

  const finish = (channelId: string) => {
    running -= 1;
    total -= 1;
    const list = channels.get(channelId)!;
    list.shift();
    if (list.length === 0) channels.delete(channelId);
    else ready.push(channelId);
    pump();
    if (total === 0 && drained) drained();
  };

  return {
    run<T>(channelId: string, job: (signal: AbortSignal) => Promise<T>, what = 'job'): Promise<T> {
      if (closed) {
        return Promise.reject(
          new CancelledError(
            'segbot is shutting down and did not start this request.',
            'Try again in a minute.',
          ),
        );
      }
      return new Promise<T>((resolve, reject) => {
        const entry: Entry = {
          channelId,
          start: () => {
            const controller = new AbortController();
            if (cancelled) controller.abort(cancelled);
            active.add(controller);
            const { timeoutMs } = options;
            const timer =
              timeoutMs === undefined
                ? undefined
                : setTimeout(() => controller.abort(new TimeBudgetError(what, timeoutMs)), timeoutMs);
            // Run on a later tick so a job that throws synchronously is still caught and ordered.
            Promise.resolve()
              .then(() => {
                controller.signal.throwIfAborted();
                return job(controller.signal);
              })
              .then(resolve, reject)
              .finally(() => {
                clearTimeout(timer);
                active.delete(controller);
                finish(channelId);
              });
          },
        };
        total += 1;
        const list = channels.get(channelId);
        if (list) {
          list.push(entry);
        } else {
          channels.set(channelId, [entry]);
          ready.push(channelId);
          pump();
        }
      });
    },
    pending(channelId?: string): number {
      if (channelId === undefined) return total;
      return channels.get(channelId)?.length ?? 0;
    },
    close(): Promise<void> {
      closed = true;
      if (total === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        drained = resolve;
      });
    },
    cancel(reason: Error): void {
      cancelled = reason;
      for (const controller of active) controller.abort(reason);
    },
  };
}
