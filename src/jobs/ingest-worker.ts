/**
 * Worker-thread entry: parses an upload, infers its schema and builds its quality report off the
 * main thread, so the bot keeps acknowledging commands while a million-row file is read. The file's
 * bytes arrive moved, and the table goes back moved, never copied: numeric columns as they are,
 * text columns packed into bytes (see TableMessage).
 */
import { ingestCsv } from '../analytics/ingest/ingest-csv.js';
import type { IngestResult } from '../analytics/types.js';
import { type TableMessage, tableMessageBuffers, toTableMessage } from '../table-buffers.js';
import { serveRequests } from '../worker-thread.js';

export interface IngestRequest {
  bytes: Uint8Array;
  options: { fileName: string; maxRows?: number };
}

/** The ingest with its table as a message (see fromTableMessage). */
export interface IngestReply extends Omit<IngestResult, 'table'> {
  table: TableMessage;
}

serveRequests<IngestRequest, IngestReply>(async ({ bytes, options }) => {
  const ingest = await ingestCsv(bytes, options);
  const table = await toTableMessage(ingest.table);
  return { value: { ...ingest, table }, transfer: tableMessageBuffers(table) };
});
