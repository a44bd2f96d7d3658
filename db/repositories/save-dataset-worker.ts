/**
 * Worker-thread entry for `saveDatasetInBackground`: saves on its own database connection, so a
 * million-row save does not stop the main thread from answering Slack.
 */
import type { IngestResult } from '../../src/analytics/types.js';
import { fromTableMessage, type TableMessage } from '../../src/table-buffers.js';
import { serveRequests } from '../../src/worker-thread.js';
import { openDatabase } from '../client.js';
import { createDatasetStore, type DatasetRecord, type SaveDatasetInput } from './dataset-store.js';

export interface SaveDatasetRequest {
  /** The database file, which the worker opens itself. */
  path: string;
  input: Omit<SaveDatasetInput, 'ingest'>;
  /** The ingest, its table as a message (moved, not copied). */
  ingest: Omit<IngestResult, 'table'> & { table: TableMessage };
}

serveRequests<SaveDatasetRequest, DatasetRecord>(async ({ path, input, ingest }) => {
  const table = await fromTableMessage(ingest.table);
  const database = openDatabase(path);
  try {
    return {
      value: await createDatasetStore(database).saveDataset({ ...input, ingest: { ...ingest, table } }),
    };
  } finally {
    database.close();
  }
});
