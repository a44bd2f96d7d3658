import { describe, expect, it } from 'vitest';
import type { FeatureColumn } from '../../../../src/analytics/predict/bin-features.js';
import { rocAuc } from '../../../../src/analytics/predict/evaluate.js';
import { fitLogistic, predictLogistic } from '../../../../src/analytics/predict/logistic-regression.js';
import { createRng } from '../../../../src/analytics/rng.js';

describe('fitLogistic', () => {
  it('recovers the signs of a planted linear rule and ranks close to the truth', () => {
    const rng = createRng(4);
    const n = 3000;
    const a = Float64Array.from({ length: n }, () => rng.normal() * 5 + 20);
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const c = Array.from({ length: n }, () => (rng.next() < 0.3 ? 'gold' : 'basic'));
    const truth = Float64Array.from(
      { length: n },
      (_, i) => 1 / (1 + Math.exp(-((a[i]! - 20) / 5 - b[i]! + (c[i] === 'gold' ? 1 : 0) - 1))),
    );
    const labels = Uint8Array.from(truth, (p) => (rng.next() < p ? 1 : 0));
    a[5] = Number.NaN;
    const columns: FeatureColumn[] = [
      { name: 'a', kind: 'numeric', values: a },
      { name: 'b', kind: 'numeric', values: b },
      { name: 'c', kind: 'categorical', values: c },
    ];
    const model = fitLogistic(columns, labels);
    // Encoded columns: a, a missing, b, c=basic, c=gold.
    expect(model.coefficients).toHaveLength(5);
    expect(model.coefficients[0]!).toBeGreaterThan(0.6);
    expect(model.coefficients[2]!).toBeLessThan(-0.6);
    expect(model.coefficients[4]! - model.coefficients[3]!).toBeGreaterThan(0.5);
    const p = predictLogistic(model, columns);
    expect(rocAuc(p, labels)).toBeGreaterThan(rocAuc(truth, labels) - 0.02);
    expect(Number.isFinite(p[5]!)).toBe(true);
  });

  it('fits only on the rows it is given', () => {
    const x = Float64Array.from({ length: 200 }, (_, i) => i);
    const labels = Uint8Array.from({ length: 200 }, (_, i) => (i >= 100 ? 1 : 0));
    const columns: FeatureColumn[] = [{ name: 'x', kind: 'numeric', values: x }];
    const model = fitLogistic(
      columns,
      labels,
      { l2: 0.1 },
      Uint32Array.from({ length: 150 }, (_, i) => i),
    );
    const p = predictLogistic(model, columns);
    expect(p[199]!).toBeGreaterThan(0.9);
    expect(p[0]!).toBeLessThan(0.1);
  });
});
