/**
 * Worker-thread entry: parses an upload, infers its schema and builds its quality report off the
 * main thread, so the bot keeps acknowledging commands while a million-row file is read. The file's
 * bytes arrive moved, and the table's numeric columns go back moved, never copied.
 */
import { ingestCsv } from '../analytics/ingest/ingest-csv.js';
import type { IngestResult } from '../analytics/types.js';
import { tableBuffers } from '../table-buffers.js';
import { serveRequests } from '../worker-thread.js';

export interface IngestRequest {
  bytes: Uint8Array;
  options: { fileName: string; maxRows?: number };
}

serveRequests<IngestRequest, IngestResult>(async ({ bytes, options }) => {
  const ingest = await ingestCsv(bytes, options);
  return { value: ingest, transfer: tableBuffers(ingest.table) };
});
