/**
 * Child process for the two-instance test: one segbot instance, the real app in HTTP mode, with
 * its settings from the environment (SEGBOT_DB or SEGBOT_DATABASE_URL shared with the other
 * instance, SLACK_API_URL the
 * test's loopback Slack, a short SEGBOT_JOB_LEASE_SECONDS). Charts "render" to a few bytes and
 * segmentation runs in this thread, so 200 runs take seconds. A run asked for with seed=9999 is
 * slow the first time any instance starts it (SLOW_MARK records that), so the test can kill the
 * instance while it runs. Prints "listening <port>" once it takes requests.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { openStorage } from '../../db/open-storage.js';
import { segmentCustomers } from '../../src/analytics/segment/segment-customers.js';
import { createSegbotApp } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { FAKE_PNG } from './command-args.js';

/** The seed that marks the slow run. */
export const SLOW_SEED = 9999;

const slowMark = process.env['SLOW_MARK'];
const config = readConfig(process.env);
const database = await openStorage(config);
const segbot = createSegbotApp({
  config,
  database,
  logger: createLogger({ level: 'silent' }),
  host: '127.0.0.1',
  overrides: {
    renderChart: async () => FAKE_PNG,
    segmentCustomers: async (ingest, options) => {
      if (options.seed === SLOW_SEED && slowMark && !existsSync(slowMark)) {
        writeFileSync(slowMark, String(process.pid));
        await new Promise((resolve) => setTimeout(resolve, 60_000));
      }
      return segmentCustomers(ingest, options);
    },
  },
});
const { port } = await segbot.start();
process.stdout.write(`listening ${port}\n`);
