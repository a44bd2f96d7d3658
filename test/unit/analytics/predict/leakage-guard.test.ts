import { describe, expect, it } from 'vitest';
import {
  binFeatures,
  type FeatureColumn,
  fitBinner,
} from '../../../../src/analytics/predict/bin-features.js';
import { rocAuc } from '../../../../src/analytics/predict/evaluate.js';
import { generateUptake } from '../../../../src/analytics/predict/generate-uptake.js';
import {
  flagAloneFeatures,
  flagDominantFeature,
  singleFeatureAucs,
} from '../../../../src/analytics/predict/leakage-guard.js';
import { trainPropensity } from '../../../../src/analytics/predict/train-propensity.js';
import { createRng } from '../../../../src/analytics/rng.js';
import { ingestText, plantedCsv } from './propensity-fixture.js';

/** Planted uptake plus a call length recorded after the outcome and a score copied from it. */
function withLeaks(seed: number) {
  const data = generateUptake({ rows: 6000, numeric: 6, categorical: 1, seed, baseRate: 0.15 });
  const rng = createRng(seed + 100);
  const duration = Float64Array.from(data.labels, (y) => Math.round(Math.exp(5 + rng.normal() + 2.2 * y)));
  const copy = Float64Array.from(
    data.labels,
    (y) => (rng.next() < 0.005 ? 1 - y : y) * 0.9 + rng.next() * 0.05,
  );
  const columns: FeatureColumn[] = [
    ...data.columns,
    { name: 'call_duration', kind: 'numeric', values: duration },
    { name: 'churn_score', kind: 'numeric', values: copy },
  ];
  return { columns, labels: data.labels, duration, copy };
}

describe('singleFeatureAucs', () => {
  it('comes close to the AUC of the feature itself when the feature is monotone in the outcome', () => {
    const { columns, labels, duration } = withLeaks(5);
    const aucs = singleFeatureAucs(binFeatures(fitBinner(columns), columns), labels);
    const direct = rocAuc(duration, labels);
    // Cross-fitting on small bins costs a little, never adds.
    expect(aucs[columns.length - 2]!).toBeGreaterThan(direct - 0.03);
    expect(aucs[columns.length - 2]!).toBeLessThan(direct + 0.005);
  });
});

describe('the leakage guard', () => {
  it('flags a call length and a near-copy of the outcome, and names which is which', () => {
    for (const seed of [1, 2, 3]) {
      const { columns, labels } = withLeaks(seed);
      const aucs = singleFeatureAucs(binFeatures(fitBinner(columns), columns), labels);
      const flags = flagAloneFeatures(
        columns.map((c) => c.name),
        aucs,
      );
      expect(flags.map((f) => [f.feature, f.reason])).toEqual([
        ['churn_score', 'near-copy'],
        ['call_duration', 'alone'],
      ]);
    }
  });

  it('raises no alarm on clean planted data, whatever the seed', () => {
    for (const seed of [1, 2, 3, 4]) {
      const data = generateUptake({ rows: 6000, numeric: 8, categorical: 2, seed, baseRate: 0.1 });
      const aucs = singleFeatureAucs(binFeatures(fitBinner(data.columns), data.columns), data.labels);
      expect(Math.max(...aucs)).toBeLessThan(0.8);
      expect(
        flagAloneFeatures(
          data.columns.map((c) => c.name),
          aucs,
        ),
      ).toEqual([]);
    }
  });

  it('flags a feature whose importance dwarfs the rest, and only then', () => {
    const aucOf = () => 0.8;
    const dominant = flagDominantFeature(
      [],
      [
        { feature: 'duration', importance: 0.46 },
        { feature: 'month', importance: 0.12 },
        { feature: 'age', importance: 0.1 },
      ],
      aucOf,
    );
    expect(dominant).toEqual([{ feature: 'duration', reason: 'dominant', auc: 0.8, share: 0.46 }]);
    const balanced = [
      { feature: 'Age', importance: 0.35 },
      { feature: 'NumOfProducts', importance: 0.21 },
      { feature: 'Balance', importance: 0.12 },
    ];
    expect(flagDominantFeature([], balanced, aucOf)).toEqual([]);
  });

  it('marks the trained result suspect and names the leak, but not on clean data', async () => {
    const leaky = plantedCsv(3000, 4)
      .trim()
      .split('\n')
      .map((line, i) => {
        if (i === 0) return `${line},CALL_SECONDS`;
        const held = line.split(',')[8] === '1';
        return `${line},${held ? 600 + (i % 400) : 10 + (i % 420)}`;
      })
      .join('\n');
    const { result } = await trainPropensity(await ingestText(`${leaky}\n`), { product: 'HAS_LOAN' });
    expect(result.leakage.map((f) => f.feature)).toEqual(['CALL_SECONDS']);
    expect(result.summary).toMatch(/^Suspect/);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^CALL_SECONDS is possibly known only after the outcome/),
    ]);
    const clean = await trainPropensity(await ingestText(plantedCsv(3000, 4)), { product: 'HAS_LOAN' });
    expect(clean.result.leakage).toEqual([]);
    expect(clean.result.warnings).toEqual([]);
    expect(clean.result.summary).not.toMatch(/Suspect/);
  });
});
