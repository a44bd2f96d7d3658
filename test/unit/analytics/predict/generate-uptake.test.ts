import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../../../src/analytics/predict/evaluate.js';
import { generateUptake, uptakeCsv } from '../../../../src/analytics/predict/generate-uptake.js';

describe('generateUptake', () => {
  it('repeats under a seed, hits the base rate and plants a learnable rule', () => {
    const a = generateUptake({ rows: 5000, numeric: 6, categorical: 2, seed: 8, baseRate: 0.2 });
    const b = generateUptake({ rows: 5000, numeric: 6, categorical: 2, seed: 8, baseRate: 0.2 });
    expect(a).toEqual(b);
    expect(a.columns.map((c) => c.name)).toEqual([
      'X01',
      'X02',
      'X03',
      'X04',
      'X05',
      'X06',
      'REGION1',
      'CHANNEL1',
    ]);
    const mean = a.probabilities.reduce((s, p) => s + p, 0) / 5000;
    expect(mean).toBeCloseTo(0.2, 3);
    const rate = a.labels.reduce((s, y) => s + y, 0) / 5000;
    expect(Math.abs(rate - 0.2)).toBeLessThan(0.02);
    expect(rocAuc(a.probabilities, a.labels)).toBeGreaterThan(0.8);
    const missing = (a.columns[0]!.values as Float64Array).filter(Number.isNaN).length;
    expect(missing).toBeGreaterThan(40);
    expect(missing).toBeLessThan(180);
  });

  it('writes CSV with an id column, the features and the product flag', () => {
    const data = generateUptake({ rows: 3, numeric: 5, categorical: 1, seed: 1, missingRate: 0 });
    const lines = uptakeCsv(data, { productColumn: 'HAS_LOAN' }).trim().split('\n');
    expect(lines[0]).toBe('CUST_ID,X01,X02,X03,X04,X05,REGION1,HAS_LOAN');
    expect(lines).toHaveLength(4);
    expect(lines[1]!.split(',')).toHaveLength(8);
    expect(lines[1]!.startsWith('U100000,')).toBe(true);
  });
});
