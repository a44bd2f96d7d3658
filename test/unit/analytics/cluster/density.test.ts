import { describe, expect, it } from 'vitest';
import { densityCluster } from '../../../../src/analytics/cluster/density.js';
import { adjustedRandIndex } from '../../../../src/analytics/cluster/stability.js';
import { createRng } from '../../../../src/analytics/rng.js';
import type { Matrix } from '../../../../src/analytics/types.js';

/** Three tight blobs of 400 in 2-D, then `outliers` customers scattered far outside them. */
function planted(outliers: number, seed: number): { X: Matrix; truth: Int32Array } {
  const rng = createRng(seed);
  const centres = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];
  const rows: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < 1200; i++) {
    const c = i % 3;
    rows.push([centres[c]![0]! + rng.normal(), centres[c]![1]! + rng.normal()]);
    truth.push(c);
  }
  for (let o = 0; o < outliers; o++) {
    const angle = (2 * Math.PI * o) / outliers;
    rows.push([5 + 30 * Math.cos(angle), 5 + 30 * Math.sin(angle)]);
    truth.push(-1);
  }
  return {
    X: { data: Float64Array.from(rows.flat()), rows: rows.length, cols: 2 },
    truth: Int32Array.from(truth),
  };
}

describe('densityCluster', () => {
  it('finds the planted blobs and flags every planted outlier', () => {
    const { X, truth } = planted(24, 3);
    const result = densityCluster(X, { seed: 1 });
    expect(result.clusters).toBe(3);
    for (let i = 1200; i < X.rows; i++) expect(result.labels[i]).toBe(-1);
    // A few blob edges may be outliers too, but the blobs themselves come out as planted.
    expect(result.outliers).toBeLessThan(24 + 0.05 * 1200);
    const blobRows = truth.subarray(0, 1200);
    const found = result.labels.subarray(0, 1200);
    const inside = Int32Array.from(blobRows.filter((_, i) => found[i]! >= 0));
    const inFound = Int32Array.from(found.filter((label) => label >= 0));
    expect(adjustedRandIndex(inside, inFound)).toBeGreaterThan(0.99);
  });

  it('labels large inputs from a sample with the same answer for the same seed', () => {
    const { X } = planted(40, 8);
    const a = densityCluster(X, { seed: 4, fitSampleSize: 600, epsSampleSize: 300 });
    const b = densityCluster(X, { seed: 4, fitSampleSize: 600, epsSampleSize: 300 });
    expect(a.fitRows).toBe(600);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.clusters).toBe(3);
    for (let i = 1200; i < X.rows; i++) expect(a.labels[i]).toBe(-1);
  });

  it('counts a pocket smaller than the minimum share as outliers, not as a segment', () => {
    const { X } = planted(0, 5);
    const pocket = Array.from({ length: 12 }, (_, i) => [40 + 0.01 * i, 40]);
    const data = Float64Array.from([...X.data, ...pocket.flat()]);
    const result = densityCluster({ data, rows: X.rows + 12, cols: 2 }, { seed: 2 });
    expect(result.clusters).toBe(3);
    for (let i = X.rows; i < X.rows + 12; i++) expect(result.labels[i]).toBe(-1);
  });

  it('rejects more than three columns', () => {
    expect(() => densityCluster({ data: new Float64Array(80), rows: 20, cols: 4 }, { seed: 1 })).toThrow(
      /1 to 3 columns/,
    );
  });
});
