import { describe, expect, it } from 'vitest';
import { pcaScatterSpec } from '../../../../charts/specs/pca-scatter.js';
import { createRng } from '../../../../src/analytics/rng.js';
import { asJson, get, getArray, valuesOf } from './helpers.js';

const segments = [
  { index: 0, name: 'Revolvers' },
  { index: 1, name: 'Transactors' },
  { index: 2, name: 'Cash-advance users' },
];

function blobs(n: number, seed: number): { projection: Float32Array; labels: Int32Array } {
  const rng = createRng(seed);
  const projection = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // 80% / 19% / 1%: the small segment must still show up in the sample.
    const u = rng.next();
    const label = u < 0.8 ? 0 : u < 0.99 ? 1 : 2;
    labels[i] = label;
    projection[2 * i] = label * 3 + rng.normal();
    projection[2 * i + 1] = rng.normal();
  }
  return { projection, labels };
}

describe('pcaScatterSpec', () => {
  const data = blobs(20000, 4);

  it('draws at most maxPoints dots, stratified so every segment keeps its share', () => {
    const values = valuesOf(pcaScatterSpec({ ...data, segments }, { maxPoints: 1000, seed: 1 }));
    expect(values.length).toBe(1000);
    const bySegment = new Map<string, number>();
    for (const v of values) bySegment.set(v.segment as string, (bySegment.get(v.segment as string) ?? 0) + 1);
    const total = [0, 0, 0];
    for (const l of data.labels) total[l]!++;
    expect(bySegment.get('Revolvers')! / 1000).toBeCloseTo(total[0]! / 20000, 1);
    expect(bySegment.get('Cash-advance users')!).toBeGreaterThanOrEqual(40);
  });

  it('samples the same dots for the same seed', () => {
    const a = pcaScatterSpec({ ...data, segments }, { maxPoints: 500, seed: 9 });
    const b = pcaScatterSpec({ ...data, segments }, { maxPoints: 500, seed: 9 });
    const c = pcaScatterSpec({ ...data, segments }, { maxPoints: 500, seed: 10 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('keeps every customer of a small input, with the right coordinates and segment', () => {
    const projection = Float32Array.from([0.5, -1, 2, 3.25, -4, 0]);
    const labels = Int32Array.from([2, 0, 1]);
    const values = valuesOf(pcaScatterSpec({ projection, labels, segments }));
    expect(values).toEqual([
      { x: 0.5, y: -1, segment: 'Cash-advance users' },
      { x: 2, y: 3.25, segment: 'Revolvers' },
      { x: -4, y: 0, segment: 'Transactors' },
    ]);
  });

  it('puts explained variance in the axis titles and the sample size in the subtitle', () => {
    const spec = asJson(
      pcaScatterSpec({ ...data, segments, explainedVarianceRatio: [0.3141, 0.2] }, { maxPoints: 1000 }),
    );
    expect(get(spec, 'encoding.x.title')).toBe('Principal component 1 (31.4% of variance)');
    expect(get(spec, 'encoding.y.title')).toBe('Principal component 2 (20.0% of variance)');
    expect(getArray(spec, 'title.subtitle').join(' ')).toContain('1,000 of 20,000 customers shown');
    expect(get(spec, 'encoding.color.scale.domain')).toEqual([
      'Revolvers',
      'Transactors',
      'Cash-advance users',
    ]);
  });

  it('zooms the axes on the bulk of customers and clips the few far outliers', () => {
    const projection = new Float32Array(2 * 1000);
    const labels = new Int32Array(1000);
    for (let i = 0; i < 1000; i++) projection[2 * i] = (i % 10) / 10;
    projection[0] = 1000; // one extreme customer
    const spec = asJson(pcaScatterSpec({ projection, labels, segments }));
    expect(get(spec, 'encoding.x.scale.domain.1')).toBeLessThan(2);
    expect(get(spec, 'mark.clip')).toBe(true);
  });

  it('skips customers with a non-finite projection and rejects a projection that is too short', () => {
    const projection = Float32Array.from([Number.NaN, 1, 2, 3]);
    const values = valuesOf(pcaScatterSpec({ projection, labels: Int32Array.from([0, 1]), segments }));
    expect(values).toEqual([{ x: 2, y: 3, segment: 'Transactors' }]);
    expect(() =>
      pcaScatterSpec({ projection: new Float32Array(2), labels: new Int32Array(2), segments }),
    ).toThrow(RangeError);
  });
});
