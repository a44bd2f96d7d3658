/**
 * Child process for the crash test: starts saving a large dataset into the database at argv[2] and
 * stops inside the transaction (after the customer rows, before the commit), announcing it on
 * stdout so the parent can kill it with SIGKILL at exactly that point.
 */
import { openDatabase } from '../../../db/client.js';
import { createDatasetStore } from '../../../db/repositories/dataset-store.js';
import { buildIngest } from './build-ingest.js';

const path = process.argv[2];
if (!path) throw new Error('usage: crash-child <database path>');
const database = openDatabase(path);
// A tiny page cache makes SQLite spill uncommitted pages into the WAL file, so the kill happens
// with half a transaction on disk, the case that matters.
database.sqlite.pragma('cache_size = 16');
const store = createDatasetStore(database, {
  onSaveStage: (stage) => {
    if (stage !== 'customers') return;
    process.stdout.write('mid-transaction\n');
    // Block this thread (and so the commit) until the parent kills the process.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
});
await store.saveDataset({ channelId: 'C1', userId: 'U1', ingest: buildIngest({ rows: 40_000, seed: 2 }) });
process.stdout.write('committed\n');
