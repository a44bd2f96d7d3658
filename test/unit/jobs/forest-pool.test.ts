import { describe, expect, it } from 'vitest';
import { predictBoosting, trainBoosting } from '../../../src/analytics/predict/gradient-boosting.js';
import { predictForest, trainForest } from '../../../src/analytics/predict/random-forest.js';
import { serializeBoosting, serializeForest } from '../../../src/analytics/predict/serialize-forest.js';
import {
  predictBoostingWith,
  predictForestWith,
  trainForestWith,
} from '../../../src/analytics/predict/tree-runner.js';
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

  it('gives the same boosted model and scores for one thread, two threads and none', async () => {
    const s = plantedSplit({ rows: 2500, numeric: 5, categorical: 2, seed: 13 });
    const options = { seed: 3 };
    const local = trainBoosting(s.train, s.trainLabels, options);
    const localScores = Array.from(predictBoosting(local, s.test));
    for (const threads of [1, 2]) {
      const used: number[] = [];
      const pool = createForestPool({
        threads,
        minRowsForTraining: 0,
        minRowsForScoring: 0,
        onThreads: (n) => used.push(n),
      });
      try {
        // Boosting and a forest side by side, as predict trains them.
        const [boosted] = await Promise.all([
          pool.boost({ data: s.train, labels: s.trainLabels, options }),
          trainForestWith(pool, s.train, s.trainLabels, { nTrees: 4, seed: 1 }),
        ]);
        expect(serializeBoosting(boosted)).toEqual(serializeBoosting(local));
        expect(Array.from(await predictBoostingWith(pool, boosted, s.test))).toEqual(localScores);
        // Boosting ran on a worker (1), the forest on `threads` of them, scoring too.
        expect(used).toContain(1);
        expect(used).not.toContain(0);
      } finally {
        await pool.close();
      }
    }
  });
});
