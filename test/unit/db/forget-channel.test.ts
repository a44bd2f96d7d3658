import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.js';
import type { StorageDatabase } from '../../../db/client-pg.js';
import { createAccessStore } from '../../../db/repositories/access-store.js';
import { createCampaignStore } from '../../../db/repositories/campaign-store.js';
import { createDatasetStore } from '../../../db/repositories/dataset-store.js';
import { forgetChannel } from '../../../db/repositories/forget-channel.js';
import { createJobStore } from '../../../db/repositories/job-store.js';
import { createModelStore } from '../../../db/repositories/model-store.js';
import { createRunStore } from '../../../db/repositories/run-store.js';
import { createScheduleStore } from '../../../db/repositories/schedule-store.js';
import { countRows, storageBackends } from '../../helpers/storage-backends.js';
import { buildIngest, buildSegmentation } from './build-ingest.js';

describe.each(storageBackends())('on $name', (backend) => {
  let database: StorageDatabase;
  beforeEach(async () => {
    database = await backend.open();
  });
  afterEach(() => database.close());

  async function fill(channelId: string, datasetsCount: number): Promise<void> {
    const datasets = createDatasetStore(database);
    const runs = createRunStore(database);
    const models = createModelStore(database);
    const schedules = createScheduleStore(database);
    let previous: number | null = null;
    for (let v = 0; v < datasetsCount; v++) {
      const dataset = await datasets.saveDataset({
        channelId,
        userId: 'U1',
        ingest: buildIngest({ rows: 30, seed: v }),
      });
      const run = await runs.startRun({
        channelId,
        datasetId: dataset.id,
        userId: 'U1',
        params: { k: 3, seed: 1 },
      });
      await runs.completeRun(run.id, buildSegmentation(30, 3, v));
      const failed = await runs.startRun({
        channelId,
        datasetId: dataset.id,
        userId: 'U1',
        params: { k: 3, seed: 1 },
      });
      await runs.failRun(failed.id, 'boom');
      await models.saveModel({
        channelId,
        datasetId: dataset.id,
        product: 'loan',
        model: { format: 'json', value: v },
        metrics: {},
      });
      if (previous !== null) {
        await schedules.recordChangeThread({
          channelId,
          runId: run.id,
          previousRunId: previous,
          threadTs: `${v}.0`,
        });
      }
      previous = run.id;
    }
    await schedules.claimDigest({ channelId, periodKey: 'w1' });
    const campaigns = createCampaignStore(database);
    await campaigns.createCampaign({
      channelId,
      name: 'Loan push',
      datasetId: await previousDataset(channelId),
      runId: previous,
      product: 'loan',
      definition: {
        segments: null,
        productLabel: 'loan',
        cut: null,
        holdout: 0.5,
        seed: 1,
        eligible: 2,
        suppressed: { deceased: 0, 'opted out': 0, employee: 0, 'suppression list': 0 },
        excluded: 0,
        treatment: 1,
        control: 1,
        baseRate: 0.1,
        power: '',
      },
      createdBy: 'U1',
      members: [
        { customerId: 'C1', group: 'treatment', segment: 'a', score: 0.5, decile: 1 },
        { customerId: 'C2', group: 'control', segment: 'a', score: 0.4, decile: 1 },
      ],
    });
    await campaigns.replaceSuppressionList(channelId, ['C7', 'C8', 'C8'], 'U1');
  }

  async function previousDataset(channelId: string): Promise<number> {
    return (await createDatasetStore(database).latestDataset(channelId))!.id;
  }

  const count = (table: string) => countRows(database, table);

  describe('forgetChannel', () => {
    it("deletes a channel's customer data, says how much, and leaves other channels alone", async () => {
      await fill('A', 3);
      await fill('B', 1);
      await createScheduleStore(database).setSchedule({
        channelId: 'A',
        day: 'monday',
        time: '09:00',
        timezone: 'UTC',
        createdBy: 'U1',
      });
      await createAccessStore(database).allowChannel('A', 'U1');
      const jobs = createJobStore(database);
      const failed = async (channelId: string) => {
        const job = await jobs.enqueue({ channelId, kind: 'upload', owner: 'test', leaseUntil: new Date() });
        await jobs.fail(job.id, 'a.csv, line 2, column BALANCE: the value on line 2 is not a number.');
        return job.id;
      };
      const jobA = await failed('A');
      const jobB = await failed('B');

      expect(await forgetChannel(database, 'A')).toEqual({
        datasets: 3,
        customers: 90,
        runs: 6,
        models: 3,
        changeThreads: 2,
        digests: 1,
        campaigns: 1,
        suppressionEntries: 2,
        jobErrors: 1,
      });
      // The job log keeps that the job failed, not why; other channels' errors stay.
      expect(await jobs.getJob(jobA)).toMatchObject({ status: 'failed', error: null });
      expect((await jobs.getJob(jobB))?.error).toMatch(/line 2/);

      expect(await createDatasetStore(database).listDatasets('A')).toEqual([]);
      expect(await createRunStore(database).listRuns('A')).toEqual([]);
      expect(await createModelStore(database).listModels('A')).toEqual([]);
      // Only channel B's rows remain anywhere.
      expect(await count('datasets')).toBe(1);
      expect(await count('customers')).toBe(30);
      expect(await count('dataset_columns')).toBe(buildIngest({ rows: 1 }).table.columns.length);
      expect(await count('runs')).toBe(2);
      expect(await count('run_segments')).toBe(3);
      expect(await count('assignments')).toBe(1);
      expect(await count('models')).toBe(1);
      expect(await count('campaigns')).toBe(1);
      expect(await count('campaign_members')).toBe(2);
      expect(await count('suppression_entries')).toBe(2);
      // Settings without customer data stay.
      expect(await createScheduleStore(database).getSchedule('A')).not.toBeNull();
      expect(await createAccessStore(database).isChannelAllowed('A')).toBe(true);

      expect(await forgetChannel(database, 'A')).toEqual({
        datasets: 0,
        customers: 0,
        runs: 0,
        models: 0,
        changeThreads: 0,
        digests: 0,
        campaigns: 0,
        suppressionEntries: 0,
        jobErrors: 0,
      });
    });

    // SQLite's secure_delete zeroes deleted rows in the file; PostgreSQL's side is the README's VACUUM paragraph.
    if (backend.name === 'sqlite') {
      it('leaves no trace of forgotten customer ids in the database file', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'segbot-forget-'));
        const file = openDatabase(join(dir, 'segbot.sqlite'));
        try {
          const ingest = buildIngest({ rows: 200, seed: 3 });
          const ids = ingest.table.columns.find((c) => c.name === 'CUST_ID')!.values as string[];
          // A marker no other row shares, so finding it in the file can only mean this customer.
          ids[0] = 'FORGET-ME-7f3a9c';
          await createDatasetStore(file).saveDataset({ channelId: 'A', userId: 'U1', ingest });
          file.sqlite.pragma('wal_checkpoint(TRUNCATE)');
          const path = join(dir, 'segbot.sqlite');
          expect(readFileSync(path).includes('FORGET-ME-7f3a9c')).toBe(true);

          await forgetChannel(file, 'A');
          file.sqlite.pragma('wal_checkpoint(TRUNCATE)');
          expect(readFileSync(path).includes('FORGET-ME-7f3a9c')).toBe(false);
        } finally {
          file.close();
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
});
