/**
 * The per-job time budget end to end: a real segmentation worker that never finishes is terminated
 * at SEGBOT_JOB_TIMEOUT_SECONDS, the channel is told what happened and what to do, and the run and
 * the job are recorded failed with a text that quotes no data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { createJobStore } from '../../db/repositories/job-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { createWorkerSegmenter } from '../../src/jobs/segment-in-worker.js';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';

describe('a job past SEGBOT_JOB_TIMEOUT_SECONDS', () => {
  let h: E2EHarness;

  beforeAll(async () => {
    h = await startE2E({
      // Long enough for the upload (its save runs on a worker too), short for a test.
      env: { SEGBOT_JOB_TIMEOUT_SECONDS: '4' },
      overrides: {
        segmentCustomers: createWorkerSegmenter({
          workerUrl: new URL('../helpers/slow-segment-worker.ts', import.meta.url),
        }),
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is stopped, the channel is told why and what to do, and the run is failed', async () => {
    await h.share('customers.csv', generateCustomersCsv({ rows: 300, seed: 3 }));
    const datasets = createDatasetStore(h.database);
    await h.emulator.waitFor(async () => (await datasets.latestDataset(h.channel)) ?? undefined, {
      what: 'the dataset',
    });
    await h.emulator.waitFor(() => h.loopback.segbot.pendingJobs() === 0 || undefined, { what: 'idle' });

    const started = Date.now();
    await h.segbot('segment k=3 seed=1');
    const reply = await h.waitForBotMessage((m) => /ran longer than/.test(messageText(m)), {
      what: 'the time-budget message',
    });
    const elapsed = Date.now() - started;
    const text = messageText(reply);
    expect(text).toContain('Segmentation run #');
    expect(text).toContain(
      'The segmentation ran longer than 4 seconds and was stopped; nothing was changed.',
    );
    expect(text).toContain('SEGBOT_JOB_TIMEOUT_SECONDS');
    expect(text).toContain('features=');
    // Stopped at the budget, not after the (endless) work.
    expect(elapsed).toBeGreaterThanOrEqual(4000);

    const run = (await createRunStore(h.database).listRuns(h.channel))[0];
    expect(run?.status).toBe('failed');
    expect(run?.error).toBe(
      'The segmentation ran longer than 4 seconds and was stopped; nothing was changed.',
    );
    await h.emulator.waitFor(() => h.loopback.segbot.pendingJobs() === 0 || undefined, {
      what: 'the channel free again',
    });
    const job = (await createJobStore(h.database).listJobs(h.channel)).find(
      (record) => record.kind === 'segment',
    );
    expect(job?.status).toBe('failed');
    expect(job?.error).toBe(run?.error);
  }, 60_000);
});
