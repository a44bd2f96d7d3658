import { describe, expect, it } from 'vitest';
import { allocateSample, stratifiedSample } from '../../../charts/sample-points.js';
import { createRng } from '../../../src/analytics/rng.js';

function labelsWithSizes(sizes: number[], seed: number): Int32Array {
  const labels: number[] = [];
  sizes.forEach((size, group) => {
    for (let i = 0; i < size; i++) labels.push(group);
  });
  // Shuffle so groups interleave as they do in a real customer file.
  const rng = createRng(seed);
  for (let i = labels.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  return Int32Array.from(labels);
}

function countByGroup(labels: Int32Array, rows: Int32Array, groups: number): number[] {
  const counts = new Array<number>(groups).fill(0);
  for (const row of rows) counts[labels[row]!]!++;
  return counts;
}

describe('allocateSample', () => {
  it('takes everything when the budget covers all rows', () => {
    expect(allocateSample([3, 5, 0], 100, 10)).toEqual([3, 5, 0]);
  });

  it('spends exactly the budget, in proportion, with a floor for small groups', () => {
    const quota = allocateSample([9000, 900, 90, 10], 1000, 30);
    expect(quota.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(quota[3]).toBe(10); // the whole group: it has fewer rows than the floor
    expect(quota[2]).toBeGreaterThanOrEqual(30);
    expect(quota[0]! / quota[1]!).toBeCloseTo(10, 0);
  });

  it('splits the budget evenly when the floors alone would exceed it', () => {
    expect(allocateSample([100, 100, 100, 2], 10, 30)).toEqual([3, 3, 2, 2]);
  });
});

describe('stratifiedSample', () => {
  const labels = labelsWithSizes([6000, 3000, 900, 100], 11);

  it('is deterministic for a seed and changes with the seed', () => {
    const a = stratifiedSample(labels, 4, { maxPoints: 500, seed: 5 });
    const b = stratifiedSample(labels, 4, { maxPoints: 500, seed: 5 });
    const c = stratifiedSample(labels, 4, { maxPoints: 500, seed: 6 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('keeps every group at its allocated share, never more than maxPoints', () => {
    const rows = stratifiedSample(labels, 4, { maxPoints: 500, seed: 1, minPerGroup: 30 });
    expect(rows.length).toBe(500);
    expect(countByGroup(labels, rows, 4)).toEqual(allocateSample([6000, 3000, 900, 100], 500, 30));
  });

  it('returns distinct rows in increasing order', () => {
    const rows = stratifiedSample(labels, 4, { maxPoints: 700, seed: 2 });
    for (let i = 1; i < rows.length; i++) expect(rows[i]!).toBeGreaterThan(rows[i - 1]!);
  });

  it('spreads the picks over the whole file rather than taking the first rows', () => {
    const rows = stratifiedSample(labels, 4, { maxPoints: 500, seed: 3 });
    expect(rows[rows.length - 1]!).toBeGreaterThan(labels.length * 0.9);
    expect(rows[0]!).toBeLessThan(labels.length * 0.1);
  });

  it('returns every row when there are fewer than maxPoints, and skips unknown labels', () => {
    const small = Int32Array.from([0, 1, -1, 1, 7, 0]);
    expect(Array.from(stratifiedSample(small, 2, { maxPoints: 100, seed: 1 }))).toEqual([0, 1, 3, 5]);
  });
});
