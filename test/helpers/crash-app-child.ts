/**
 * Child process for the end-to-end crash test: the real app over HTTP against the loopback Slack,
 * on the database file argv[2]. It uploads a first dataset and completes a run, then (argv[3])
 * either shares a second file and stops inside the save transaction ("upload"), shares it and
 * stops after the save committed but before the reply ("saved"), or starts a second run and stops
 * while it computes ("run"). Each step is announced on stdout as one line so
 * the parent can kill the process with SIGKILL at exactly that point.
 */
import { openDatabase } from '../../db/client.js';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { segmentCustomers } from '../../src/analytics/segment/segment-customers.js';
import { readConfig } from '../../src/config.js';
import { startLoopback } from '../../src/local/start-loopback.js';
import { createLogger } from '../../src/logger.js';

const [path, mode] = process.argv.slice(2);
if (!path || (mode !== 'upload' && mode !== 'saved' && mode !== 'run')) {
  throw new Error('usage: crash-app-child <db> upload|saved|run');
}

export const CRASH_CHANNEL = 'C0CRASH01';
export const CRASH_USER = 'U0CRASHER';

const say = (line: string) => process.stdout.write(`${line}\n`);
const block = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);

const database = openDatabase(path);
// A tiny page cache makes SQLite spill uncommitted pages to disk, so the kill leaves half a
// transaction in the WAL file: the case that matters.
database.sqlite.pragma('cache_size = 16');
let armed = false;
const hooked = createDatasetStore(database, {
  onSaveStage: (stage) => {
    if (!armed || mode !== 'upload' || stage !== 'customers') return;
    say('mid-upload');
    block();
  },
});
// The app saves uploads on a worker thread, where hooks do not run; saving on this thread instead
// lets the kill land inside the transaction exactly (the worker's own crash safety is tested in
// test/unit/db).
const datasets = {
  ...hooked,
  saveDatasetInBackground: async (input: Parameters<typeof hooked.saveDataset>[0]) => {
    const record = await hooked.saveDataset(input);
    if (armed && mode === 'saved') {
      say('upload-saved');
      block();
    }
    return record;
  },
};
// A short lease, so the restarted app takes the killed job over within a second.
const config = readConfig({
  SEGBOT_DB: path,
  SEGBOT_ADMINS: CRASH_USER,
  LOG_LEVEL: 'silent',
  SEGBOT_JOB_LEASE_SECONDS: '0.5',
});
const loopback = await startLoopback({
  config,
  database,
  logger: createLogger({ level: 'silent' }),
  overrides: {
    datasets,
    segmentCustomers: (ingest, options) => {
      if (armed) {
        say('mid-run');
        // Never settles: the process is killed while the run is computing.
        return new Promise(() => {});
      }
      return segmentCustomers(ingest, options);
    },
  },
});
const { emulator } = loopback;
emulator.addChannel({ id: CRASH_CHANNEL, name: 'crash' });
emulator.addUser({ id: CRASH_USER, name: 'crash' });

const runs = createRunStore(database);
await emulator.shareFile(
  CRASH_CHANNEL,
  CRASH_USER,
  'first.csv',
  new TextEncoder().encode(generateCustomersCsv({ rows: 200, seed: 5 })),
);
await emulator.waitFor(async () => (await datasets.latestDataset(CRASH_CHANNEL)) ?? undefined, {
  what: 'first dataset',
});
await emulator.sendCommand(CRASH_CHANNEL, CRASH_USER, 'segment k=3 seed=1');
await emulator.waitFor(async () => (await runs.latestRun(CRASH_CHANNEL, { status: 'done' })) ?? undefined, {
  what: 'first run',
  timeoutMs: 60_000,
});
await emulator.waitFor(() => loopback.segbot.pendingJobs() === 0 || undefined, { what: 'idle' });
say('baseline');

armed = true;
if (mode === 'upload' || mode === 'saved') {
  await emulator.shareFile(
    CRASH_CHANNEL,
    CRASH_USER,
    'second.csv',
    new TextEncoder().encode(generateCustomersCsv({ rows: 12_000, seed: 6 })),
  );
} else {
  await emulator.sendCommand(CRASH_CHANNEL, CRASH_USER, 'segment k=4 seed=2');
}
