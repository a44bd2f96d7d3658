import { describe, expect, it } from 'vitest';
import { chooseK, findElbow, MIN_STABILITY } from '../../../../src/analytics/cluster/choose-k.js';
import { assignToCentroids, kmeans } from '../../../../src/analytics/cluster/kmeans.js';
import { matrixFromRows } from '../../../../src/analytics/cluster/matrix.js';
import { adjustedRandIndex } from '../../../../src/analytics/cluster/stability.js';
import { BadInputError } from '../../../../src/errors.js';
import { makeBlobs, samePartition } from './make-blobs.js';

describe('chooseK', () => {
  it('finds the planted number of clusters and says which k scored what', () => {
    const { X, truth } = makeBlobs({ k: 4, perCluster: 80, dims: 5, seed: 2 });
    const { selection, fits } = chooseK(X, { seed: 3, kMin: 2, kMax: 7, nInit: 3 });
    expect(selection.k).toBe(4);
    expect(selection.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(selection.silhouetteSample).toEqual({ exact: true, size: 320 });
    expect(selection.fitSampleSize).toBeUndefined();
    const best = selection.scores.find((s) => s.k === 4)!;
    expect(selection.reason).toContain(`k=4: best silhouette ${best.silhouette.toFixed(3)} among k=2..7`);
    expect(selection.reason).toContain('k=2 ');
    expect(selection.reason).toMatch(/elbow at k=4/);
    expect(samePartition(fits.get(4)!.labels, truth)).toBe(true);
  });

  it('fits every k exactly as kmeans would with the same seed', () => {
    const { X } = makeBlobs({ k: 3, perCluster: 50, dims: 3, seed: 8, spread: 3 });
    const { selection, fits } = chooseK(X, { seed: 11, kMin: 2, kMax: 4, nInit: 2 });
    expect([...fits.keys()]).toEqual([2, 3, 4]);
    for (const [k, fit] of fits) {
      const direct = kmeans(X, { k, seed: 11, nInit: 2 });
      expect(Array.from(fit.labels)).toEqual(Array.from(direct.labels));
      expect(selection.scores.find((s) => s.k === k)!.inertia).toBe(direct.inertia);
    }
  });

  it('is deterministic under a seed', () => {
    const { X } = makeBlobs({ k: 5, perCluster: 40, dims: 4, seed: 5, spread: 4 });
    const a = chooseK(X, { seed: 1, nInit: 2 });
    const b = chooseK(X, { seed: 1, nInit: 2 });
    expect(a.selection).toEqual(b.selection);
    expect(Array.from(a.fits.get(a.selection.k)!.labels)).toEqual(
      Array.from(b.fits.get(b.selection.k)!.labels),
    );
  });

  it('searches k on a sample for large inputs, then fits the chosen k on all rows', () => {
    const { X, truth } = makeBlobs({ k: 3, perCluster: 200, dims: 4, seed: 6 });
    const { selection, fits } = chooseK(X, {
      seed: 2,
      kMax: 5,
      nInit: 2,
      fitSampleSize: 150,
      maxExact: 100,
      silhouetteSampleSize: 80,
    });
    expect(selection.k).toBe(3);
    expect(selection.fitSampleSize).toBe(150);
    expect(selection.silhouetteSample).toEqual({ exact: false, size: 80 });
    expect(selection.reason).toMatch(/sample of 150 of 600 rows, then k=3 fitted on all rows/);
    expect(selection.reason).toMatch(/Silhouette on a seeded sample of 80 rows/);
    expect([...fits.keys()]).toEqual([3]);
    const fit = fits.get(3)!;
    expect(fit.labels.length).toBe(600);
    expect(samePartition(fit.labels, truth)).toBe(true);
    expect(Array.from(fit.labels)).toEqual(Array.from(assignToCentroids(X, fit.centroids)));
    const direct = kmeans(X, { k: 3, seed: 2, nInit: 2, restartSampleSize: 150 });
    expect(Array.from(fit.centroids.data)).toEqual(Array.from(direct.centroids.data));
    expect(fit.inertia).toBe(direct.inertia);
  });

  it('caps kMax below the number of rows and rejects inputs too small to choose', () => {
    const X = matrixFromRows([[0], [1], [10], [11]]);
    const { selection } = chooseK(X, { seed: 1, nInit: 1 });
    expect(selection.scores.map((s) => s.k)).toEqual([3]);
    const three = chooseK(matrixFromRows([[0], [1], [10]]), { seed: 1, nInit: 1 }).selection;
    expect(three.scores.map((s) => s.k)).toEqual([2]);
    expect(() => chooseK(matrixFromRows([[0], [1]]), { seed: 1 })).toThrow(BadInputError);
    expect(() => chooseK(X, { seed: 1, kMin: 1 })).toThrow(RangeError);
  });
});

describe('chooseK for marketing', () => {
  it('tries k = 3..8 by default and names the (at most three) alternatives that came close', () => {
    // A uniform grid has no natural k: several k score alike.
    const X = matrixFromRows(
      Array.from({ length: 400 }, (_, i) => [i % 20, Math.floor(i / 20), (i * 7919) % 13]),
    );
    const { selection } = chooseK(X, { seed: 1, nInit: 2 });
    expect(selection.scores.map((s) => s.k)).toEqual([3, 4, 5, 6, 7, 8]);
    const winner = selection.scores.find((s) => s.k === selection.k)!;
    // Near alternatives are the stable ones (see the stability tests below).
    const close = selection.scores
      .filter(
        (s) =>
          s.k !== winner.k && s.silhouette >= winner.silhouette - 0.02 && (s.stability ?? 1) >= MIN_STABILITY,
      )
      .sort((a, b) => b.silhouette - a.silhouette)
      .slice(0, 3);
    expect(close.length).toBeGreaterThan(0);
    const named = close.map((s) => `k=${s.k} (${s.silhouette.toFixed(3)})`).join(' and ');
    expect(selection.reason).toContain(`${named} ${close.length === 1 ? 'is' : 'are'} nearly as good.`);
  });

  it('scores every k by its agreement across seeds and passes over an unstable k', () => {
    // Four clear blobs: k=4 comes out the same with any seed; most other k split blobs arbitrarily.
    const rows: number[][] = [];
    const centres = [
      [0, 0],
      [10, 0],
      [0, 10],
      [10, 10],
    ];
    for (let i = 0; i < 400; i++) {
      const [cx, cy] = centres[i % 4]!;
      rows.push([cx! + ((i * 37) % 11) / 10, cy! + ((i * 53) % 13) / 10]);
    }
    const { selection } = chooseK(matrixFromRows(rows), { seed: 3, nInit: 3 });
    const four = selection.scores.find((s) => s.k === 4)!;
    expect(four.stability).toBeCloseTo(1, 6);
    expect(selection.k).toBe(4);
    for (const score of selection.scores) {
      expect(score.stability).toBeGreaterThanOrEqual(-0.5);
      expect(score.stability).toBeLessThanOrEqual(1);
    }
    expect(selection.reason).toContain("Other seeds reproduce k=4's segments with agreement 1.00");
  });

  it('prefers a stable k over a slightly better silhouette whose segments change with the seed', () => {
    // The same grid as above: agreement differs between k, and the chosen k is among the most stable.
    const X = matrixFromRows(
      Array.from({ length: 400 }, (_, i) => [i % 20, Math.floor(i / 20), (i * 7919) % 13]),
    );
    const { selection } = chooseK(X, { seed: 1, nInit: 2 });
    const winner = selection.scores.find((s) => s.k === selection.k)!;
    const most = Math.max(...selection.scores.map((s) => s.stability ?? 1));
    expect(winner.stability!).toBeGreaterThanOrEqual(Math.min(MIN_STABILITY, most - 0.1));
    // On this grid k=4 is reproduced exactly and k=3, 5, 7 and 8 are not.
    expect(selection.k).toBe(4);
    expect(selection.reason).toContain('Passed over as unstable across seeds (agreement under 0.75): k=3');
  });

  it('passes over a k that leaves a segment under 2% of customers', () => {
    // Three big groups and a group of 3 points between them (1% of 303): k=4 isolates those.
    const rows: number[][] = [];
    for (let g = 0; g < 3; g++)
      for (let i = 0; i < 100; i++) rows.push([g * 10 + (i % 10) * 0.05, (i % 7) * 0.05]);
    for (let i = 0; i < 3; i++) rows.push([10 + i * 0.01, 4]);
    const X = matrixFromRows(rows);
    const { selection } = chooseK(X, { seed: 2, nInit: 3, kMax: 5 });
    const four = selection.scores.find((s) => s.k === 4)!;
    expect(four.smallestShare).toBeLessThan(0.02);
    expect(selection.k).not.toBe(4);
    expect(selection.reason).toMatch(/Passed over k=4[^.]*: a segment under 2% of customers/);
    const loose = chooseK(X, { seed: 2, nInit: 3, kMax: 5, minShare: 0 }).selection;
    expect(loose.reason).not.toContain('Passed over');
  });
});

describe('findElbow', () => {
  it('finds the bend of an inertia curve', () => {
    const inertias = [1000, 600, 250, 220, 200, 185, 175];
    const scores = inertias.map((inertia, i) => ({ k: i + 2, inertia, silhouette: 0 }));
    expect(findElbow(scores)).toBe(4);
  });

  it('has no elbow for a straight line or too few points', () => {
    const line = [2, 3, 4, 5].map((k) => ({ k, inertia: 100 - 10 * k, silhouette: 0 }));
    expect(findElbow(line)).toBeNull();
    expect(findElbow(line.slice(0, 2))).toBeNull();
  });
});

describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under any numbering and near 0 for unrelated ones', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [2, 2, 0, 0, 1, 1])).toBeCloseTo(1, 12);
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 0, 1])).toBeLessThan(0);
    const a = Array.from({ length: 1000 }, (_, i) => i % 4);
    const b = Array.from({ length: 1000 }, (_, i) => Math.floor(i / 250));
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01);
    expect(() => adjustedRandIndex([0], [0, 1])).toThrow(RangeError);
  });
});
