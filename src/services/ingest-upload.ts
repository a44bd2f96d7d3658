/**
 * Ingests an uploaded CSV: a transaction file (customer id, date, amount per row) is recognised and
 * aggregated per customer first, so the channel's dataset is the per-customer table (segmentable,
 * predictable, and what `/segbot rfm` reads); any other CSV is ingested as it is.
 */
import {
  aggregatedCsv,
  aggregateTransactions,
  aggregationNote,
  sniffTransactions,
} from '../analytics/transactions/aggregate-transactions.js';
import type { IngestResult } from '../analytics/types.js';
import { yieldToEventLoop } from '../event-loop.js';

/** The plain ingest (the app's runs with pauses for the event loop). */
export type IngestCsv = (source: Uint8Array, options: { fileName: string }) => Promise<IngestResult>;

export interface UploadOptions {
  fileName: string;
  /** As-of date for a transaction file's recency (YYYY-MM-DD); default the file's last date. */
  asOf?: string;
}

/** Ingests one uploaded file, aggregating it first when it holds transactions. */
export async function ingestUpload(
  bytes: Uint8Array,
  options: UploadOptions,
  ingestCsv: IngestCsv,
): Promise<IngestResult> {
  const sniff = sniffTransactions(bytes.subarray(0, 64 * 1024));
  if (sniff === null) return ingestCsv(bytes, { fileName: options.fileName });
  // A big file is read in slices with a turn of the event loop between them, so acknowledgements
  // of other commands are not held up by the aggregation.
  const aggregated = await aggregateTransactions(bytes, sniff, { ...options, pause: yieldToEventLoop });
  const ingest = await ingestCsv(new TextEncoder().encode(aggregatedCsv(aggregated)), {
    fileName: options.fileName,
  });
  ingest.quality.notes.unshift(aggregationNote(aggregated));
  return ingest;
}
