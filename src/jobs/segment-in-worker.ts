/**
 * Runs the segmentation engine in a worker thread, one worker per job: the main thread stays free
 * to acknowledge Slack within its 3 seconds and to post progress while k-means runs. A worker that
 * crashes fails only its own job.
 */
import type { IngestResult, SegmentationResult, SegmentOptions, SegmentStage } from '../analytics/types.js';
import { tableBuffers } from '../table-buffers.js';
import { runWorkerJob, siblingModule } from '../worker-thread.js';
import type { SegmentRequest } from './segment-worker.js';

export interface WorkerSegmenterOptions {
  /** The worker entry; defaults to segment-worker next to this module (.js when built, .ts in development). */
  workerUrl?: URL;
  /** Heap limit of each worker, in MB (a 1M-row file needs well over the default on some machines). */
  maxOldGenerationSizeMb?: number;
}

/** The engine's signature, asynchronous: what CommandDeps.segmentCustomers accepts. */
export type Segmenter = (
  ingest: IngestResult,
  options: SegmentOptions,
  /** Aborting terminates the worker (a time budget, a shutdown). */
  signal?: AbortSignal,
) => Promise<SegmentationResult>;

/**
 * Creates a segmenter that runs each call in its own worker thread. The table's numeric columns
 * move to the worker rather than being copied while the event loop waits, so the caller must not
 * read them afterwards (runSegmentation loads a fresh table for every run).
 */
export function createWorkerSegmenter(options: WorkerSegmenterOptions = {}): Segmenter {
  const workerUrl = options.workerUrl ?? siblingModule('segment-worker', import.meta.url);
  const limits = options.maxOldGenerationSizeMb
    ? { resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } }
    : {};

  return (ingest, segmentOptions, signal) => {
    const { onStage, clock: _clock, ...plain } = segmentOptions;
    return runWorkerJob<SegmentRequest, SegmentationResult, SegmentStage>({
      url: workerUrl,
      options: limits,
      request: { ingest, options: plain },
      transfer: tableBuffers(ingest.table),
      what: 'The segmentation',
      advice: 'Try again; if it keeps happening the file may be too large for this server’s memory.',
      onProgress: onStage,
      ...(signal ? { signal } : {}),
    });
  };
}
