import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../../src/analytics/cluster/adjusted-rand.js';

describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under other label numbers', () => {
    expect(adjustedRandIndex(Int32Array.of(0, 0, 1, 1, 2, 2), Int32Array.of(5, 5, -1, -1, 0, 0))).toBe(1);
  });

  it('matches the hand-computed value of a small contingency table', () => {
    // scikit-learn's adjusted_rand_score([0,0,0,1,1,1], [0,0,1,1,2,2]) = 0.24242424…
    const value = adjustedRandIndex(Int32Array.of(0, 0, 0, 1, 1, 1), Int32Array.of(0, 0, 1, 1, 2, 2));
    expect(value).toBeCloseTo(0.242424, 5);
  });

  it('is negative or near zero for labellings that cut across each other', () => {
    const a = Int32Array.from({ length: 400 }, (_, i) => i % 2);
    const b = Int32Array.from({ length: 400 }, (_, i) => Math.floor(i / 2) % 2);
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01);
  });

  it('rejects labellings of different lengths', () => {
    expect(() => adjustedRandIndex(Int32Array.of(0, 1), Int32Array.of(0))).toThrow(/2 and 1 rows/);
  });
});
