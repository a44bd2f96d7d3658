import { describe, expect, it } from 'vitest';
import { generateCustomersCsv } from '../../../../src/analytics/generate-customers.js';
import {
  applyTransform,
  fitAndApplyTransform,
  fitTransform,
  fromModelSpace,
  limitFeatures,
  MAX_FEATURES,
  MAX_MODEL_FEATURES,
  medianOf,
  toModelSpace,
} from '../../../../src/analytics/segment/preprocess.js';
import type { FeatureSpec, Matrix } from '../../../../src/analytics/types.js';
import { BadInputError } from '../../../../src/errors.js';
import { schemaFor, tableFromCsv } from './helpers.js';

function column(matrix: Matrix, j: number): number[] {
  return Array.from({ length: matrix.rows }, (_, i) => matrix.data[i * matrix.cols + j]!);
}

function numericSpec(spec: FeatureSpec | undefined) {
  if (spec?.kind !== 'numeric') throw new Error('expected a numeric feature');
  return spec;
}

// A heavily skewed amount, a frequency with the same skew, and a column with a missing value.
const CSV = [
  'CUST_ID,AMOUNT,PURCHASES_FREQUENCY,SCORE,SEGMENT',
  'C1,1,0.01,10,a',
  'C2,2,0.02,,b',
  'C3,3,0.01,30,a',
  'C4,2,0.02,40,a',
  'C5,1,0.01,50,b',
  'C6,3,0.03,,a',
  'C7,2,0.02,70,c',
  'C8,1,0.01,80,a',
  'C9,2,0.02,90,b',
  'C10,1000,0.9,100,a',
].join('\n');

describe('medianOf', () => {
  it('ignores NaN and averages the middle pair of an even count', () => {
    expect(medianOf([3, Number.NaN, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
    expect(medianOf([Number.NaN])).toBeNaN();
  });
});

describe('fitTransform', () => {
  const table = tableFromCsv(CSV);
  const schema = schemaFor(table);

  it('imputes missing values with the median and records how many', () => {
    const transform = fitTransform(table, schema, { log: 'none' });
    const score = numericSpec(transform.features.find((f) => f.name === 'SCORE'));
    // Median of 10,30,40,50,70,80,90,100 is (50 + 70) / 2.
    expect(score.median).toBe(60);
    expect(score.imputed).toBe(2);
    const X = applyTransform(transform, table);
    const j = transform.features.indexOf(score);
    expect(column(X, j)[1]).toBeCloseTo((60 - score.mean) / score.std, 12);
  });

  it('standardizes with the population standard deviation (ddof 0)', () => {
    const transform = fitTransform(table, schema, { log: 'none' });
    const X = applyTransform(transform, table);
    transform.features.forEach((spec, j) => {
      // One-hot columns are scaled as a block (checked below), not one by one.
      if (spec.kind === 'onehot') return;
      const values = column(X, j);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
      expect(mean).toBeCloseTo(0, 12);
      expect(variance).toBeCloseTo(1, 12);
    });
    const amount = numericSpec(transform.features[0]);
    expect(amount.mean).toBeCloseTo(101.7, 12);
    const raw = [1, 2, 3, 2, 1, 3, 2, 1, 2, 1000];
    expect(amount.std).toBeCloseTo(Math.sqrt(raw.reduce((a, b) => a + (b - 101.7) ** 2, 0) / 10), 12);
  });

  it('log-transforms a heavily skewed amount but never a frequency, and not with log none', () => {
    const auto = fitTransform(table, schema, { log: 'auto' });
    expect(numericSpec(auto.features.find((f) => f.name === 'AMOUNT')).log1p).toBe(true);
    expect(numericSpec(auto.features.find((f) => f.name === 'PURCHASES_FREQUENCY')).log1p).toBe(false);
    expect(numericSpec(auto.features.find((f) => f.name === 'SCORE')).log1p).toBe(false);
    const none = fitTransform(table, schema, { log: 'none' });
    expect(none.features.every((f) => f.kind !== 'numeric' || !f.log1p)).toBe(true);
  });

  it('does not log-transform a skewed column with negative values', () => {
    const skewedNegative = tableFromCsv(
      ['X', '-1', '0', '0', '0', '0', '0', '0', '0', '0', '500'].join('\n'),
    );
    const transform = fitTransform(skewedNegative, schemaFor(skewedNegative), { log: 'auto' });
    expect(numericSpec(transform.features[0]).log1p).toBe(false);
  });

  it('one-hot encodes categorical columns, most frequent category first', () => {
    const transform = fitTransform(table, schema, { log: 'none' });
    const onehot = transform.features.filter((f) => f.kind === 'onehot');
    expect(onehot.map((f) => f.name)).toEqual(['SEGMENT=a', 'SEGMENT=b', 'SEGMENT=c']);
    expect(onehot[0]!.mean).toBeCloseTo(0.6, 12);
    // Shares 0.6/0.3/0.1: one divisor sqrt(Gini) for the whole column, so its block has variance 1.
    const gini = 0.6 * 0.4 + 0.3 * 0.7 + 0.1 * 0.9;
    for (const spec of onehot) expect(spec.std).toBeCloseTo(Math.sqrt(gini), 12);
    const X = applyTransform(transform, table);
    let blockVariance = 0;
    onehot.forEach((spec) => {
      const j = transform.features.indexOf(spec);
      let sumSquares = 0;
      for (let i = 0; i < X.rows; i++) sumSquares += X.data[i * X.cols + j]! ** 2;
      blockVariance += sumSquares / X.rows;
    });
    expect(blockVariance).toBeCloseTo(1, 12);
  });

  it('keeps id, product, date and ignored columns out of the model', () => {
    const rolesTable = tableFromCsv(CSV);
    const withRoles = schemaFor(rolesTable, { SCORE: 'product', SEGMENT: 'ignored' });
    const transform = fitTransform(rolesTable, withRoles, { log: 'none' });
    expect(transform.features.map((f) => f.column)).toEqual(['AMOUNT', 'PURCHASES_FREQUENCY']);
  });

  it('restricts to the named features, case-insensitively', () => {
    const transform = fitTransform(table, schema, { log: 'none', features: ['score', 'AMOUNT'] });
    expect(transform.features.map((f) => f.name)).toEqual(['SCORE', 'AMOUNT']);
  });

  it('rejects an unknown feature and lists the available ones', () => {
    const attempt = () => fitTransform(table, schema, { log: 'none', features: ['AMOUNT', 'BALANCE'] });
    expect(attempt).toThrow(BadInputError);
    try {
      attempt();
    } catch (error) {
      expect((error as BadInputError).message).toContain('BALANCE');
      expect((error as BadInputError).hint).toContain('AMOUNT, PURCHASES_FREQUENCY, SCORE, SEGMENT');
    }
  });

  it('rejects the id column as a feature, saying what it is', () => {
    expect(() => fitTransform(table, schema, { log: 'none', features: ['CUST_ID'] })).toThrow(/CUST_ID \(id/);
  });

  it('rejects a table with nothing to model', () => {
    const onlyId = tableFromCsv('CUST_ID\nC1\nC2');
    expect(() => fitTransform(onlyId, schemaFor(onlyId), { log: 'auto' })).toThrow(BadInputError);
  });

  it('maps a constant column to zeros instead of NaN', () => {
    const constant = tableFromCsv('A,B\n1,5\n2,5\n3,5');
    const X = applyTransform(fitTransform(constant, schemaFor(constant), { log: 'none' }), constant);
    expect(column(X, 1)).toEqual([0, 0, 0]);
  });
});

describe('applyTransform', () => {
  const table = tableFromCsv(CSV);
  const transform = fitTransform(table, schemaFor(table), { log: 'auto' });

  it('replays the fitted steps on new customers', () => {
    const fresh = tableFromCsv(
      'CUST_ID,AMOUNT,PURCHASES_FREQUENCY,SCORE,SEGMENT\nN1,1000,0.9,100,a\nN2,1,0.01,,zzz',
      'new.csv',
    );
    const X = applyTransform(transform, fresh);
    const original = applyTransform(transform, table);
    // N1 equals the fitted table's last customer; N2's missing SCORE gets the fitted median.
    expect(Array.from(X.data.subarray(0, X.cols))).toEqual(Array.from(original.data.subarray(9 * X.cols)));
    const scoreIndex = transform.features.findIndex((f) => f.name === 'SCORE');
    expect(X.data[X.cols + scoreIndex]).toBeCloseTo(toModelSpace(transform.features[scoreIndex]!, 60), 12);
    // An unseen category is in none of the fitted ones.
    const segmentA = transform.features.findIndex((f) => f.name === 'SEGMENT=a');
    expect(X.data[X.cols + segmentA]).toBeCloseTo(toModelSpace(transform.features[segmentA]!, 0), 12);
  });

  it('names the missing columns of a new file', () => {
    const fresh = tableFromCsv('CUST_ID,AMOUNT\nN1,5', 'new.csv');
    expect(() => applyTransform(transform, fresh)).toThrow(
      /missing columns PURCHASES_FREQUENCY, SCORE, SEGMENT/,
    );
  });

  it('round-trips values through the model space', () => {
    for (const spec of transform.features) {
      expect(fromModelSpace(spec, toModelSpace(spec, 42))).toBeCloseTo(42, 8);
    }
  });
});

describe('the feature limit', () => {
  const names = (n: number, prefix = 'F') => Array.from({ length: n }, (_, j) => `${prefix}${j}`);

  it('allows up to MAX_FEATURES usable columns, or a choice of that many', () => {
    expect(() => limitFeatures(names(MAX_FEATURES), undefined)).not.toThrow();
    expect(() => limitFeatures(names(10_000), names(MAX_FEATURES))).not.toThrow();
  });

  it('refuses more, saying how many and how to choose', () => {
    expect(() => limitFeatures(names(10_000), undefined)).toThrow(
      `10,000 usable columns: segbot segments on at most ${MAX_FEATURES}; choose them with features=…`,
    );
    expect(() => limitFeatures(names(10_000), [])).toThrow(/10,000 usable columns/);
    expect(() => limitFeatures(names(10_000), names(MAX_FEATURES + 1))).toThrow(
      `${MAX_FEATURES + 1} features were requested`,
    );
    // A name repeated in other letter case is one feature.
    expect(() => limitFeatures(names(10_000), [...names(MAX_FEATURES), 'f0'])).not.toThrow();
  });

  it('refuses columns whose categories make too many model features', () => {
    // 30 text columns of 20 categories each: 600 one-hot features.
    const header = ['CUST_ID', ...names(30, 'T')].join(',');
    const rows = Array.from({ length: 40 }, (_, i) =>
      [`C${i}`, ...names(30).map((_, j) => `v${(i + j) % 20}`)].join(','),
    );
    const wide = tableFromCsv([header, ...rows].join('\n'));
    const roles = Object.fromEntries(names(30, 'T').map((n) => [n, 'categorical' as const]));
    const wideSchema = schemaFor(wide, roles);
    expect(() => fitTransform(wide, wideSchema, { log: 'none' })).toThrow(
      `These columns make 600 model features (each category of a text column counts as one): segbot segments on at most ${MAX_MODEL_FEATURES}`,
    );
    expect(fitTransform(wide, wideSchema, { log: 'none', features: names(20, 'T') }).features).toHaveLength(
      400,
    );
  });
});

describe('fitAndApplyTransform', () => {
  it('gives the fitted transform and the matrix of fitTransform then applyTransform, bit for bit', () => {
    // Generated customers: skewed amounts (logged), frequencies (not), missing minimum payments,
    // and more rows than one block of the interleaving, with a ragged last block.
    const table = tableFromCsv(generateCustomersCsv({ rows: 5_000, seed: 7 }));
    const schema = schemaFor(table);
    for (const log of ['auto', 'none'] as const) {
      const fused = fitAndApplyTransform(table, schema, { log });
      const transform = fitTransform(table, schema, { log });
      expect(fused.transform).toEqual(transform);
      expect(transform.features.some((f) => f.kind === 'numeric' && f.imputed > 0)).toBe(true);
      if (log === 'auto') expect(transform.features.some((f) => f.kind === 'numeric' && f.log1p)).toBe(true);
      const separate = applyTransform(transform, table);
      expect([fused.X.rows, fused.X.cols]).toEqual([separate.rows, separate.cols]);
      expect(Buffer.from(fused.X.data.buffer).equals(Buffer.from(separate.data.buffer))).toBe(true);
    }
  });

  it('encodes a categorical column the same way as applyTransform', () => {
    const table = tableFromCsv(CSV);
    const schema = schemaFor(table);
    const fused = fitAndApplyTransform(table, schema, { log: 'auto' });
    expect(Array.from(fused.X.data)).toEqual(Array.from(applyTransform(fused.transform, table).data));
    expect(fused.transform.features.filter((f) => f.kind === 'onehot').length).toBeGreaterThan(1);
  });
});
