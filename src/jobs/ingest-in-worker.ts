/**
 * Runs the ingest of an upload (parse, schema, quality report) in a worker thread, one per file.
 * The bytes move to the worker; the numeric columns move back.
 */
import type { IngestResult } from '../analytics/types.js';
import { ownedBytes } from '../table-buffers.js';
import { runWorkerJob, siblingModule } from '../worker-thread.js';
import type { IngestRequest } from './ingest-worker.js';

/** What CommandDeps.ingestCsv accepts for an upload held as one buffer. */
export type WorkerIngest = (
  source: Uint8Array,
  options: { fileName: string; maxRows?: number },
) => Promise<IngestResult>;

/**
 * Creates an ingest that runs each file in its own worker thread. The caller's bytes are moved when
 * they own their buffer, so the caller must not read them afterwards.
 */
export function createWorkerIngest(options: { workerUrl?: URL } = {}): WorkerIngest {
  const url = options.workerUrl ?? siblingModule('ingest-worker', import.meta.url);
  return (source, ingestOptions) => {
    const bytes = ownedBytes(source);
    return runWorkerJob<IngestRequest, IngestResult>({
      url,
      request: { bytes, options: ingestOptions },
      transfer: [bytes.buffer as ArrayBuffer],
      what: 'Reading the file',
      advice: 'Nothing was saved; please upload the file again.',
    });
  };
}
