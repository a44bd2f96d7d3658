import { describe, expect, it } from 'vitest';
import { predictForest, trainForest } from '../../../src/analytics/predict/random-forest.js';
import { serializeForest } from '../../../src/analytics/predict/serialize-forest.js';
import { predictForestWith, trainForestWith } from '../../../src/analytics/predict/tree-runner.js';
import { createForestPool } from '../../../src/jobs/forest-pool.js';
import { plantedSplit } from '../analytics/predict/planted.js';

describe('createForestPool', () => {
  it('gives the same forest and scores on worker threads as in this thread', async () => {
    const s = plantedSplit({ rows: 1200, numeric: 5, categorical: 1, seed: 9 });
    const options = { nTrees: 6, seed: 7, minSamplesLeaf: 2 };
    const local = trainForest(s.train, s.trainLabels, options);
    const used: number[] = [];
    const pool = createForestPool({
      threads: 2,
      minRowsForTraining: 0,
      minRowsForScoring: 0,
      onThreads: (n) => used.push(n),
    });
    try {
      const threaded = await trainForestWith(pool, s.train, s.trainLabels, options);
      expect(serializeForest(threaded)).toEqual(serializeForest(local));
      const scores = await predictForestWith(pool, local, s.test);
      expect(Array.from(scores)).toEqual(Array.from(predictForest(local, s.test)));
      // Both really ran on worker threads, not on the in-thread fallback.
      expect(used).toEqual([2, 2]);
    } finally {
      await pool.close();
    }
  });

  it('keeps small jobs on the calling thread, and bad input fails the same way as there', async () => {
    const s = plantedSplit({ rows: 300, numeric: 4, categorical: 0, seed: 2 });
    const used: number[] = [];
    const pool = createForestPool({ threads: 2, onThreads: (n) => used.push(n) });
    try {
      const model = await trainForestWith(pool, s.train, s.trainLabels, { nTrees: 3, seed: 1 });
      expect(serializeForest(model)).toEqual(
        serializeForest(trainForest(s.train, s.trainLabels, { nTrees: 3, seed: 1 })),
      );
      expect(used).toEqual([0]);
      await expect(trainForestWith(pool, s.train, s.trainLabels.subarray(1))).rejects.toThrow(
        /differ in length/,
      );
      await expect(predictForestWith(pool, { ...model, nFeatures: 9 }, s.test)).rejects.toThrow(
        /expects 9 features/,
      );
    } finally {
      await pool.close();
    }
  });
});
