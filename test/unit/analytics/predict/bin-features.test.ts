import { describe, expect, it } from 'vitest';
import {
  binFeatures,
  type FeatureColumn,
  type FittedBinner,
  fitBinner,
  MISSING_BIN,
  numericBin,
  OTHER_BIN,
  selectRows,
} from '../../../../src/analytics/predict/bin-features.js';

const numeric = (name: string, values: number[]): FeatureColumn => ({
  name,
  kind: 'numeric',
  values: Float64Array.from(values),
});

describe('fitBinner / binFeatures', () => {
  it('gives each of a few distinct values its own bin and missing values code 255', () => {
    const columns = [numeric('x', [3, 1, 2, Number.NaN, 1, 3])];
    const binner = fitBinner(columns);
    expect(binner.features[0]).toEqual({ kind: 'numeric', name: 'x', thresholds: [1.5, 2.5] });
    const binned = binFeatures(binner, columns);
    expect(Array.from(binned.codes)).toEqual([2, 0, 1, MISSING_BIN, 0, 2]);
    expect(binned.valueBins[0]).toBe(3);
    expect(binned.categorical[0]).toBe(0);
  });

  it('cuts many distinct values into near-equal quantile bins', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000);
    const binned = binFeatures(fitBinner([numeric('x', values)], { maxBins: 10 }), [numeric('x', values)]);
    const counts = new Array(10).fill(0);
    for (const c of binned.codes) counts[c]++;
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThanOrEqual(2);
    expect(binned.valueBins[0]).toBe(10);
  });

  it('never uses more than 255 value bins', () => {
    const values = Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 1000);
    const binner = fitBinner([numeric('x', values)]);
    const spec = binner.features[0]!;
    expect(spec.kind === 'numeric' && spec.thresholds.length).toBeLessThanOrEqual(254);
    const binned = binFeatures(binner, [numeric('x', values)]);
    expect(Math.max(...binned.codes)).toBeLessThan(255);
  });

  it('codes categories by frequency, with codes for unseen and missing values', () => {
    const train: FeatureColumn = {
      name: 'region',
      kind: 'categorical',
      values: ['b', 'a', 'b', '', 'c', 'b', 'a'],
    };
    const binner = fitBinner([train]);
    expect(binner.features[0]).toEqual({ kind: 'categorical', name: 'region', categories: ['b', 'a', 'c'] });
    const other: FeatureColumn = { name: 'region', kind: 'categorical', values: ['a', 'zzz', '', 'c'] };
    expect(Array.from(binFeatures(binner, [other]).codes)).toEqual([1, OTHER_BIN, MISSING_BIN, 2]);
  });

  it('re-bins new data identically after a JSON round trip of the binner', () => {
    const train = [
      numeric(
        'x',
        Array.from({ length: 3000 }, (_, i) => ((i * 37) % 1000) / 7),
      ),
      {
        name: 'c',
        kind: 'categorical',
        values: Array.from({ length: 3000 }, (_, i) => `k${i % 5}`),
      } as FeatureColumn,
    ];
    const binner = fitBinner(train);
    const stored = JSON.parse(JSON.stringify(binner)) as FittedBinner;
    const fresh = [
      numeric('x', [0, 5.5, 1e9, -3, Number.NaN, 100]),
      { name: 'c', kind: 'categorical', values: ['k1', 'k4', 'new', '', 'k0', 'k2'] } as FeatureColumn,
    ];
    expect(binFeatures(stored, fresh)).toEqual(binFeatures(binner, fresh));
    // A value seen at fit time lands in the same bin in any file.
    const sameValue = binFeatures(binner, [
      numeric('x', [train[0]!.values[17] as number]),
      { name: 'c', kind: 'categorical', values: ['k2'] },
    ]);
    expect(sameValue.codes[0]).toBe(binFeatures(binner, train).codes[17]);
  });

  it('puts values at a threshold on the low side and beyond the range in the end bins', () => {
    expect(numericBin([1, 2, 3], 2)).toBe(1);
    expect(numericBin([1, 2, 3], -100)).toBe(0);
    expect(numericBin([1, 2, 3], 100)).toBe(3);
    expect(numericBin([1, 2, 3], Number.NaN)).toBe(MISSING_BIN);
  });

  it('rejects columns that do not match the binner', () => {
    const binner = fitBinner([numeric('x', [1, 2])]);
    expect(() => binFeatures(binner, [])).toThrow(RangeError);
    expect(() => binFeatures(binner, [{ name: 'x', kind: 'categorical', values: ['a', 'b'] }])).toThrow(
      /numeric/,
    );
  });

  it('selects rows of every column', () => {
    const columns = [numeric('x', [1, 2, 3, 4]), numeric('y', [40, 30, 20, 10])];
    const binned = binFeatures(fitBinner(columns), columns);
    const picked = selectRows(binned, [3, 0]);
    expect(picked.rows).toBe(2);
    expect(Array.from(picked.codes)).toEqual([3, 0, 0, 3]);
  });
});
