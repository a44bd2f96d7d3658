import { describe, expect, it } from 'vitest';
import { applyTransform, fitTransform } from '../../../../src/analytics/segment/preprocess.js';
import {
  describeTrait,
  formatNumber,
  isMeaningful,
  pickTraits,
  profileSegments,
} from '../../../../src/analytics/segment/profile-segments.js';
import type { FeatureProfile } from '../../../../src/analytics/types.js';
import { schemaFor, tableFromCsv } from './helpers.js';

const CSV = [
  'ID,CASH,FREQ,LIMIT',
  'a,100,0.1,1000',
  'b,300,0.3,1000',
  'c,5000,0.9,3000',
  'd,7000,0.7,3000',
].join('\n');

function setup() {
  const table = tableFromCsv(CSV);
  const transform = fitTransform(table, schemaFor(table), { log: 'none' });
  const matrix = applyTransform(transform, table);
  const labels = Int32Array.from([0, 0, 1, 1]);
  return { table, transform, matrix, labels };
}

describe('profileSegments', () => {
  it('reports size, share, mean, median and the population mean in original units', () => {
    const { table, transform, matrix, labels } = setup();
    const [low, high] = profileSegments({ transform, table, matrix, labels, k: 2 });
    expect(low!.size).toBe(2);
    expect(high!.share).toBe(0.5);
    const cash = high!.profile.find((p) => p.feature === 'CASH')!;
    expect(cash.mean).toBe(6000);
    expect(cash.median).toBe(6000);
    expect(cash.populationMean).toBe(3100);
  });

  it('gives z-scores against the population in the standardized space', () => {
    const { table, transform, matrix, labels } = setup();
    const [low, high] = profileSegments({ transform, table, matrix, labels, k: 2 });
    const spec = transform.features.find((f) => f.name === 'CASH')!;
    const expected = (6000 - spec.mean) / spec.std;
    expect(high!.profile.find((p) => p.feature === 'CASH')!.z).toBeCloseTo(expected, 12);
    // Two equal halves sit symmetrically around the population mean.
    expect(low!.profile.find((p) => p.feature === 'CASH')!.z).toBeCloseTo(-expected, 12);
    expect(high!.centroid.standardized[0]).toBeCloseTo(expected, 12);
    expect(high!.centroid.original['CASH']).toBeCloseTo(6000, 8);
  });

  it('lists at least three traits, strongest first', () => {
    const { table, transform, matrix, labels } = setup();
    const [, high] = profileSegments({ transform, table, matrix, labels, k: 2 });
    expect(high!.traits.length).toBeGreaterThanOrEqual(3);
    const zs = high!.traits.map((t) => Math.abs(t.z));
    expect([...zs].sort((a, b) => b - a)).toEqual(zs);
    expect(high!.traits[0]!.direction).toBe('high');
  });

  it('handles an empty segment without NaN traits', () => {
    const { table, transform, matrix, labels } = setup();
    const profiles = profileSegments({ transform, table, matrix, labels, k: 3 });
    expect(profiles[2]!.size).toBe(0);
    expect(profiles[2]!.profile.every((p) => p.z === 0)).toBe(true);
  });
});

describe('describeTrait', () => {
  const base: FeatureProfile = {
    feature: 'CASH_ADVANCE',
    mean: 3050,
    median: 2900,
    populationMean: 979,
    z: 1.7,
  };

  it('says how many times the average a high feature is', () => {
    expect(describeTrait(base).text).toBe('Cash advances 3.1x the average (3,050 vs 979)');
  });

  it('says how far below the average a low feature is', () => {
    const low = { ...base, feature: 'PRC_FULL_PAYMENT', mean: 0.05, populationMean: 0.15, z: -0.5 };
    expect(describeTrait(low).text).toBe('Share of months paid in full 67% below the average (0.05 vs 0.15)');
    expect(describeTrait({ ...low, mean: 0.001 }).text).toBe(
      'Share of months paid in full far below the average (0 vs 0.15)',
    );
    expect(describeTrait(low).direction).toBe('low');
  });

  it('falls back to medians when the mean points the other way than the z-score', () => {
    const logged = { feature: 'PURCHASES', mean: 900, median: 800, populationMean: 1000, z: 0.6 };
    expect(describeTrait(logged, undefined, 300).text).toBe(
      'Purchases median 2.7x the typical customer (800 vs 300)',
    );
  });

  it('reads one-hot features as shares', () => {
    const trait = describeTrait(
      { feature: 'segmento=01 - TOP', mean: 0.62, median: 1, populationMean: 0.08, z: 2 },
      {
        kind: 'onehot',
        name: 'segmento=01 - TOP',
        column: 'segmento',
        category: '01 - TOP',
        mean: 0.08,
        std: 0.27,
      },
    );
    expect(trait.text).toBe('Segment is 01 - TOP for 62% (vs 8% overall)');
  });

  it('keeps the strongest traits when several exceed the threshold', () => {
    const profile = [0.1, -2, 0.7, 1.5, 0.6, 0.9, 0.55].map((z, i) => ({
      feature: `F${i}`,
      mean: 10 + 5 * z,
      median: 10,
      populationMean: 10,
      z,
    }));
    expect(pickTraits(profile, []).map((t) => t.feature)).toEqual(['F1', 'F3', 'F5', 'F2', 'F4']);
  });
});

describe('pickTraits and negligible differences', () => {
  it('never cites a difference below the effect-size threshold or numbers that are level', () => {
    const profile = [
      // Far apart in the model space but level in the quoted numbers (a log-scale artefact).
      { feature: 'EstimatedSalary', mean: 100_958, median: 100_500, populationMean: 100_090, z: 0.9 },
      // A tiny effect.
      { feature: 'PURCHASES_FREQUENCY', mean: 0.4, median: 0.4, populationMean: 0.41, z: -0.05 },
      // Real differences.
      { feature: 'Age', mean: 58.9, median: 58, populationMean: 38.9, z: 1.9 },
      { feature: 'Balance', mean: 60_000, median: 59_000, populationMean: 76_486, z: -0.3 },
    ];
    const traits = pickTraits(profile, []);
    expect(traits.map((t) => t.feature)).toEqual(['Age', 'Balance']);
    expect(isMeaningful(profile[0]!)).toBe(false);
    expect(isMeaningful(profile[1]!)).toBe(false);
    expect(isMeaningful(profile[2]!)).toBe(true);
  });

  it('quotes medians when the means are level but the typical customers differ', () => {
    const logged = { feature: 'ONEOFF_PURCHASES', mean: 603, median: 310, populationMean: 592, z: 0.7 };
    expect(isMeaningful(logged, undefined, 38)).toBe(true);
    expect(describeTrait(logged, undefined, 38).text).toBe(
      'One-off purchases median 8.2x the typical customer (310 vs 38)',
    );
  });
});

describe('pickTraits with related columns', () => {
  it('puts at most two columns of one family in the first three traits', () => {
    const zs: Record<string, number> = {
      PURCHASES: 3,
      PURCHASES_TRX: 2.9,
      ONEOFF_PURCHASES: 2.8,
      PAYMENTS: 1.9,
      TENURE: 0.1,
    };
    const profile = Object.entries(zs).map(([feature, z]) => ({
      feature,
      mean: 10 + 5 * z,
      median: 10,
      populationMean: 10,
      z,
    }));
    expect(pickTraits(profile, []).map((t) => t.feature)).toEqual([
      'PURCHASES',
      'PURCHASES_TRX',
      'PAYMENTS',
      'ONEOFF_PURCHASES',
    ]);
  });
});

describe('formatNumber', () => {
  it('uses thousands separators and fewer decimals for larger numbers', () => {
    expect(formatNumber(1234567.89)).toBe('1,234,568');
    expect(formatNumber(14.66)).toBe('14.7');
    expect(formatNumber(0.1234)).toBe('0.12');
  });
});
