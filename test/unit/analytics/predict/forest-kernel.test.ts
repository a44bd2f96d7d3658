import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleKernel, KERNEL_MODULE, renderKernelModule } from '../../../../scripts/build-kernel.js';
import { numericBin } from '../../../../src/analytics/predict/bin-features.js';
import { binNumericColumn } from '../../../../src/analytics/predict/forest-kernel.js';
import { forestImage, predictForest, trainForest } from '../../../../src/analytics/predict/random-forest.js';
import { createRng } from '../../../../src/analytics/rng.js';
import { plainWalk, plantedSplit } from './planted.js';

describe('forest kernel', () => {
  it('ships exactly what forest-kernel.wat assembles to', async () => {
    const rebuilt = renderKernelModule(await assembleKernel());
    expect(readFileSync(KERNEL_MODULE, 'utf8')).toBe(rebuilt);
  });

  it('bins every value as numericBin does: ties, NaN, infinities, -0, across chunk boundaries', () => {
    const rng = createRng(17);
    const sorted = (n: number, integers: boolean): number[] => {
      const set = new Set<number>();
      while (set.size < n) set.add(integers ? Math.floor(rng.next() * 1000) - 500 : (rng.next() - 0.5) * 1e4);
      return [...set].sort((a, b) => a - b);
    };
    for (const thresholds of [[], [0], sorted(7, true), sorted(254, false), sorted(254, true)]) {
      const values = new Float64Array(150_001);
      for (let i = 0; i < values.length; i++) {
        const u = rng.next();
        if (u < 0.02) values[i] = Number.NaN;
        else if (u < 0.03) values[i] = u < 0.025 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
        else if (u < 0.04) values[i] = -0;
        else if (u < 0.3 && thresholds.length > 0)
          values[i] = thresholds[Math.floor(rng.next() * thresholds.length)]!;
        else values[i] = Math.floor((rng.next() - 0.5) * 12_000) / (u < 0.6 ? 1 : 7);
      }
      const out = new Uint8Array(values.length);
      binNumericColumn(thresholds, values, out);
      const expected = Uint8Array.from(values, (v) => numericBin(thresholds, v));
      expect(Buffer.from(out).equals(Buffer.from(expected))).toBe(true);
    }
    expect(() => binNumericColumn(sorted(256, false), new Float64Array(3), new Uint8Array(3))).toThrow(
      /at most 255/,
    );
  });

  it('walks wide tables, partial blocks and row slices exactly as the plain definition', () => {
    // 123 features: a block holds fewer rows than for a narrow table, so block edges move.
    const s = plantedSplit({ rows: 14_005, numeric: 120, categorical: 3, seed: 31 });
    const model = trainForest(s.train, s.trainLabels, { nTrees: 6, seed: 2, minSamplesLeaf: 3 });
    expect(Array.from(model.flags)).toContain(1);
    expect(Array.from(model.flags)).toContain(2);
    expect(s.test.rows % 4).not.toBe(0);
    expect(Array.from(predictForest(model, s.test))).toEqual(Array.from(plainWalk(model, s.test)));
    const [from, to] = [2047, 4103];
    expect(Array.from(predictForest(model, s.test, from, to))).toEqual(
      Array.from(plainWalk(model, s.test, from, to)),
    );
    expect(forestImage(model)).toBe(forestImage(model));
  });
});
