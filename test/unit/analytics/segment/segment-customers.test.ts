import { describe, expect, it } from 'vitest';
import { kmeans } from '../../../../src/analytics/cluster/kmeans.js';
import { generateCustomersCsv, plantedPersonas } from '../../../../src/analytics/generate-customers.js';
import { applyTransform } from '../../../../src/analytics/segment/preprocess.js';
import { assignToSegments, segmentCustomers } from '../../../../src/analytics/segment/segment-customers.js';
import type { SegmentStage } from '../../../../src/analytics/types.js';
import { BadInputError, userMessage } from '../../../../src/errors.js';
import { churnLikeCsv, ingestFromCsv } from './helpers.js';

const GENERATED = { rows: 1400, seed: 2026 };
const generated = ingestFromCsv(generateCustomersCsv(GENERATED), {}, 'customers.csv');

describe('segmentCustomers on generated customers', () => {
  const result = segmentCustomers(generated, { k: 7, seed: 1, log: 'auto' });

  it('recovers the planted personas on most rows', () => {
    const truth = plantedPersonas(GENERATED);
    let agree = 0;
    truth.forEach((persona, i) => {
      if (result.segments[result.labels[i]!]!.persona === persona) agree++;
    });
    expect(agree / truth.length).toBeGreaterThan(0.85);
    expect(new Set(result.segments.map((s) => s.persona)).size).toBe(7);
  });

  it('names every segment differently and gives each actions and traits', () => {
    const names = result.segments.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const segment of result.segments) {
      expect(segment.actions.length).toBeGreaterThanOrEqual(1);
      expect(segment.actions.length).toBeLessThanOrEqual(3);
      expect(segment.traits.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('numbers segments by size, largest first, and accounts for every customer', () => {
    const sizes = result.segments.map((s) => s.size);
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(GENERATED.rows);
    expect(result.segments.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(result.labels).toHaveLength(GENERATED.rows);
    expect(result.customerIds.slice(0, 2)).toEqual(['C10001', 'C10002']);
  });

  it('reports the same inertia as k-means on the preprocessed matrix', () => {
    const X = applyTransform(result.transform, generated.table);
    expect(result.inertia).toBeCloseTo(kmeans(X, { k: 7, seed: 1, nInit: 10 }).inertia, 6);
    expect(result.silhouette).toBeGreaterThan(0.2);
    expect(result.silhouetteSample).toEqual({ exact: true, size: GENERATED.rows });
  });

  it('keeps the parameters, fingerprint, PCA and a 2-D projection', () => {
    expect(result.params).toEqual({
      k: 7,
      seed: 1,
      features: generated.table.columns.slice(1).map((c) => c.name),
      log: 'auto',
      nInit: 10,
      // No categorical column, nothing to compare the segments with.
      categoryAgreement: [],
      method: 'kmeans',
    });
    expect(result.fingerprint).toBe(generated.table.fingerprint);
    expect(result.pca.projection).toHaveLength(2 * GENERATED.rows);
    expect(result.pca.components[0]).toHaveLength(17);
    const total = result.pca.explainedVarianceRatio.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 8);
    expect(result.kSelection).toBeNull();
  });

  it('assigns customers to the segments of an earlier run', () => {
    expect(Array.from(assignToSegments(result, generated.table))).toEqual(Array.from(result.labels));
    const fresh = ingestFromCsv(generateCustomersCsv({ rows: 400, seed: 77 }), {}, 'new.csv');
    const truth = plantedPersonas({ rows: 400, seed: 77 });
    const labels = assignToSegments(result, fresh.table);
    const agree = truth.filter((persona, i) => result.segments[labels[i]!]!.persona === persona).length;
    expect(agree / truth.length).toBeGreaterThan(0.85);
  });

  it('gives identical output for the same seed', () => {
    const again = segmentCustomers(generated, { k: 7, seed: 1, log: 'auto' });
    expect(Array.from(again.labels)).toEqual(Array.from(result.labels));
    expect(again.segments.map((s) => s.name)).toEqual(result.segments.map((s) => s.name));
    expect(again.inertia).toBe(result.inertia);
  });
});

describe('segmentCustomers with k auto', () => {
  const small = ingestFromCsv(generateCustomersCsv({ rows: 500, seed: 5 }));

  it('chooses k in 3..8, says why, and reports the stages in order', () => {
    const stages: SegmentStage[] = [];
    const result = segmentCustomers(small, { k: 'auto', seed: 3, nInit: 3, onStage: (s) => stages.push(s) });
    expect(stages).toEqual(['preprocess', 'pca', 'choose-k', 'cluster', 'silhouette', 'profile']);
    expect(result.kSelection).not.toBeNull();
    expect(result.kSelection!.scores.map((s) => s.k)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(result.k).toBe(result.kSelection!.k);
    expect(result.kSelection!.reason).toContain(`k=${result.k}`);
    expect(result.segments).toHaveLength(result.k);
    expect(result.params.k).toBe('auto');
  });
});

describe('segmentCustomers on other inputs', () => {
  it('segments a Santander-style table with a categorical column and product flags left out', () => {
    const rows = ['ncodpers,age,antiguedad,renta,segmento,ind_cco_fin_ult1'];
    for (let i = 0; i < 60; i++) {
      const young = i % 3 === 0;
      rows.push(
        `${1000 + i},${young ? 22 + (i % 5) : 50 + (i % 20)},${young ? 3 : 100 + i},${young ? 20000 : 90000 + i * 100},${
          young ? '03 - UNIVERSITARIO' : '02 - PARTICULARES'
        },${i % 2}`,
      );
    }
    const ingest = ingestFromCsv(rows.join('\n'), { ind_cco_fin_ult1: 'product', ncodpers: 'id' });
    const result = segmentCustomers(ingest, { k: 2, seed: 1 });
    expect(result.params.features).toEqual(['age', 'antiguedad', 'renta', 'segmento']);
    expect(result.transform.features.map((f) => f.name)).toContain('segmento=03 - UNIVERSITARIO');
    expect(new Set(result.segments.map((s) => s.name)).size).toBe(2);
    expect(result.customerIds[0]).toBe('1000');
  });

  it('uses row numbers as customer ids when there is no id column', () => {
    const ingest = ingestFromCsv('A,B\n1,2\n2,3\n10,11\n11,12');
    expect(segmentCustomers(ingest, { k: 2, seed: 1 }).customerIds).toEqual(['1', '2', '3', '4']);
  });

  it('works with a single feature (the second projection axis is zero)', () => {
    const result = segmentCustomers(ingestFromCsv('A\n1\n2\n10\n11\n12'), { k: 2, seed: 1 });
    expect(result.segments.map((s) => s.size)).toEqual([3, 2]);
    expect(Array.from(result.pca.projection).filter((_, i) => i % 2 === 1)).toEqual([0, 0, 0, 0, 0]);
  });

  it('rejects a k that is not a whole number from 2 to 20, or larger than the file', () => {
    const ingest = ingestFromCsv('A,B\n1,2\n2,3\n10,11\n11,12');
    for (const k of [1, 2.5, 21, Number.NaN]) {
      expect(() => segmentCustomers(ingest, { k, seed: 1 })).toThrow(BadInputError);
    }
    expect(() => segmentCustomers(ingest, { k: 5, seed: 1 })).toThrow(/5 segments from 4 customers/);
  });

  it('rejects an unknown feature before doing any work', () => {
    const stages: SegmentStage[] = [];
    const ingest = ingestFromCsv('A,B\n1,2\n2,3\n10,11\n11,12');
    let message = '';
    try {
      segmentCustomers(ingest, { k: 2, seed: 1, features: ['C'], onStage: (s) => stages.push(s) });
    } catch (error) {
      message = userMessage(error);
    }
    expect(message).toBe(
      'test.csv: These features cannot be used for segmentation: C (no such column).\nAvailable features: A, B.',
    );
    expect(stages).toEqual(['preprocess']);
  });
});

describe('segmentCustomers with a categorical column', () => {
  it('does not reproduce the categorical column and reports how much the segments follow it', () => {
    const ingest = ingestFromCsv(churnLikeCsv(11, 1500), { CustomerId: 'id', Exited: 'product' });
    for (const k of [3, 4] as const) {
      const result = segmentCustomers(ingest, { k, seed: 42 });
      const [geography] = result.params.categoryAgreement;
      expect(geography?.column).toBe('Geography');
      // Standardizing each country's 0/1 column on its own made the segments the countries (NMI 1).
      expect(geography!.nmi).toBeLessThanOrEqual(0.5);
      expect(geography!.nmi).toBeGreaterThan(0);
    }
  });
});
