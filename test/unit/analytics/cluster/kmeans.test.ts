import { kmeans as mlKmeans } from 'ml-kmeans';
import { describe, expect, it } from 'vitest';
import {
  assignToCentroids,
  computeInertia,
  kmeans,
  kmeansFromCentroids,
  kmeansPlusPlus,
} from '../../../../src/analytics/cluster/kmeans.js';
import { matrixFromRows, matrixToRows, selectRows } from '../../../../src/analytics/cluster/matrix.js';
import { sampleIndices } from '../../../../src/analytics/cluster/sample-rows.js';
import { createRng } from '../../../../src/analytics/rng.js';
import type { Matrix } from '../../../../src/analytics/types.js';
import { BadInputError } from '../../../../src/errors.js';
import { makeBlobs, makeSkewed, samePartition } from './make-blobs.js';

/** Plain Lloyd's algorithm, written for clarity: the reference the accelerated version must match. */
function naiveLloyd(X: Matrix, initial: Matrix): { labels: Int32Array; centroids: number[][] } {
  const rows = matrixToRows(X);
  let centroids = matrixToRows(initial);
  let labels = new Int32Array(rows.length).fill(-1);
  for (let iteration = 0; iteration < 1000; iteration++) {
    const next = new Int32Array(rows.length);
    rows.forEach((row, i) => {
      let best = Number.POSITIVE_INFINITY;
      centroids.forEach((centroid, j) => {
        const dist = row.reduce((sum, v, t) => sum + (v - centroid[t]!) ** 2, 0);
        if (dist < best) {
          best = dist;
          next[i] = j;
        }
      });
    });
    if (next.every((label, i) => label === labels[i])) break;
    labels = next;
    centroids = centroids.map((old, j) => {
      const members = rows.filter((_, i) => labels[i] === j);
      if (members.length === 0) return old;
      return old.map((_, t) => members.reduce((sum, m) => sum + m[t]!, 0) / members.length);
    });
  }
  return { labels, centroids };
}

function maxDifference(a: number[][], b: number[][]): number {
  let max = 0;
  a.forEach((row, i) => {
    row.forEach((v, j) => {
      max = Math.max(max, Math.abs(v - b[i]![j]!));
    });
  });
  return max;
}

describe('kmeansFromCentroids', () => {
  it.each([
    [2, 11],
    [3, 12],
    [5, 13],
    [8, 14],
  ])('matches ml-kmeans from the same initial centroids (k=%i, seed %i)', (k, seed) => {
    const X = makeSkewed(400, 5, seed);
    const initial = kmeansPlusPlus(X, k, createRng(seed));
    const mine = kmeansFromCentroids(X, initial);
    const theirs = mlKmeans(matrixToRows(X), k, {
      initialization: matrixToRows(initial),
      maxIterations: 1000,
      tolerance: 0,
    });
    expect(Array.from(mine.labels)).toEqual(theirs.clusters);
    expect(maxDifference(matrixToRows(mine.centroids), theirs.centroids)).toBeLessThan(1e-9);
    expect(mine.iterations).toBe(theirs.iterations);
  });

  it.each([3, 6, 10])('reaches the same fixed point as plain Lloyd (k=%i)', (k) => {
    const { X } = makeBlobs({ k: 6, perCluster: 120, dims: 4, seed: k, spread: 3, noise: 1.2 });
    const initial = kmeansPlusPlus(X, k, createRng(k * 7));
    const mine = kmeansFromCentroids(X, initial);
    const reference = naiveLloyd(X, initial);
    expect(Array.from(mine.labels)).toEqual(Array.from(reference.labels));
    expect(maxDifference(matrixToRows(mine.centroids), reference.centroids)).toBeLessThan(1e-9);
    expect(mine.inertia).toBeCloseTo(computeInertia(X, mine.centroids, mine.labels), 9);
  });

  it('matches plain Lloyd when far-apart centroids are skipped in the first pass (k=9, 7 columns)', () => {
    // Widely spread blobs: most of the centroids past the first four fail the triangle test and
    // are never measured; the labels and centroids must not notice.
    const { X } = makeBlobs({ k: 9, perCluster: 60, dims: 7, seed: 31, spread: 30, noise: 1 });
    const initial = kmeansPlusPlus(X, 9, createRng(31));
    const mine = kmeansFromCentroids(X, initial);
    const reference = naiveLloyd(X, initial);
    expect(Array.from(mine.labels)).toEqual(Array.from(reference.labels));
    expect(maxDifference(matrixToRows(mine.centroids), reference.centroids)).toBeLessThan(1e-9);
    const first = kmeansFromCentroids(X, initial, { maxIterations: 1 });
    expect(Array.from(first.labels)).toEqual(Array.from(assignToCentroids(X, initial)));
  });

  it('stops early once no centroid moves more than the tolerance', () => {
    const X = makeSkewed(500, 4, 3);
    const initial = kmeansPlusPlus(X, 4, createRng(3));
    const exact = kmeansFromCentroids(X, initial, { tolerance: 0 });
    const loose = kmeansFromCentroids(X, initial, { tolerance: 1 });
    const capped = kmeansFromCentroids(X, initial, { maxIterations: 2 });
    expect(loose.iterations).toBeLessThan(exact.iterations);
    expect(capped.iterations).toBe(2);
    // Labels always belong to the returned centroids.
    expect(Array.from(loose.labels)).toEqual(Array.from(assignToCentroids(X, loose.centroids)));
    expect(Array.from(capped.labels)).toEqual(Array.from(assignToCentroids(X, capped.centroids)));
  });

  it('gives an empty cluster the point farthest from its centroid', () => {
    const X = matrixFromRows([[0], [1], [2], [10], [11], [30]]);
    // The third centroid is so far away that no point picks it in the first pass.
    const result = kmeansFromCentroids(X, matrixFromRows([[1], [10], [1000]]));
    const sizes = [0, 0, 0];
    for (const label of result.labels) sizes[label]!++;
    expect(sizes.every((size) => size > 0)).toBe(true);
    expect(result.labels[5]).toBe(2);
    expect(result.centroids.data[2]).toBe(30);
  });
});

describe('kmeans', () => {
  it('recovers planted clusters', () => {
    const { X, truth } = makeBlobs({ k: 4, perCluster: 150, dims: 6, seed: 21 });
    const result = kmeans(X, { k: 4, seed: 5 });
    expect(samePartition(result.labels, truth)).toBe(true);
    expect(result.k).toBe(4);
    expect(result.centroids.rows).toBe(4);
    expect(result.centroids.cols).toBe(6);
  });

  it('gives bit-identical output for the same seed', () => {
    const X = makeSkewed(800, 5, 8);
    const a = kmeans(X, { k: 5, seed: 123, nInit: 4 });
    const b = kmeans(X, { k: 5, seed: 123, nInit: 4 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(a.centroids.data)).toEqual(Array.from(b.centroids.data));
    expect(a.inertia).toBe(b.inertia);
    expect(a.bestInit).toBe(b.bestInit);
    expect(a.iterations).toBe(b.iterations);
  });

  it('keeps the restart with the lowest inertia', () => {
    const X = makeSkewed(600, 4, 17);
    const many = kmeans(X, { k: 6, seed: 9, nInit: 8 });
    const rng = createRng(9);
    const single: number[] = [];
    for (let init = 0; init < 8; init++) {
      single.push(kmeansFromCentroids(X, kmeansPlusPlus(X, 6, rng.fork())).inertia);
    }
    expect(many.inertia).toBeCloseTo(Math.min(...single), 9);
    expect(single.indexOf(Math.min(...single))).toBe(many.bestInit);
  });

  it('returns labels consistent with its centroids and inertia', () => {
    const X = makeSkewed(700, 3, 4);
    const result = kmeans(X, { k: 4, seed: 1 });
    expect(Array.from(result.labels)).toEqual(Array.from(assignToCentroids(X, result.centroids)));
    expect(result.inertia).toBeCloseTo(computeInertia(X, result.centroids, result.labels), 9);
  });

  it('restarts on a seeded sample above restartSampleSize, then refines on all rows', () => {
    const { X, truth } = makeBlobs({ k: 3, perCluster: 300, dims: 4, seed: 12, spread: 5 });
    const result = kmeans(X, { k: 3, seed: 4, nInit: 3, restartSampleSize: 200 });
    const start = kmeans(selectRows(X, sampleIndices(900, 200, 4)), { k: 3, seed: 4, nInit: 3 });
    const refined = kmeansFromCentroids(X, start.centroids);
    expect(result.labels.length).toBe(900);
    expect(Array.from(result.labels)).toEqual(Array.from(refined.labels));
    expect(Array.from(result.centroids.data)).toEqual(Array.from(refined.centroids.data));
    expect(result.bestInit).toBe(start.bestInit);
    expect(samePartition(result.labels, truth)).toBe(true);
    expect(() => kmeans(X, { k: 3, seed: 1, restartSampleSize: 0 })).toThrow(RangeError);
  });

  it('handles k = 1 and k = n', () => {
    const X = matrixFromRows([
      [1, 1],
      [2, 2],
      [4, 4],
    ]);
    const one = kmeans(X, { k: 1, seed: 1 });
    expect(Array.from(one.centroids.data)).toEqual([7 / 3, 7 / 3]);
    const all = kmeans(X, { k: 3, seed: 1 });
    expect(new Set(all.labels).size).toBe(3);
    expect(all.inertia).toBe(0);
  });

  it('rejects impossible k with a coded error', () => {
    const X = makeSkewed(5, 2, 1);
    expect(() => kmeans(X, { k: 6, seed: 1 })).toThrow(BadInputError);
    expect(() => kmeans(X, { k: 0, seed: 1 })).toThrow(/positive whole number/);
    expect(() => kmeans(X, { k: 2, seed: 1, nInit: 0 })).toThrow(RangeError);
  });
});

describe('kmeansPlusPlus', () => {
  it('picks k distinct data points and depends only on the seed', () => {
    const X = makeSkewed(300, 3, 2);
    const a = kmeansPlusPlus(X, 5, createRng(4));
    const b = kmeansPlusPlus(X, 5, createRng(4));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const rows = matrixToRows(X).map((r) => r.join(','));
    const picked = matrixToRows(a).map((r) => r.join(','));
    expect(new Set(picked).size).toBe(5);
    for (const p of picked) expect(rows).toContain(p);
  });

  it('spreads the seeds over well-separated clusters', () => {
    const { X, truth } = makeBlobs({ k: 5, perCluster: 100, dims: 5, seed: 3, spread: 20 });
    const seeds = assignToCentroids(X, kmeansPlusPlus(X, 5, createRng(1)));
    // Every planted cluster contains the nearest points of exactly one seed.
    const seen = new Set<string>();
    for (let i = 0; i < truth.length; i++) seen.add(`${truth[i]}:${seeds[i]}`);
    expect(seen.size).toBe(5);
  });
});

describe('assignToCentroids', () => {
  it('picks the nearest centroid, the lowest index on a tie', () => {
    const X = matrixFromRows([[0], [5], [10], [2.5]]);
    const centroids = matrixFromRows([[0], [5], [10], [0]]);
    expect(Array.from(assignToCentroids(X, centroids))).toEqual([0, 1, 2, 0]);
    expect(() => assignToCentroids(X, matrixFromRows([[1, 2]]))).toThrow(RangeError);
  });
});
