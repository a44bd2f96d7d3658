/**
 * Stores an ingested table as the channel's next dataset version and builds its data-quality
 * report: the one way a table becomes channel data, whether it came from a shared CSV or was
 * pulled from a configured source.
 */
import type { DatasetRecord, DatasetStore } from '../../db/repositories/dataset-store.js';
import type { IngestResult } from '../analytics/types.js';
import { yieldToEventLoop } from '../event-loop.js';
import type { Logger } from '../logger.js';
import { qualityReportMessage } from '../slack/blocks/quality-report-blocks.js';

export interface StoreDatasetDeps {
  datasets: Pick<DatasetStore, 'saveDatasetInBackground'>;
  logger: Pick<Logger, 'info'>;
}

export interface StoreDatasetInput {
  channelId: string;
  userId: string;
  ingest: IngestResult;
  /** The job's signal: past its budget, the save never starts. */
  signal: AbortSignal;
}

export interface StoredDataset {
  record: DatasetRecord;
  /** The data-quality report, as Slack text and blocks. */
  report: ReturnType<typeof qualityReportMessage>;
}

/** Saves the ingest as a new dataset version (on a worker thread) and returns it with its report. */
export async function storeIngestedDataset(
  deps: StoreDatasetDeps,
  input: StoreDatasetInput,
): Promise<StoredDataset> {
  // Ingest ends in synchronous work (schema, quality report); the handover to the save worker
  // copies the table synchronously too. A turn of the event loop in between lets waiting
  // acknowledgements out, so the two never add up to one long stall.
  await yieldToEventLoop();
  // The save is not interrupted once begun (it is one transaction); past the budget, it never starts.
  input.signal.throwIfAborted();
  // On a worker thread: writing a million rows must not stop the acknowledgements of other commands.
  const record = await deps.datasets.saveDatasetInBackground({
    channelId: input.channelId,
    userId: input.userId,
    ingest: input.ingest,
  });
  deps.logger.info(
    { channelId: input.channelId, datasetId: record.id, version: record.version, rows: record.rowCount },
    'dataset stored',
  );
  const report = qualityReportMessage(
    { id: record.id, version: record.version, fileName: record.fileName, rows: record.rowCount },
    input.ingest.quality,
  );
  return { record, report };
}
