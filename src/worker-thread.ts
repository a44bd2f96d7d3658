/**
 * The one way segbot runs work on another thread: segmentation, prediction, the dataset save and
 * the forest's tree workers all start, talk to and stop their workers through this module.
 *
 * - `startWorker` starts a thread on one of this project's modules. The built app loads plain .js;
 *   from TypeScript sources (tsx, vitest, the bench) the thread first registers tsx's loader so it
 *   can import .ts files.
 * - `serveRequests` is the worker side: it answers each request with progress updates and then one
 *   outcome. A thrown error travels as `ErrorData` and comes back as the same class (errors.ts).
 * - `connectWorker` is the parent side of a long-lived worker (the forest pool);
 *   `runWorkerJob` runs one request on a fresh worker and ends it.
 *
 * Any request can be cancelled with an AbortSignal: the worker is terminated (synchronous work
 * cannot be interrupted any other way) and the request rejects with a CancelledError, or with the
 * signal's reason when that is one of segbot's coded errors (a time budget's own message).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, Worker, type WorkerOptions } from 'node:worker_threads';
import { CancelledError, type ErrorData, fromErrorData, isSegbotError, toErrorData } from './errors.js';

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

/** Starts a worker thread on `url`, bootstrapping tsx first when `url` is a TypeScript source. */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const tsxApi = tsxEsmApiUrl();
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** What the parent posts: one request, numbered so its replies find it. */
interface RequestEnvelope<Q> {
  id: number;
  request: Q;
}

/** What the worker posts back: any number of progress updates, then one outcome. */
type ReplyEnvelope<R, P> =
  | { id: number; kind: 'progress'; progress: P }
  | { id: number; kind: 'done'; value: R }
  | { id: number; kind: 'failed'; error: ErrorData };

/** A handler's answer: the value, and the buffers to move with it instead of copying. */
export interface WorkerAnswer<R> {
  value: R;
  transfer?: readonly ArrayBuffer[];
}

/** Lets a handler report progress while it works. */
export interface RequestContext<P> {
  progress(update: P): void;
}

/**
 * The worker side: answers every request posted to this thread with `handle`, one at a time in the
 * order they came. Does nothing on the main thread. Other modules import a worker module for its
 * types only (`import type`): on another worker thread it would start answering that thread's messages.
 */
export function serveRequests<Q, R, P = never>(
  handle: (request: Q, context: RequestContext<P>) => WorkerAnswer<R> | Promise<WorkerAnswer<R>>,
): void {
  const port = parentPort;
  if (!port) return;
  let queue = Promise.resolve();
  port.on('message', ({ id, request }: RequestEnvelope<Q>) => {
    queue = queue.then(async () => {
      const post = (reply: ReplyEnvelope<R, P>, transfer: readonly ArrayBuffer[] = []): void =>
        port.postMessage(reply, [...transfer]);
      try {
        const answer = await handle(request, {
          progress: (progress) => post({ id, kind: 'progress', progress }),
        });
        post({ id, kind: 'done', value: answer.value }, answer.transfer);
      } catch (error) {
        post({ id, kind: 'failed', error: toErrorData(error) });
      }
    });
  });
}

/** Options of one request. */
export interface RequestOptions<P> {
  /** Buffers moved to the worker instead of copied (the caller's arrays become unusable). */
  transfer?: readonly ArrayBuffer[];
  onProgress?: (update: P) => void;
  /** Aborting ends the worker and rejects the request (see the module comment). */
  signal?: AbortSignal;
}

/** The parent's handle on a worker that serves requests. */
export interface WorkerConnection<Q, R, P = never> {
  request(request: Q, options?: RequestOptions<P>): Promise<R>;
  /** False once the worker failed, exited or was terminated. */
  readonly alive: boolean;
  /** Whether the worker keeps the process alive (an idle pooled worker does not). */
  ref(): void;
  unref(): void;
  terminate(): Promise<void>;
}

/** How a worker is started and described to users when it fails. */
export interface WorkerSpec {
  url: URL;
  options?: WorkerOptions;
  /** The job's name in the message when its worker dies, e.g. "The segmentation". */
  what: string;
  /** What the user can do when the worker dies. */
  advice: string;
}

interface Pending<R, P> {
  resolve(value: R): void;
  reject(error: unknown): void;
  onProgress: ((update: P) => void) | undefined;
}

/**
 * Starts a worker that runs `serveRequests`, and returns the parent's side. A worker that crashes
 * or exits fails every request it holds with a message a user can read; the process goes on.
 */
export function connectWorker<Q, R, P = never>(spec: WorkerSpec): WorkerConnection<Q, R, P> {
  const worker = startWorker(spec.url, spec.options);
  const pending = new Map<number, Pending<R, P>>();
  let nextId = 0;
  let alive = true;

  const failAll = (error: unknown): void => {
    alive = false;
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  };
  const stopped = (detail: string): CancelledError =>
    new CancelledError(`${spec.what} stopped unexpectedly (${detail}).`, spec.advice);

  worker.on('message', (reply: ReplyEnvelope<R, P>) => {
    const entry = pending.get(reply.id);
    if (!entry) return;
    if (reply.kind === 'progress') {
      entry.onProgress?.(reply.progress);
      return;
    }
    pending.delete(reply.id);
    if (reply.kind === 'done') entry.resolve(reply.value);
    else entry.reject(fromErrorData(reply.error));
  });
  // The error's own message may quote data (an uncaught error in the worker): only its class and
  // Node's code (ERR_WORKER_OUT_OF_MEMORY, ...) are told.
  worker.on('error', (error) => {
    const code = (error as { code?: unknown }).code;
    const known = typeof code === 'string' && /^ERR_[A-Z_]+$/.test(code) ? ` ${code}` : '';
    failAll(stopped(`${toErrorData(error).name}${known}`));
  });
  worker.on('exit', (code) => failAll(stopped(`worker exit code ${code}`)));

  const terminate = async (): Promise<void> => {
    failAll(new CancelledError(`${spec.what} was stopped.`));
    await worker.terminate();
  };

  return {
    get alive() {
      return alive;
    },
    request(request, options = {}) {
      const { signal } = options;
      if (!alive) return Promise.reject(stopped('the worker had already stopped'));
      if (signal?.aborted) return Promise.reject(cancellation(signal, spec.what));
      return new Promise<R>((resolve, reject) => {
        const id = nextId++;
        const onAbort = (): void => {
          pending.delete(id);
          reject(cancellation(signal!, spec.what));
          void terminate();
        };
        const done = (): void => signal?.removeEventListener('abort', onAbort);
        pending.set(id, {
          resolve: (value) => {
            done();
            resolve(value);
          },
          reject: (error) => {
            done();
            reject(error);
          },
          onProgress: options.onProgress,
        });
        signal?.addEventListener('abort', onAbort, { once: true });
        const envelope: RequestEnvelope<Q> = { id, request };
        worker.postMessage(envelope, [...(options.transfer ?? [])]);
      });
    },
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    terminate,
  };
}

/** Why an aborted request failed: the signal's reason when it is a coded error, else a cancellation. */
function cancellation(signal: AbortSignal, what: string): Error {
  if (isSegbotError(signal.reason)) return signal.reason;
  return new CancelledError(
    `${what} was cancelled before it finished.`,
    'Nothing was changed; you can try again.',
  );
}

/** One job for a fresh worker thread (see `runWorkerJob`). */
export interface WorkerJob<Q, P> extends WorkerSpec, RequestOptions<P> {
  request: Q;
}

/**
 * Runs one request in its own worker thread and ends the worker when it settles. Long jobs run this
 * way so the main thread stays free to acknowledge Slack within its 3 seconds.
 */
export async function runWorkerJob<Q, R, P = never>(job: WorkerJob<Q, P>): Promise<R> {
  const worker = connectWorker<Q, R, P>(job);
  try {
    return await worker.request(job.request, job);
  } finally {
    void worker.terminate();
  }
}
