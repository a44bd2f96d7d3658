import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, medianInPlace, selectInPlace } from '../../../src/analytics/median.js';

function sortedMedian(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

describe('median', () => {
  it('matches the median of the sorted values, with NaN skipped', () => {
    expect(median([3, Number.NaN, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(median([Number.NaN])).toBeNaN();
  });

  it('agrees with sorting on arbitrary data, including long runs of equal values', () => {
    const value = fc.oneof(
      fc.constant(0),
      fc.integer({ min: -5, max: 5 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), (values) => {
        const expected = sortedMedian(values);
        const actual = median(values);
        return Number.isNaN(expected) ? Number.isNaN(actual) : actual === expected;
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('partitions around the selected element', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 200 }),
        fc.nat(),
        (values, pick) => {
          const data = Float64Array.from(values);
          const k = pick % data.length;
          const selected = selectInPlace(data, k);
          const sorted = [...values].sort((a, b) => a - b);
          return (
            selected === sorted[k] &&
            Array.from(data.subarray(0, k)).every((v) => v <= selected) &&
            Array.from(data.subarray(k + 1)).every((v) => v >= selected)
          );
        },
      ),
      { seed: 4, numRuns: 300 },
    );
  });

  it('leaves the input of median untouched but reorders medianInPlace input', () => {
    const input = [5, 1, 4, 2, 3];
    median(input);
    expect(input).toEqual([5, 1, 4, 2, 3]);
    const data = Float64Array.from([5, 1, 4, 2, 3]);
    expect(medianInPlace(data)).toBe(3);
  });
});
