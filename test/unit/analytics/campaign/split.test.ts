/**
 * The stratified split: within one customer of proportional per stratum, segment and decile;
 * seeded; and a controlled rounding that keeps line sums.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  controlledRounding,
  type SplitCandidate,
  splitAudience,
} from '../../../../src/analytics/campaign/split.js';
import { createRng } from '../../../../src/analytics/rng.js';

function candidates(n: number, segments: number, seed: number): SplitCandidate[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, row) => ({
    row,
    segment: Math.min(segments - 1, Math.floor(rng.next() ** 2 * segments)),
    decile: 1 + rng.int(10),
  }));
}

function margins(list: SplitCandidate[], control: Uint8Array, key: (c: SplitCandidate) => string) {
  const totals = new Map<string, { all: number; held: number }>();
  list.forEach((c, k) => {
    const entry = totals.get(key(c)) ?? { all: 0, held: 0 };
    entry.all++;
    entry.held += control[k]!;
    totals.set(key(c), entry);
  });
  return [...totals.values()];
}

describe('splitAudience', () => {
  it('keeps every segment, decile and segment × decile within one customer of proportional', () => {
    for (const [n, segments, holdout] of [
      [5000, 5, 0.1],
      [737, 3, 0.15],
      [61, 7, 0.05],
      [20_000, 8, 0.2],
    ] as const) {
      const list = candidates(n, segments, n);
      const { control, controlCount } = splitAudience(list, { holdout, seed: 3 });
      expect(Math.abs(controlCount - n * holdout)).toBeLessThanOrEqual(1);
      for (const key of [
        (c: SplitCandidate) => `${c.segment}`,
        (c: SplitCandidate) => `${c.decile}`,
        (c: SplitCandidate) => `${c.segment}/${c.decile}`,
      ]) {
        for (const { all, held } of margins(list, control, key)) {
          expect(Math.abs(held - all * holdout)).toBeLessThan(1 + 1e-9);
        }
      }
    }
  });

  it('gives the same split for the same seed and another for another seed', () => {
    const list = candidates(2000, 4, 1);
    const a = splitAudience(list, { holdout: 0.1, seed: 42 });
    const b = splitAudience(list, { holdout: 0.1, seed: 42 });
    const c = splitAudience(list, { holdout: 0.1, seed: 43 });
    expect([...a.control]).toEqual([...b.control]);
    expect([...a.control]).not.toEqual([...c.control]);
  });

  it('refuses a holdout outside (0, 1)', () => {
    expect(() => splitAudience([], { holdout: 0, seed: 1 })).toThrow(/between 0 and 1/);
  });
});

describe('controlledRounding', () => {
  it('rounds each entry to 0 or 1 with row and column sums at their floor or ceiling', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 80, maxLength: 80 }),
        (rows, cols, values) => {
          const matrix = Array.from({ length: rows }, (_, i) => values.slice(i * cols, (i + 1) * cols));
          const rounded = controlledRounding(matrix);
          for (let i = 0; i < rows; i++) {
            const exact = matrix[i]!.reduce((s, v) => s + v, 0);
            const got = rounded[i]!.reduce((s, v) => s + v, 0);
            expect(Math.abs(got - exact)).toBeLessThan(1 + 1e-9);
            for (const v of rounded[i]!) expect([0, 1]).toContain(v);
          }
          for (let j = 0; j < cols; j++) {
            let exact = 0;
            let got = 0;
            for (let i = 0; i < rows; i++) {
              exact += matrix[i]![j]!;
              got += rounded[i]![j]!;
            }
            expect(Math.abs(got - exact)).toBeLessThan(1 + 1e-9);
          }
        },
      ),
      { seed: 12, numRuns: 200 },
    );
  });
});
