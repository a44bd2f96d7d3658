import { describe, expect, it } from 'vitest';
import { kmeans } from '../../../../src/analytics/cluster/kmeans.js';
import { matrixFromRows, matrixToRows, selectRows } from '../../../../src/analytics/cluster/matrix.js';
import {
  sampleIndices,
  silhouetteScore,
  silhouetteScores,
} from '../../../../src/analytics/cluster/silhouette.js';
import { createRng } from '../../../../src/analytics/rng.js';
import type { Matrix } from '../../../../src/analytics/types.js';
import { makeBlobs, makeSkewed } from './make-blobs.js';

/** The textbook definition, one point at a time (a point alone in its cluster scores 0). */
function naiveSilhouette(X: Matrix, labels: Int32Array): number {
  const rows = matrixToRows(X);
  const distance = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, t) => s + (v - b[t]!) ** 2, 0));
  const clusters = [...new Set(labels)];
  let total = 0;
  rows.forEach((row, i) => {
    const own = labels[i]!;
    const ownOthers = rows.filter((_, j) => j !== i && labels[j] === own);
    if (ownOthers.length === 0) return;
    const a = ownOthers.reduce((s, other) => s + distance(row, other), 0) / ownOthers.length;
    let b = Number.POSITIVE_INFINITY;
    for (const c of clusters) {
      if (c === own) continue;
      const members = rows.filter((_, j) => labels[j] === c);
      b = Math.min(b, members.reduce((s, other) => s + distance(row, other), 0) / members.length);
    }
    total += (b - a) / Math.max(a, b);
  });
  return total / rows.length;
}

describe('silhouetteScore', () => {
  it.each([2, 3, 5])('matches the textbook definition on all rows (k=%i)', (k) => {
    const X = makeSkewed(240, 4, k);
    const { labels } = kmeans(X, { k, seed: k, nInit: 2 });
    const result = silhouetteScore(X, labels, k, { seed: 1 });
    expect(result.exact).toBe(true);
    expect(result.size).toBe(240);
    expect(result.score).toBeCloseTo(naiveSilhouette(X, labels), 12);
  });

  it('is high for well-separated planted clusters and low for a random split', () => {
    const { X, truth } = makeBlobs({ k: 3, perCluster: 60, dims: 3, seed: 4, spread: 12 });
    expect(silhouetteScore(X, truth, 3, { seed: 1 }).score).toBeGreaterThan(0.8);
    const arbitrary = Int32Array.from(truth, (_, i) => i % 2);
    expect(silhouetteScore(X, arbitrary, 2, { seed: 1 }).score).toBeLessThan(0.1);
  });

  it('scores singletons 0 and a single cluster 0', () => {
    const X = matrixFromRows([[0], [1], [10]]);
    // Point 2 is alone: it contributes 0; points 0 and 1 have a = 1 and b = 10 and 9.
    const score = silhouetteScore(X, Int32Array.from([0, 0, 1]), 2, { seed: 1 }).score;
    expect(score).toBeCloseTo((0.9 + 8 / 9) / 3, 12);
    expect(silhouetteScore(X, Int32Array.from([0, 0, 0]), 1, { seed: 1 }).score).toBe(0);
  });

  it('uses a seeded sample above maxExact: the exact score of the sampled rows', () => {
    const X = makeSkewed(500, 3, 6);
    const { labels } = kmeans(X, { k: 3, seed: 2, nInit: 1 });
    const options = { seed: 77, maxExact: 100, sampleSize: 120 };
    const sampled = silhouetteScore(X, labels, 3, options);
    expect(sampled.exact).toBe(false);
    expect(sampled.size).toBe(120);
    expect(silhouetteScore(X, labels, 3, options)).toEqual(sampled);
    const rows = sampleIndices(500, 120, 77);
    const expected = naiveSilhouette(
      selectRows(X, rows),
      Int32Array.from(rows, (i) => labels[i]!),
    );
    expect(sampled.score).toBeCloseTo(expected, 12);
  });

  it('scores several labellings at once exactly as the textbook definition scores each', () => {
    // 150 rows span several 64-row tiles (diagonal, off-diagonal and a ragged last tile); random
    // labellings make many short runs of rows that every labelling groups together.
    const X = makeSkewed(150, 5, 9);
    const rng = createRng(31);
    const labellings: { k: number; labels: Int32Array }[] = [2, 3, 4, 7].map((k) => ({
      k,
      labels: Int32Array.from({ length: 150 }, () => rng.int(k)),
    }));
    labellings.push({ k: 5, labels: kmeans(X, { k: 5, seed: 3, nInit: 1 }).labels });
    // One empty cluster and one singleton.
    labellings.push({ k: 4, labels: Int32Array.from({ length: 150 }, (_, i) => (i === 7 ? 3 : i % 2)) });
    const results = silhouetteScores(X, labellings, { seed: 1 });
    expect(results).toHaveLength(labellings.length);
    results.forEach((result, t) => {
      const expected = naiveSilhouette(X, labellings[t]!.labels);
      expect(Math.abs(result.score - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
    });
  });

  it('rejects labels that do not fit the data', () => {
    const X = makeSkewed(10, 2, 1);
    expect(() => silhouetteScore(X, new Int32Array(9), 2, { seed: 1 })).toThrow(RangeError);
    expect(() => silhouetteScore(X, new Int32Array(10).fill(3), 2, { seed: 1 })).toThrow(/outside/);
  });
});

describe('silhouetteScores', () => {
  it('scores several labellings in one pass, each as if alone', () => {
    const X = makeSkewed(300, 3, 9);
    const labellings = [2, 3, 4].map((k) => ({ k, labels: kmeans(X, { k, seed: 1, nInit: 1 }).labels }));
    const together = silhouetteScores(X, labellings, { seed: 3 });
    labellings.forEach(({ k, labels }, index) => {
      expect(together[index]!.score).toBeCloseTo(silhouetteScore(X, labels, k, { seed: 3 }).score, 12);
    });
  });
});

describe('sampleIndices', () => {
  it('draws distinct sorted indices, reproducibly', () => {
    const a = sampleIndices(1000, 50, 5);
    expect(a.length).toBe(50);
    expect(new Set(a).size).toBe(50);
    expect(Array.from(a)).toEqual([...a].sort((x, y) => x - y));
    expect(Array.from(sampleIndices(1000, 50, 5))).toEqual(Array.from(a));
    expect(Array.from(sampleIndices(1000, 50, 6))).not.toEqual(Array.from(a));
    expect(sampleIndices(10, 50, 1).length).toBe(10);
  });
});
