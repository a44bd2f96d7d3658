/**
 * Long jobs in a worker thread each, so the main thread stays free to acknowledge Slack within its
 * 3 seconds.
 */
import type { WorkerOptions } from 'node:worker_threads';
import { SegbotError } from '../errors.js';
import { startWorker } from '../worker-thread.js';

/** One job for a fresh worker thread (see `runWorkerJob`). */
export interface WorkerJob<M, T> {
  url: URL;
  options?: WorkerOptions;
  request: unknown;
  /** The job's name in the message when its worker dies, e.g. "The segmentation". */
  what: string;
  /** What the user can do when the worker dies. */
  advice: string;
  /** Reads one message from the worker: the job's outcome when it is over, undefined otherwise. */
  onMessage(message: M): { value: T } | { error: unknown } | undefined;
}

/**
 * Runs one job in its own worker thread: posts the request, settles on the first outcome, and ends
 * the worker. A worker that crashes or exits fails only its own job, with a message a user can read.
 */
export function runWorkerJob<M, T>(job: WorkerJob<M, T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = startWorker(job.url, job.options);
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (message: M) => {
      let outcome: ReturnType<typeof job.onMessage>;
      try {
        outcome = job.onMessage(message);
      } catch (error) {
        outcome = { error };
      }
      if (outcome === undefined) return;
      const result = outcome;
      settle(() => ('value' in result ? resolve(result.value) : reject(result.error)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() =>
        reject(
          new SegbotError(
            'cancelled',
            `${job.what} stopped unexpectedly (worker exit code ${code}).`,
            job.advice,
          ),
        ),
      ),
    );
    worker.postMessage(job.request);
  });
}
