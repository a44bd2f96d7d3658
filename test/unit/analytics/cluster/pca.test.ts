import { PCA } from 'ml-pca';
import { describe, expect, it } from 'vitest';
import { matrixFromRows, matrixToRows } from '../../../../src/analytics/cluster/matrix.js';
import { fitPca, projectPca, symmetricEigen } from '../../../../src/analytics/cluster/pca.js';
import { createRng } from '../../../../src/analytics/rng.js';
import { BadInputError } from '../../../../src/errors.js';

function correlatedRows(n: number, d: number, seed: number): number[][] {
  const rng = createRng(seed);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: d }, () => rng.normal());
    // Mix the columns so the covariance has distinct eigenvalues and non-trivial axes.
    rows.push(z.map((_, j) => z[j]! * (j + 1) + 0.5 * z[(j + 1) % d]! + 10 * j));
  }
  return rows;
}

describe('fitPca', () => {
  it.each([
    [1, 200, 4],
    [2, 500, 7],
    [3, 60, 12],
  ])('matches ml-pca on seeded data (seed %i, %i x %i)', (seed, n, d) => {
    const rows = correlatedRows(n, d, seed);
    const model = fitPca(matrixFromRows(rows));
    const oracle = new PCA(rows);
    const eigenvalues = oracle.getEigenvalues();
    const ratios = oracle.getExplainedVariance();
    const vectors = oracle.getEigenvectors().to2DArray();
    for (let c = 0; c < d; c++) {
      expect(model.explainedVariance[c]).toBeCloseTo(eigenvalues[c]!, 8);
      expect(model.explainedVarianceRatio[c]).toBeCloseTo(ratios[c]!, 10);
      // Same axis up to sign: |<mine, theirs>| = 1.
      let dot = 0;
      for (let j = 0; j < d; j++) dot += model.components.data[c * d + j]! * vectors[j]![c]!;
      expect(Math.abs(dot)).toBeCloseTo(1, 8);
    }
  });

  it('makes the largest-magnitude loading of each component positive', () => {
    const model = fitPca(matrixFromRows(correlatedRows(300, 5, 9)));
    for (const axis of matrixToRows(model.components)) {
      const largest = axis.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('keeps the requested number of components, with ratios of the total variance', () => {
    const model = fitPca(matrixFromRows(correlatedRows(300, 6, 4)), { components: 2 });
    expect(model.components.rows).toBe(2);
    expect(model.explainedVariance.length).toBe(2);
    const full = fitPca(matrixFromRows(correlatedRows(300, 6, 4)));
    expect(model.explainedVarianceRatio[1]).toBeCloseTo(full.explainedVarianceRatio[1]!, 12);
    expect(full.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('projects onto the axes like ml-pca (up to sign) and centres the scores', () => {
    const rows = correlatedRows(150, 5, 2);
    const X = matrixFromRows(rows);
    const model = fitPca(X);
    const scores = projectPca(model, X, 2);
    const theirs = new PCA(rows).predict(rows, { nComponents: 2 }).to2DArray();
    expect(scores.rows).toBe(150);
    expect(scores.cols).toBe(2);
    for (let c = 0; c < 2; c++) {
      const sign = Math.sign(scores.data[c]!) === Math.sign(theirs[0]![c]!) ? 1 : -1;
      let mean = 0;
      for (let i = 0; i < 150; i++) {
        expect(scores.data[i * 2 + c]).toBeCloseTo(sign * theirs[i]![c]!, 8);
        mean += scores.data[i * 2 + c]!;
      }
      expect(mean / 150).toBeCloseTo(0, 10);
    }
  });

  it('finds the known eigenpairs of a small symmetric matrix', () => {
    // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with axes (1, 1) and (1, -1).
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    const sorted = Array.from(values).sort((a, b) => b - a);
    expect(sorted[0]).toBeCloseTo(3, 12);
    expect(sorted[1]).toBeCloseTo(1, 12);
    const top = values[0]! > values[1]! ? 0 : 1;
    expect(Math.abs(vectors[top]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[top]! * vectors[2 + top]!).toBeGreaterThan(0);
  });

  it('accumulates the covariance in blocks to the same bits as a row-by-row sum', () => {
    // 1,300 rows span two full blocks and a partial one.
    const rows = correlatedRows(1_300, 6, 11);
    const d = 6;
    const mean = new Float64Array(d);
    for (const row of rows) for (let c = 0; c < d; c++) mean[c]! += row[c]!;
    for (let c = 0; c < d; c++) mean[c]! /= rows.length;
    const cov = new Float64Array(d * d);
    for (const row of rows) {
      for (let a = 0; a < d; a++)
        for (let b = a; b < d; b++) cov[a * d + b]! += (row[a]! - mean[a]!) * (row[b]! - mean[b]!);
    }
    for (let a = 0; a < d; a++)
      for (let b = a; b < d; b++) {
        cov[a * d + b] = cov[a * d + b]! / (rows.length - 1);
        cov[b * d + a] = cov[a * d + b]!;
      }
    const expected = Array.from(symmetricEigen(cov, d).values).sort((x, y) => y - x);
    expect(Array.from(fitPca(matrixFromRows(rows)).explainedVariance)).toEqual(expected);
  });

  it('handles a constant column (zero variance) without failing', () => {
    const rows = correlatedRows(50, 3, 5).map((r) => [...r, 7]);
    const model = fitPca(matrixFromRows(rows));
    expect(model.explainedVariance[3]).toBeCloseTo(0, 10);
    expect(Number.isFinite(model.explainedVarianceRatio[0]!)).toBe(true);
  });

  it('rejects too few rows and missing values with a coded error', () => {
    expect(() => fitPca(matrixFromRows([[1, 2]]))).toThrow(BadInputError);
    expect(() =>
      fitPca(
        matrixFromRows([
          [1, Number.NaN],
          [2, 3],
        ]),
      ),
    ).toThrow(/missing or infinite/);
    expect(() => fitPca(matrixFromRows(correlatedRows(10, 3, 1)), { components: 4 })).toThrow(RangeError);
  });
});
