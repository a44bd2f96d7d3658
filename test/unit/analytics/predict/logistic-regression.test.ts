import { readFileSync } from 'node:fs';
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

/** Reads the small fixture CSV (x1, x2, region, bought) written with its reference fit. */
function onehotFixture(): { columns: FeatureColumn[]; labels: Uint8Array } {
  const text = readFileSync(new URL('../../../fixtures/logistic/onehot.csv', import.meta.url), 'utf8');
  const rows = text
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(','));
  return {
    columns: [
      { name: 'x1', kind: 'numeric', values: Float64Array.from(rows, (r) => Number(r[0])) },
      { name: 'x2', kind: 'numeric', values: Float64Array.from(rows, (r) => Number(r[1])) },
      { name: 'region', kind: 'categorical', values: rows.map((r) => r[2]!) },
    ],
    labels: Uint8Array.from(rows, (r) => Number(r[3])),
  };
}

describe('fitLogistic against a reference fit', () => {
  it('matches scikit-learn’s ridge logistic regression on standardized and one-hot columns', () => {
    const { columns, labels } = onehotFixture();
    const reference = JSON.parse(
      readFileSync(new URL('../../../fixtures/logistic/sklearn-reference.json', import.meta.url), 'utf8'),
    ) as { coefficients: Record<string, number> };
    const model = fitLogistic(columns, labels, { l2: 1 });
    const named = new Map<string, number>();
    let at = 0;
    for (const encoder of model.encoders) {
      if (encoder.kind === 'numeric') named.set(encoder.name, model.coefficients[at++]!);
      else
        for (const category of encoder.categories)
          named.set(`${encoder.name}=${category}`, model.coefficients[at++]!);
    }
    expect(at).toBe(model.coefficients.length);
    for (const [name, value] of Object.entries(reference.coefficients)) {
      const ours = name === 'intercept' ? model.intercept : named.get(name);
      expect(ours, name).toBeCloseTo(value, 4);
    }
  });

  it('keeps ranking on one-hot data with placeholders, outliers and a category that separates', () => {
    const rng = createRng(9);
    const n = 20_000;
    const pdays = new Float64Array(n);
    const balance = new Float64Array(n);
    const month: string[] = [];
    const outcome: string[] = [];
    const truth = new Float64Array(n);
    const months = ['may', 'jun', 'jul', 'aug', 'oct', 'nov', 'dec', 'jan', 'feb', 'mar', 'apr', 'sep'];
    for (let i = 0; i < n; i++) {
      const contacted = rng.next() < 0.15;
      pdays[i] = contacted ? 1 + Math.floor(rng.next() * 400) : 999;
      balance[i] = Math.round(Math.exp(6 + 2 * rng.normal()));
      month.push(months[Math.floor(rng.next() * months.length)]!);
      outcome.push(!contacted ? 'none' : rng.next() < 0.05 ? 'success' : 'failure');
      const eta =
        -2.5 +
        (contacted ? 0.8 : 0) +
        (['mar', 'sep', 'oct', 'dec'].includes(month[i]!) ? 1.2 : 0) +
        (0.3 * Math.log1p(balance[i]!)) / 6;
      truth[i] = outcome[i] === 'success' ? 1 : 1 / (1 + Math.exp(-eta));
    }
    const labels = Uint8Array.from(truth, (p) => (rng.next() < p ? 1 : 0));
    const columns: FeatureColumn[] = [
      { name: 'pdays', kind: 'numeric', values: pdays },
      { name: 'balance', kind: 'numeric', values: balance },
      { name: 'month', kind: 'categorical', values: month },
      { name: 'poutcome', kind: 'categorical', values: outcome },
    ];
    const train = Uint32Array.from({ length: n / 2 }, (_, i) => i);
    const model = fitLogistic(columns, labels, {}, train);
    const pdaysEncoder = model.encoders[0]!;
    expect(pdaysEncoder.kind === 'numeric' && pdaysEncoder.sentinel).toBe(999);
    const p = predictLogistic(model, columns);
    expect(p.every((v) => Number.isFinite(v))).toBe(true);
    const test = Array.from({ length: n / 2 }, (_, i) => n / 2 + i);
    const testLabels = test.map((i) => labels[i]!);
    const auc = rocAuc(
      test.map((i) => p[i]!),
      testLabels,
    );
    expect(auc).toBeGreaterThan(
      rocAuc(
        test.map((i) => truth[i]!),
        testLabels,
      ) - 0.02,
    );
  });
});
