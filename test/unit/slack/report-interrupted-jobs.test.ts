import { describe, expect, it } from 'vitest';
import type { DatasetRecord } from '../../../db/repositories/dataset-store.js';
import type { JobRecord } from '../../../db/repositories/job-store.js';
import {
  datasetOfInterruptedUpload,
  failInterruptedRuns,
  interruptedJobText,
  reportInterruptedJobs,
} from '../../../src/slack/report-interrupted-jobs.js';
import { createFakeClient, createRecordingLogger, slackPlatformError } from '../../helpers/command-args.js';

function job(overrides: Partial<JobRecord>): JobRecord {
  return {
    id: 1,
    channelId: 'C0A',
    kind: 'upload',
    status: 'interrupted',
    userId: 'U0DANA',
    progressTs: null,
    createdAt: new Date(0),
    startedAt: new Date(0),
    finishedAt: new Date(0),
    error: null,
    request: null,
    owner: null,
    leaseUntil: null,
    attempts: 1,
    ...overrides,
  };
}

describe('interruptedJobText', () => {
  it('says what was cut short, for whom, and that nothing half-done was kept', () => {
    const text = interruptedJobText(job({ kind: 'segment' }));
    expect(text).toContain(
      'A segmentation run (asked for by <@U0DANA>) was interrupted because segbot restarted',
    );
    expect(text).toContain('Nothing half-done was kept');
    expect(interruptedJobText(job({ startedAt: null }))).toContain('never started');
  });
});

/** A stored dataset as far as the interrupted-job report reads it. */
function dataset(overrides: Partial<DatasetRecord>): DatasetRecord {
  return {
    id: 1,
    channelId: 'C0A',
    version: 1,
    fileName: 'first.csv',
    fingerprint: 'f',
    rowCount: 10,
    delimiter: ',',
    schema: {} as DatasetRecord['schema'],
    quality: {} as DatasetRecord['quality'],
    uploadedBy: 'U0DANA',
    createdAt: new Date(0),
    ...overrides,
  };
}

const NO_DATASETS = { listDatasets: async () => [] };

describe('datasetOfInterruptedUpload', () => {
  const started = new Date(10_000);
  const stored = [
    dataset({ version: 4, createdAt: new Date(5_000) }),
    dataset({ id: 5, version: 5, fileName: 'big.csv', rowCount: 1_000_000, createdAt: new Date(12_000) }),
  ];
  const store = {
    listDatasets: async (channelId: string) => stored.filter((d) => d.channelId === channelId),
  };

  it('finds the version the upload committed after it started', async () => {
    expect((await datasetOfInterruptedUpload(job({ startedAt: started }), store))?.version).toBe(5);
  });

  it('finds nothing when only older versions exist, for other kinds, or when the job never started', async () => {
    expect(await datasetOfInterruptedUpload(job({ startedAt: new Date(13_000) }), store)).toBeNull();
    expect(await datasetOfInterruptedUpload(job({ kind: 'segment', startedAt: started }), store)).toBeNull();
    expect(await datasetOfInterruptedUpload(job({ startedAt: null }), store)).toBeNull();
    expect(
      await datasetOfInterruptedUpload(job({ startedAt: started, userId: 'U0OTHER' }), store),
    ).toBeNull();
  });

  it('says the upload finished, with its version, instead of claiming nothing was kept', async () => {
    const text = interruptedJobText(
      job({}),
      await datasetOfInterruptedUpload(job({ startedAt: started }), store),
    );
    expect(text).toContain('the upload finished');
    expect(text).toContain('is now v5');
    expect(text).toContain('1,000,000 rows');
    expect(text).not.toContain('Nothing half-done was kept');
  });
});

describe('reportInterruptedJobs', () => {
  it('turns the progress message into the failure and tells the channel', async () => {
    const fake = createFakeClient();
    const progress = await fake.client.chat.postMessage({ channel: 'C0A', text: 'Importing…' });
    const told = await reportInterruptedJobs(
      fake.client,
      [job({ progressTs: progress.ts! }), job({ id: 2, channelId: 'C0B', kind: 'segment' })],
      createRecordingLogger(),
      NO_DATASETS,
    );
    expect(told).toBe(2);
    expect(fake.messages[0]?.text).toContain('was interrupted');
    expect(fake.messages.slice(1).map((m) => m.channel)).toEqual(['C0A', 'C0B']);
  });

  it('keeps going when one channel cannot be told, and logs it', async () => {
    const fake = createFakeClient({
      fail: (method, args) =>
        method === 'chat.postMessage' && args.channel === 'C0GONE'
          ? slackPlatformError('is_archived')
          : undefined,
    });
    const logger = createRecordingLogger();
    const told = await reportInterruptedJobs(
      fake.client,
      [job({ channelId: 'C0GONE' }), job({ id: 2, channelId: 'C0B' })],
      logger,
      NO_DATASETS,
    );
    expect(told).toBe(1);
    expect(JSON.stringify(logger.entries)).toContain('is_archived');
  });
});

describe('failInterruptedRuns', () => {
  it('fails the running runs of the interrupted jobs’ channels only', async () => {
    const runs = [
      { id: 1, channelId: 'C0A', status: 'running' },
      { id: 2, channelId: 'C0A', status: 'done' },
      { id: 3, channelId: 'C0B', status: 'running' },
    ];
    const failed: number[] = [];
    const count = await failInterruptedRuns(
      {
        listRuns: async (channelId: string) => runs.filter((r) => r.channelId === channelId) as never,
        failRun: async (id: number) => {
          failed.push(id);
        },
      },
      [job({ channelId: 'C0A' }), job({ id: 2, channelId: 'C0A' })],
      'restarted',
    );
    expect(count).toBe(1);
    expect(failed).toEqual([1]);
  });
});
