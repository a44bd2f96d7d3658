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

describe('median of large arrays (bucketed by leading bits)', () => {
  it('agrees with sorting on a million-scale mix of zeros, negatives, ties and gaps', () => {
    const rng = (() => {
      let s = 12345;
      return () => {
        s = (s * 1103515245 + 12345) % 2147483648;
        return s / 2147483648;
      };
    })();
    const shapes: ((i: number) => number)[] = [
      () => (rng() < 0.6 ? 0 : Math.exp(8 * rng())),
      () => (rng() - 0.5) * 1e4,
      () => Math.round(rng() * 3) - 1,
      () => (rng() < 0.1 ? Number.NaN : 1000 + rng()),
      (i) => (i % 2 === 0 ? -0 : 0),
      () => (rng() < 0.5 ? -1e300 : 1e-300),
      () => (rng() < 0.001 ? Number.POSITIVE_INFINITY : rng() < 0.5 ? Number.NEGATIVE_INFINITY : 3),
    ];
    for (const shape of shapes) {
      for (const size of [20_000, 20_001, 65_537]) {
        const values = Float64Array.from({ length: size }, (_, i) => shape(i));
        const copy = values.slice();
        const expected = sortedMedian(Array.from(values));
        // Numeric equality: -0 and +0 are the same median, whichever of them a method returns.
        expect(median(values) === expected).toBe(true);
        expect(values).toEqual(copy);
        const present = Float64Array.from(Array.from(values).filter((v) => !Number.isNaN(v)));
        expect(medianInPlace(present) === expected).toBe(true);
      }
    }
  });

  it('skips NaNs of either sign and any payload, also where they share a bucket with an infinity', () => {
    // NaN bit patterns: the usual quiet NaN, negative ones, and payloads whose leading bits are 0,
    // which fall in the same bucket as +∞ or -∞.
    const nanBits = [
      0x7ff8000000000000n,
      0xfff8000000000000n,
      0x7ff0000000000001n,
      0xfff0000000000001n,
      0x7fffffffffffffffn,
    ];
    const nanOf = (bits: bigint) => new Float64Array(new BigUint64Array([bits]).buffer)[0]!;
    const nans = nanBits.map(nanOf);
    expect(nans.every((v) => Number.isNaN(v))).toBe(true);
    const fills: ((i: number) => number)[] = [
      (i) => (i % 3 === 0 ? nans[i % nans.length]! : i % 1000),
      (i) =>
        i % 3 === 0
          ? nans[i % nans.length]!
          : i % 7 === 0
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
      (i) => (i % 2 === 0 ? nans[i % nans.length]! : i % 5 === 0 ? 1 : Number.NEGATIVE_INFINITY),
      (i) => (i % 10 === 0 ? -i : nans[i % nans.length]!),
    ];
    for (const fill of fills) {
      for (const size of [20_000, 20_001]) {
        const values = Float64Array.from({ length: size }, (_, i) => fill(i));
        expect(median(values)).toBe(sortedMedian(Array.from(values)));
      }
    }
  });

  it('reads a subarray at an offset of its buffer', () => {
    const whole = Float64Array.from({ length: 50_000 }, (_, i) => (i < 10_000 ? 1e9 : i % 997));
    const part = whole.subarray(10_000);
    expect(median(part)).toBe(sortedMedian(Array.from(part)));
  });
});
