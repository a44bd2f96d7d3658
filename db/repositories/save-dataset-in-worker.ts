/**
 * Runs a dataset save on a worker thread with its own database connection, so a million-row save
 * does not stop the main thread from answering Slack.
 */
import { Worker } from 'node:worker_threads';
import type { DatasetRecord, SaveDatasetInput } from './dataset-store.js';

/** What the worker posts back. */
export type WorkerReply =
  | { ok: true; record: DatasetRecord }
  | { ok: false; error: { name: string; message: string } };

/**
 * The worker's bootstrap. From source (tsx, vitest) the entry is a .ts module, so the worker first
 * registers tsx's loader (a development dependency, present wherever sources run); from dist it
 * imports plain JavaScript.
 */
function workerScript(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(
    fromSource ? './save-dataset-worker.ts' : './save-dataset-worker.js',
    import.meta.url,
  );
  if (!fromSource) return `import(${JSON.stringify(entry.href)});`;
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
}

/**
 * Saves `input` into the database file at `path` from a worker thread and resolves with the new
 * version. The input is copied to the worker, so the caller's arrays stay usable.
 */
export function saveDatasetInWorker(path: string, input: SaveDatasetInput): Promise<DatasetRecord> {
  const worker = new Worker(workerScript(), { eval: true, workerData: { path, input } });
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.once('message', (reply: WorkerReply) => {
      settled = true;
      if (reply.ok) resolve(reply.record);
      else {
        const error = new Error(reply.error.message);
        error.name = reply.error.name;
        reject(error);
      }
    });
    worker.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the dataset save worker stopped (exit code ${code}) before it finished`));
    });
  });
}
