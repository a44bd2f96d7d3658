import { describe, expect, it } from 'vitest';
import { featureImportancesSpec } from '../../../../charts/specs/feature-importances.js';
import { asJson, get, valuesOf } from './helpers.js';

const items = [
  { feature: 'TENURE', importance: 1 },
  { feature: 'PURCHASES', importance: 6 },
  { feature: 'BALANCE', importance: 3 },
  { feature: 'CASH_ADVANCE', importance: 0 },
  { feature: 'PAYMENTS', importance: Number.NaN },
];

describe('featureImportancesSpec', () => {
  it('keeps the top N by importance, as shares of the total', () => {
    const values = valuesOf(featureImportancesSpec(items, { topN: 2 }));
    expect(values.map((v) => v.feature)).toEqual(['PURCHASES', 'BALANCE']);
    expect(values.map((v) => v.share)).toEqual([0.6, 0.3]);
    expect(values.map((v) => v.label)).toEqual(['60%', '30%']);
  });

  it('says how many features are shown and what the score is for', () => {
    const spec = asJson(featureImportancesSpec(items, { topN: 2, product: 'credit card' }));
    expect(get(spec, 'title.text')).toBe('What drives the credit card score');
    expect(get(spec, 'title.subtitle.0')).toBe(
      "The top 2 of 3 features, by their share of the model's total importance.",
    );
    expect(get(spec, 'encoding.y.sort')).toEqual({ field: 'order', op: 'min', order: 'ascending' });
    expect(get(spec, 'encoding.x.axis.format')).toBe('.0%');
  });
});
