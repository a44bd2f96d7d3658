/**
 * Runs the ingest of an upload (parse, schema, quality report) in a worker thread, one per file.
 * The bytes move to the worker; the table moves back, its text cells rebuilt as strings a slice at
 * a time between turns of the event loop.
 */
import type { IngestResult } from '../analytics/types.js';
import { yieldToEventLoop } from '../event-loop.js';
import { fromTableMessage, ownedBytes } from '../table-buffers.js';
import { runWorkerJob, siblingModule } from '../worker-thread.js';
import type { IngestReply, IngestRequest } from './ingest-worker.js';

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
  return async (source, ingestOptions) => {
    const bytes = ownedBytes(source);
    const reply = await runWorkerJob<IngestRequest, IngestReply>({
      url,
      request: { bytes, options: ingestOptions },
      transfer: [bytes.buffer as ArrayBuffer],
      what: 'Reading the file',
      advice: 'Nothing was saved; please upload the file again.',
    });
    return { ...reply, table: await fromTableMessage(reply.table, yieldToEventLoop) };
  };
}
