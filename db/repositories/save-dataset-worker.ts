/**
 * Worker-thread entry for `saveDatasetInWorker`: opens its own connection, saves, replies, closes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../client.js';
import { createDatasetStore, type SaveDatasetInput } from './dataset-store.js';
import type { WorkerReply } from './save-dataset-in-worker.js';

const { path, input } = workerData as { path: string; input: SaveDatasetInput };
let reply: WorkerReply;
try {
  const database = openDatabase(path);
  try {
    reply = { ok: true, record: createDatasetStore(database).saveDataset(input) };
  } finally {
    database.close();
  }
} catch (error) {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  reply = { ok: false, error: { name, message } };
}
parentPort?.postMessage(reply);
