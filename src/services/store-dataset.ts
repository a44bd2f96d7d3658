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
  datasets: Pick<DatasetStore, 'saveDatasetInBackground' | 'latestDataset'>;
  logger: Pick<Logger, 'info'>;
}

export interface StoreDatasetInput {
  channelId: string;
  userId: string;
  ingest: IngestResult;
  /** The job's signal: past its budget, the save never starts. */
  signal: AbortSignal;
}

export type StoredDataset =
  | {
      status: 'stored';
      record: DatasetRecord;
      /** The data-quality report, as Slack text and blocks. */
      report: ReturnType<typeof qualityReportMessage>;
    }
  /** The table is the channel's latest version already (same fingerprint): nothing was stored. */
  | { status: 'unchanged'; record: DatasetRecord };

/**
 * Saves the ingest as a new dataset version (on a worker thread) and returns it with its report,
 * unless it is the very table of the channel's latest version.
 */
export async function storeIngestedDataset(
  deps: StoreDatasetDeps,
  input: StoreDatasetInput,
): Promise<StoredDataset> {
  // The same table again (a re-share, a second `/segbot upload`, a source that has not changed) is
  // not a new version: runs, digests and week-over-week comparisons would count a change that did
  // not happen.
  const latest = await deps.datasets.latestDataset(input.channelId);
  if (latest && latest.fingerprint === input.ingest.table.fingerprint)
    return { status: 'unchanged', record: latest };
  // The handover to the save worker still copies the text columns synchronously (the numeric ones
  // are moved). A turn of the event loop before it lets waiting acknowledgements out, so it never
  // adds to whatever synchronous work came just before.
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
  return { status: 'stored', record, report };
}
