/**
 * Child process for the shutdown test: the real app over HTTP against the loopback Slack, on the
 * database file argv[2], whose segmentation runs in a real worker that never finishes. Once that
 * run is under way it prints "mid-run"; on SIGTERM it stops the app as main.ts does, prints the
 * channel's last bot message as `last: <json>` and exits 0.
 */
import { openDatabase } from '../../db/client.js';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { readConfig } from '../../src/config.js';
import { createWorkerSegmenter } from '../../src/jobs/segment-in-worker.js';
import { startLoopback } from '../../src/local/start-loopback.js';
import { createLogger } from '../../src/logger.js';
import { jobRows } from './job-rows.js';

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: sigterm-app-child <db>');

const SIGTERM_CHANNEL = 'C0STOP001';
const USER = 'U0STOPPER';

const database = openDatabase(path);
const loopback = await startLoopback({
  config: readConfig({ SEGBOT_DB: path, SEGBOT_ADMINS: USER, LOG_LEVEL: 'silent' }),
  database,
  logger: createLogger({ level: 'silent' }),
  overrides: {
    segmentCustomers: createWorkerSegmenter({
      workerUrl: new URL('./slow-segment-worker.ts', import.meta.url),
    }),
  },
});
const { emulator } = loopback;
emulator.addChannel({ id: SIGTERM_CHANNEL, name: 'stop' });
emulator.addUser({ id: USER, name: 'stop' });

process.once('SIGTERM', () => {
  void loopback.close().then(() => {
    const bot = emulator.messages(SIGTERM_CHANNEL).filter((message) => message.user === emulator.botUserId);
    process.stdout.write(`last: ${JSON.stringify(bot.at(-1)?.text ?? '')}\n`);
    database.close();
    process.exit(0);
  });
});

const datasets = createDatasetStore(database);
await emulator.shareFile(
  SIGTERM_CHANNEL,
  USER,
  'customers.csv',
  new TextEncoder().encode(generateCustomersCsv({ rows: 200, seed: 9 })),
);
await emulator.waitFor(async () => (await datasets.latestDataset(SIGTERM_CHANNEL)) ?? undefined, {
  what: 'the dataset',
});
await emulator.waitFor(() => loopback.segbot.pendingJobs() === 0 || undefined, { what: 'idle' });
await emulator.sendCommand(SIGTERM_CHANNEL, USER, 'segment k=3 seed=1');
await emulator.waitFor(
  () => jobRows(database, SIGTERM_CHANNEL).find((job) => job.kind === 'segment' && job.status === 'running'),
  { what: 'the run under way' },
);
process.stdout.write('mid-run\n');
