/**
 * Worker threads for long jobs, so the main thread stays free to acknowledge Slack within its 3
 * seconds. The built app loads plain .js; from TypeScript sources (tsx, vitest) a worker first
 * registers the tsx loader so it can import .ts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { SegbotError } from '../errors.js';

/** The ESM entry of tsx's loader API (its CommonJS twin cannot register ESM hooks). */
function tsxEsmApiUrl(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const entry = manifest.exports['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs';
  return pathToFileURL(join(dirname(manifestPath), entry)).href;
}

/** The URL of a sibling module: `name.js` when built, `name.ts` when running from sources. */
export function siblingModule(name: string, here: string): URL {
  return new URL(`./${name}${here.endsWith('.ts') ? '.ts' : '.js'}`, here);
}

export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const tsxApi = tsxEsmApiUrl();
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

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
