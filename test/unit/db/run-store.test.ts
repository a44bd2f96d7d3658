import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorageDatabase } from '../../../db/client-pg.js';
import { createDatasetStore, type DatasetRecord } from '../../../db/repositories/dataset-store.js';
import { createRunStore, type RunStore } from '../../../db/repositories/run-store.js';
import { NotFoundError } from '../../../src/errors.js';
import { storageBackends } from '../../helpers/storage-backends.js';
import { buildIngest, buildSegmentation } from './build-ingest.js';

describe.each(storageBackends())('on $name', (backend) => {
  let database: StorageDatabase;
  let runs: RunStore;
  let datasetA: DatasetRecord;
  let datasetB: DatasetRecord;
  let tick: number;

  beforeEach(async () => {
    database = await backend.open();
    tick = Date.parse('2026-11-02T09:00:00Z');
    const now = () => new Date((tick += 1000));
    const datasets = createDatasetStore(database, { now });
    datasetA = await datasets.saveDataset({
      channelId: 'A',
      userId: 'U1',
      ingest: buildIngest({ rows: 200 }),
    });
    datasetB = await datasets.saveDataset({
      channelId: 'B',
      userId: 'U2',
      ingest: buildIngest({ rows: 200 }),
    });
    runs = createRunStore(database, { now });
  });
  afterEach(() => database.close());

  const params = { k: 'auto' as const, seed: 7 };

  describe('createRunStore', () => {
    it('stores a completed run with its segments, labels and projection', async () => {
      const started = await runs.startRun({ channelId: 'A', datasetId: datasetA.id, userId: 'U1', params });
      expect(started).toMatchObject({
        status: 'running',
        datasetVersion: 1,
        k: null,
        segments: [],
        finishedAt: null,
      });

      const result = buildSegmentation(200, 4, 3);
      const done = await runs.completeRun(started.id, result);
      expect(done).toMatchObject({
        id: started.id,
        status: 'done',
        k: 4,
        silhouette: 0.31,
        inertia: 1234.5,
        params: result.params,
        transform: result.transform,
        kSelection: result.kSelection,
        silhouetteSample: result.silhouetteSample,
        pca: {
          explainedVarianceRatio: [0.6, 0.3],
          components: [
            [1, 0],
            [0, 1],
          ],
        },
        error: null,
      });
      expect(done.finishedAt).toBeInstanceOf(Date);
      expect(done.segments).toEqual(result.segments);
      expect(Array.from(await runs.loadAssignments(started.id))).toEqual(Array.from(result.labels));
      expect(Array.from((await runs.loadProjection(started.id))!)).toEqual(Array.from(result.pca.projection));
    });

    it('keeps runs to their channel', async () => {
      const a = await runs.startRun({ channelId: 'A', datasetId: datasetA.id, userId: 'U1', params });
      await runs.completeRun(a.id, buildSegmentation(200, 3));
      expect((await runs.getRun('A', a.id))?.id).toBe(a.id);
      expect(await runs.getRun('B', a.id)).toBeNull();
      expect(await runs.listRuns('B')).toEqual([]);
      expect(await runs.latestRun('B')).toBeNull();
      expect(await runs.previousRun('B', a.id + 1)).toBeNull();
      // A channel cannot start a run on another channel's dataset.
      await expect(
        runs.startRun({ channelId: 'B', datasetId: datasetA.id, userId: 'U2', params }),
      ).rejects.toThrow(NotFoundError);
    });

    it('lists newest first, filters the latest by status and finds the previous completed run', async () => {
      const first = await runs.startRun({ channelId: 'A', datasetId: datasetA.id, userId: 'U1', params });
      await runs.completeRun(first.id, buildSegmentation(200, 3, 1));
      const other = await runs.startRun({ channelId: 'B', datasetId: datasetB.id, userId: 'U2', params });
      const failed = await runs.startRun({ channelId: 'A', datasetId: datasetA.id, userId: 'U1', params });
      await runs.failRun(failed.id, 'k=12 is more than the 10 segments allowed');
      const third = await runs.startRun({
        channelId: 'A',
        datasetId: datasetA.id,
        userId: 'U1',
        params: { k: 5, seed: 1 },
      });
      await runs.completeRun(third.id, buildSegmentation(200, 5, 2));
      const running = await runs.startRun({ channelId: 'A', datasetId: datasetA.id, userId: 'U1', params });

      expect((await runs.listRuns('A')).map((r) => r.id)).toEqual([
        running.id,
        third.id,
        failed.id,
        first.id,
      ]);
      expect((await runs.listRuns('A', 2)).map((r) => r.id)).toEqual([running.id, third.id]);
      expect((await runs.latestRun('A'))?.id).toBe(running.id);
      expect((await runs.latestRun('A', { status: 'done' }))?.id).toBe(third.id);
      expect(await runs.latestRun('A', { status: 'failed' })).toMatchObject({
        id: failed.id,
        error: 'k=12 is more than the 10 segments allowed',
      });
      expect((await runs.previousRun('A', third.id))?.id).toBe(first.id);
      expect(await runs.previousRun('A', first.id)).toBeNull();
      expect((await runs.listRuns('A'))[1]!.segments.map((s) => s.size)).toEqual(
        buildSegmentation(200, 5, 2).segments.map((s) => s.size),
      );
      expect((await runs.latestRun('B'))?.id).toBe(other.id);
    });

    it('completes a run atomically: a bad segment leaves the run, segments and labels untouched', async () => {
      const run = await runs.startRun({ channelId: 'A', datasetId: datasetA.id, userId: 'U1', params });
      const result = buildSegmentation(200, 3);
      // Two segments with the same index violate the (run_id, segment_index) key after the run row
      // was updated and before the labels are written.
      result.segments[2] = { ...result.segments[2]!, index: 0 };
      await expect(runs.completeRun(run.id, result)).rejects.toThrow(
        /UNIQUE|PRIMARY KEY|insert into "run_segments"/,
      );
      const after = (await runs.getRun('A', run.id))!;
      expect(after).toMatchObject({ status: 'running', k: null, segments: [] });
      await expect(runs.loadAssignments(run.id)).rejects.toThrow(NotFoundError);
    });

    it('reports an unknown run when completing it', async () => {
      await expect(runs.completeRun(999, buildSegmentation(10, 2))).rejects.toThrow(NotFoundError);
    });
  });
});
