import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assignGmm, chooseGmmK, fitGmm, gmmBic } from '../../../../src/analytics/cluster/gmm.js';
import { matrixFromRows } from '../../../../src/analytics/cluster/matrix.js';
import { createRng } from '../../../../src/analytics/rng.js';

const FIXTURES = new URL('../../../fixtures/gmm/', import.meta.url);

/** scikit-learn 1.2 GaussianMixture(n_components=3, random_state=0, tol=1e-6) on blobs.csv (scripts/sklearn/gmm_reference.py). */
interface Reference {
  meanLogLikelihood: number;
  bic: number;
  weights: number[];
  means: number[][];
}
const reference = JSON.parse(readFileSync(new URL('sklearn-reference.json', FIXTURES), 'utf8')) as Record<
  'full' | 'diag',
  Reference
>;
const blobs = matrixFromRows(
  readFileSync(new URL('blobs.csv', FIXTURES), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map(Number)),
);

/** Components ordered by their first coordinate, as the reference is. */
function ordered(model: ReturnType<typeof fitGmm>): { weights: number[]; means: number[][] } {
  const order = Array.from({ length: model.k }, (_, c) => c).sort(
    (a, b) => model.means[a * model.d]! - model.means[b * model.d]!,
  );
  return {
    weights: order.map((c) => model.weights[c]!),
    means: order.map((c) => Array.from(model.means.subarray(c * model.d, (c + 1) * model.d))),
  };
}

describe('fitGmm against scikit-learn', () => {
  for (const covariance of ['full', 'diag'] as const) {
    it(`matches GaussianMixture with ${covariance} covariances`, () => {
      const model = fitGmm(blobs, { k: 3, seed: 1, covariance, tolerance: 1e-6, maxIterations: 500 });
      const expected = reference[covariance];
      expect(model.converged).toBe(true);
      expect(model.logLikelihood).toBeCloseTo(expected.meanLogLikelihood, 4);
      expect(gmmBic(model)).toBeCloseTo(expected.bic, 1);
      const got = ordered(model);
      expect(got.weights).toEqual(expected.weights.map((w) => expect.closeTo(w, 3)));
      expect(got.means).toEqual(expected.means.map((mean) => mean.map((v) => expect.closeTo(v, 3))));
    });
  }

  it('picks the planted number of blobs by BIC, full beating diagonal on correlated blobs', () => {
    const full = chooseGmmK(blobs, [2, 3, 4, 5], { seed: 3, covariance: 'full' });
    expect(full.model.k).toBe(3);
    expect(full.scores.map((s) => s.k)).toEqual([2, 3, 4, 5]);
    expect(gmmBic(full.model)).toBeLessThan(reference.diag.bic);
  });
});

describe('assignGmm', () => {
  it('is sure about a row at a centre and about 50% sure of a row halfway between two equal blobs', () => {
    const rng = createRng(11);
    const rows = Array.from({ length: 1000 }, (_, i) => [rng.normal() + (i % 2 === 0 ? -4 : 4)]);
    const model = fitGmm(matrixFromRows(rows), { k: 2, seed: 1, covariance: 'diag' });
    const assigned = assignGmm(model, matrixFromRows([[-4], [0.0]]));
    expect(assigned.confidence[0]).toBeGreaterThan(0.999);
    expect(assigned.confidence[1]).toBeGreaterThan(0.4);
    expect(assigned.confidence[1]).toBeLessThan(0.7);
    expect(Number.isFinite(assigned.logLikelihood)).toBe(true);
  });

  it('stays finite far from every component (log-sum-exp) and with duplicated rows (ridge)', () => {
    const model = fitGmm(blobs, { k: 3, seed: 1 });
    const far = assignGmm(model, matrixFromRows([[1e4, -1e4, 1e4]]));
    expect(Number.isFinite(far.logLikelihood)).toBe(true);
    expect(far.confidence[0]).toBeCloseTo(1, 6);
    // Twenty copies of one customer plus a few others: a component collapses onto the copies.
    const rows = [
      ...Array.from({ length: 20 }, () => [1, 1]),
      [0, 0],
      [5, 5],
      [5, 6],
      [6, 5],
      [0, 1],
      [1, 0],
    ];
    const collapsed = fitGmm(matrixFromRows(rows), { k: 3, seed: 2 });
    expect(Number.isFinite(collapsed.logLikelihood)).toBe(true);
    expect(Array.from(collapsed.logDets).every(Number.isFinite)).toBe(true);
  });

  it('gives the same model for the same seed, fitting on a sample of large inputs', () => {
    const rng = createRng(5);
    const big = matrixFromRows(
      Array.from({ length: 3000 }, (_, i) => [rng.normal() + (i % 2) * 6, rng.normal() - (i % 2) * 6]),
    );
    const a = fitGmm(big, { k: 2, seed: 9, fitSampleSize: 500 });
    const b = fitGmm(big, { k: 2, seed: 9, fitSampleSize: 500 });
    expect(a.fitRows).toBe(500);
    expect(Array.from(a.means)).toEqual(Array.from(b.means));
    const labels = assignGmm(a, big).labels;
    let agree = 0;
    for (let i = 0; i < big.rows; i++) if (labels[i] === labels[i % 2]) agree++;
    expect(agree).toBe(big.rows);
  });
});
