/**
 * Runs the segmentation engine in a worker thread, one worker per job: the main thread stays free
 * to acknowledge Slack within its 3 seconds and to post progress while k-means runs. A worker that
 * crashes fails only its own job.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IngestResult, SegmentationResult, SegmentOptions, SegmentStage } from '../analytics/types.js';
import { SegbotError } from '../errors.js';
import { deserializeError, type SerializedError } from './serialize-error.js';

type WorkerMessage =
  | { type: 'stage'; stage: SegmentStage }
  | { type: 'done'; result: SegmentationResult }
  | { type: 'error'; error: SerializedError };

export interface WorkerSegmenterOptions {
  /** The worker entry; defaults to segment-worker next to this module (.js when built, .ts in development). */
  workerUrl?: URL;
  /** Heap limit of each worker, in MB (a 1M-row file needs well over the default on some machines). */
  maxOldGenerationSizeMb?: number;
}

/** The engine's signature, asynchronous: what CommandDeps.segmentCustomers accepts. */
export type Segmenter = (ingest: IngestResult, options: SegmentOptions) => Promise<SegmentationResult>;

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

/**
 * Starts the worker. From TypeScript sources (tsx, vitest) the worker first registers the tsx
 * loader so it can import .ts files; the built app loads plain .js and needs nothing.
 */
function startWorker(url: URL, maxOldGenerationSizeMb: number | undefined): Worker {
  const limits = maxOldGenerationSizeMb ? { resourceLimits: { maxOldGenerationSizeMb } } : {};
  if (!url.pathname.endsWith('.ts')) return new Worker(url, limits);
  const tsxApi = tsxEsmApiUrl();
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, ...limits });
}

/** Creates a segmenter that runs each call in its own worker thread. */
export function createWorkerSegmenter(options: WorkerSegmenterOptions = {}): Segmenter {
  const here = import.meta.url;
  const fromSource = here.endsWith('.ts');
  const workerUrl =
    options.workerUrl ?? new URL(fromSource ? './segment-worker.ts' : './segment-worker.js', here);

  return (ingest, segmentOptions) =>
    new Promise<SegmentationResult>((resolve, reject) => {
      const { onStage, ...plain } = segmentOptions;
      const worker = startWorker(workerUrl, options.maxOldGenerationSizeMb);
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        fn();
        void worker.terminate();
      };
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'stage') {
          onStage?.(message.stage);
        } else if (message.type === 'done') {
          settle(() => resolve(message.result));
        } else {
          settle(() => reject(deserializeError(message.error)));
        }
      });
      worker.on('error', (error) => settle(() => reject(error)));
      worker.on('exit', (code) =>
        settle(() =>
          reject(
            new SegbotError(
              'cancelled',
              `The segmentation stopped unexpectedly (worker exit code ${code}).`,
              'Try again; if it keeps happening the file may be too large for this server’s memory.',
            ),
          ),
        ),
      );
      worker.postMessage({ ingest, options: plain });
    });
}
