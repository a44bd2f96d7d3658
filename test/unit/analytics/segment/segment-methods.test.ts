import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../../src/analytics/cluster/stability.js';
import { generateCustomersCsv, plantedPersonas } from '../../../../src/analytics/generate-customers.js';
import { segmentCustomers } from '../../../../src/analytics/segment/segment-customers.js';
import { UNUSUAL_NAME } from '../../../../src/analytics/segment/unusual-traits.js';
import { BadInputError } from '../../../../src/errors.js';
import { ingestFromCsv } from './helpers.js';

const GENERATED = { rows: 1400, seed: 2026 };
const csv = generateCustomersCsv(GENERATED);
const generated = ingestFromCsv(csv, {}, 'customers.csv');
const personaCodes = (() => {
  const codes = new Map<string, number>();
  return Int32Array.from(plantedPersonas(GENERATED), (p) => {
    if (!codes.has(p)) codes.set(p, codes.size);
    return codes.get(p)!;
  });
})();

/** Six planted extreme customers: cash advances and credit limits far beyond anyone else's. */
const PLANTED_OUTLIERS = 6;
const withOutliers = ingestFromCsv(
  `${csv.trimEnd()}\n${Array.from(
    { length: PLANTED_OUTLIERS },
    (_, i) => `X${i},9000,1,0,0,0,${400000 + 1000 * i},0,0,0,1,150,0,${300000 + 1000 * i},250000,9000,0,12`,
  ).join('\n')}\n`,
  {},
  'customers.csv',
);

describe('segmentCustomers with method gmm', () => {
  const result = segmentCustomers(generated, { k: 'auto', seed: 1, method: 'gmm' });

  it('picks k in 3..8 with the lowest BIC and records the method in the run parameters', () => {
    expect(result.params.method).toBe('gmm');
    expect(result.params.covariance).toBe('full');
    const fit = result.methodFit;
    if (fit?.method !== 'gmm') throw new Error('expected a GMM fit');
    expect(fit.bic.map((s) => s.k)).toEqual([3, 4, 5, 6, 7, 8]);
    const best = fit.bic.reduce((a, b) => (b.bic < a.bic ? b : a));
    expect(result.k).toBeLessThanOrEqual(best.k);
    expect(result.segments).toHaveLength(result.k);
    expect(result.kSelection).toBeNull();
  });

  it('finds the planted personas and reports per segment the share clearly inside it', () => {
    expect(adjustedRandIndex(result.labels, personaCodes)).toBeGreaterThan(0.6);
    const sure = result.params.sure!;
    expect(sure).toHaveLength(result.k);
    for (const share of sure) {
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(1);
    }
    expect(Math.max(...sure)).toBeGreaterThan(0.5);
  });

  it('profiles, names and numbers the segments like k-means does', () => {
    const sizes = result.segments.map((s) => s.size);
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(GENERATED.rows);
    expect(new Set(result.segments.map((s) => s.name)).size).toBe(result.k);
    for (const segment of result.segments) expect(segment.actions.length).toBeGreaterThan(0);
  });

  it('fits diagonal covariances when asked, with a fixed k', () => {
    const diag = segmentCustomers(generated, { k: 4, seed: 1, method: 'gmm', covariance: 'diag' });
    expect(diag.k).toBe(4);
    expect(diag.params.covariance).toBe('diag');
    if (diag.methodFit?.method !== 'gmm') throw new Error('expected a GMM fit');
    expect(diag.methodFit.bic).toHaveLength(1);
  });
});

describe('segmentCustomers with method density', () => {
  const result = segmentCustomers(withOutliers, { k: 'auto', seed: 1, method: 'density' });
  const n = withOutliers.table.rowCount;

  it('puts every planted extreme customer in the last segment, named Unusual customers', () => {
    const unusual = result.params.unusualSegment!;
    expect(unusual).toBe(result.k - 1);
    expect(result.segments[unusual]!.name).toBe(UNUSUAL_NAME);
    for (let i = n - PLANTED_OUTLIERS; i < n; i++) expect(result.labels[i]).toBe(unusual);
    if (result.methodFit?.method !== 'density') throw new Error('expected a density fit');
    expect(result.methodFit.outliers).toBe(result.segments[unusual]!.size);
    expect(result.methodFit.dims).toBe(3);
  });

  it('says why they are unusual: the extreme traits, and a review before any campaign', () => {
    const segment = result.segments[result.params.unusualSegment!]!;
    const extreme = segment.traits.filter((t) => / very (high|low) for /.test(t.text));
    expect(extreme.length).toBeGreaterThan(0);
    expect(segment.traits.some((t) => /^(Cash advances|Credit limit) very high/.test(t.text))).toBe(true);
    expect(segment.actions[0]!.title).toBe('Review these customers before any campaign');
    // No other segment takes the name.
    expect(result.segments.filter((s) => s.name === UNUSUAL_NAME)).toHaveLength(1);
  });

  it('refuses a fixed k, since density finds its own number', () => {
    expect(() => segmentCustomers(generated, { k: 4, seed: 1, method: 'density' })).toThrow(BadInputError);
  });
});

describe('segmentCustomers with method compare', () => {
  let tick = 0;
  const clock = () => (tick += 250);
  const result = segmentCustomers(generated, { k: 'auto', seed: 1, method: 'compare', clock });
  const kmeansOnly = segmentCustomers(generated, { k: 'auto', seed: 1 });

  it('reports each method with k, silhouette, sizes and time, in a fixed order', () => {
    const comparison = result.comparison!;
    expect(comparison.methods.map((m) => m.method)).toEqual(['kmeans', 'gmm', 'density']);
    for (const m of comparison.methods) {
      expect(m.seconds).toBe(0.25);
      expect(m.segments).toHaveLength(m.k);
      expect(m.segments.reduce((sum, s) => sum + s.size, 0)).toBe(GENERATED.rows);
      expect(m.silhouette).toBeGreaterThan(-1);
      expect(m.silhouette).toBeLessThanOrEqual(1);
    }
    expect(comparison.methods[1]!.sure).toHaveLength(comparison.methods[1]!.k);
    expect(comparison.silhouetteSample).toEqual({ exact: true, size: GENERATED.rows });
  });

  it('gives the adjusted Rand index of every pair', () => {
    const { agreement } = result.comparison!;
    expect(agreement.map((a) => `${a.a}-${a.b}`)).toEqual(['kmeans-gmm', 'kmeans-density', 'gmm-density']);
    for (const pair of agreement) expect(Math.abs(pair.ari)).toBeLessThanOrEqual(1);
    // k-means and the mixture both find the planted personas, so they agree well.
    expect(agreement[0]!.ari).toBeGreaterThan(0.5);
  });

  it('keeps the k-means segments as the result, identical to a plain k-means run', () => {
    expect(result.params.method).toBe('kmeans');
    expect(Array.from(result.labels)).toEqual(Array.from(kmeansOnly.labels));
    expect(result.comparison!.methods[0]!.silhouette).toBeCloseTo(kmeansOnly.silhouette, 10);
    expect(kmeansOnly.comparison).toBeUndefined();
    expect(result.comparison!.kept).toBe('kmeans');
  });

  it('keeps the Gaussian mixture instead when asked, identical to a plain mixture run', () => {
    const keptGmm = segmentCustomers(generated, { k: 'auto', seed: 1, method: 'compare', keep: 'gmm' });
    const gmmOnly = segmentCustomers(generated, { k: 'auto', seed: 1, method: 'gmm' });
    expect(keptGmm.params.method).toBe('gmm');
    expect(keptGmm.comparison!.kept).toBe('gmm');
    expect(keptGmm.params.sure).toEqual(gmmOnly.params.sure);
    expect(Array.from(keptGmm.labels)).toEqual(Array.from(gmmOnly.labels));
    expect(keptGmm.segments.map((s) => s.name)).toEqual(gmmOnly.segments.map((s) => s.name));
    expect(keptGmm.methodFit?.method).toBe('gmm');
    // The side by side is the same whichever method is kept.
    expect(keptGmm.comparison!.methods.map((m) => m.k)).toEqual(result.comparison!.methods.map((m) => m.k));
  });
});
