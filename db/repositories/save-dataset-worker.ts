/**
 * Worker-thread entry for `saveDatasetInBackground`: saves on its own database connection, so a
 * million-row save does not stop the main thread from answering Slack.
 */
import { serveRequests } from '../../src/worker-thread.js';
import { openDatabase } from '../client.js';
import { createDatasetStore, type DatasetRecord, type SaveDatasetInput } from './dataset-store.js';

export interface SaveDatasetRequest {
  /** The database file, which the worker opens itself. */
  path: string;
  input: SaveDatasetInput;
}

serveRequests<SaveDatasetRequest, DatasetRecord>(async ({ path, input }) => {
  const database = openDatabase(path);
  try {
    return { value: await createDatasetStore(database).saveDataset(input) };
  } finally {
    database.close();
  }
});
