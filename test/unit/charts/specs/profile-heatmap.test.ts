import { describe, expect, it } from 'vitest';
import {
  headingColumns,
  profileHeatmapSpec,
  topAxisLabels,
  wrapLabel,
} from '../../../../charts/specs/profile-heatmap.js';
import { asJson, get, valuesOf } from './helpers.js';

const input = {
  segments: [
    { index: 0, name: 'VIP high spenders' },
    { index: 1, name: 'Dormant' },
  ],
  features: ['BALANCE', 'PURCHASES', 'TENURE'],
  z: [
    [0.42, 5.3, -0.04],
    [-1.26, -3.7, Number.NaN],
  ],
};

describe('profileHeatmapSpec', () => {
  it('has one cell per segment and feature, skipping missing values', () => {
    const values = valuesOf(profileHeatmapSpec(input));
    expect(values.length).toBe(5);
    expect(values.map((v) => `${v.segment}/${v.feature}`)).toEqual([
      'VIP high spenders/BALANCE',
      'VIP high spenders/PURCHASES',
      'VIP high spenders/TENURE',
      'Dormant/BALANCE',
      'Dormant/PURCHASES',
    ]);
  });

  it('clips the colour at ±3 but prints the real value', () => {
    const values = valuesOf(profileHeatmapSpec(input));
    const purchases = values.filter((v) => v.feature === 'PURCHASES');
    expect(purchases.map((v) => v.zColor)).toEqual([3, -3]);
    expect(purchases.map((v) => v.label)).toEqual(['+5.3', '−3.7']);
    expect(values.find((v) => v.feature === 'TENURE')!.label).toBe('0.0');
    expect(values.find((v) => v.feature === 'BALANCE' && v.segment === 'VIP high spenders')!.z).toBe(0.42);
  });

  it('uses a diverging scale centred on 0 over the clip range', () => {
    const spec = asJson(profileHeatmapSpec(input, { clip: 2 }));
    const scale = get(spec, 'layer.0.encoding.color.scale');
    expect(get(scale, 'domain')).toEqual([-2, 2]);
    expect(get(scale, 'domainMid')).toBe(0);
    expect(get(scale, 'clamp')).toBe(true);
    expect(get(scale, 'scheme')).toBe('blueorange');
    expect(valuesOf(profileHeatmapSpec(input, { clip: 2 })).map((v) => v.zColor)).toContain(2);
  });

  it('prints white text on the dark cells only', () => {
    const values = valuesOf(profileHeatmapSpec(input));
    expect(values.filter((v) => v.strong).map((v) => v.label)).toEqual(['+5.3', '−3.7']);
  });

  it('keeps segment and feature order and wraps long segment names into column headings', () => {
    const spec = asJson(profileHeatmapSpec(input));
    expect(get(spec, 'encoding.y.sort')).toEqual({ field: 'featureOrder', order: 'ascending' });
    expect(get(spec, 'encoding.x.field')).toBe('segmentOrder');
    expect(get(spec, 'encoding.x.axis.labelExpr')).toBe(
      '[["VIP high","spenders"],["","Dormant"]][datum.value]',
    );
  });
});

describe('wrapLabel and topAxisLabels', () => {
  it('breaks at spaces near the width and never splits a word', () => {
    expect(wrapLabel('Cash-advance users', 14)).toEqual(['Cash-advance', 'users']);
    expect(wrapLabel('Revolvers', 5)).toEqual(['Revolvers']);
  });

  it('pads headings at the top so they all end on the same line', () => {
    const headings = topAxisLabels(['Aa bb cc', 'Dormant'], 2);
    expect(headings.extraLines).toBe(2);
    expect(headings.expr).toBe('[["Aa","bb","cc"],["","","Dormant"]][datum.value]');
  });
});

describe('heading columns', () => {
  it('widens columns so the longest word of any name fits, and never cuts a long name', () => {
    const names = ['Transactors', 'Cash-advance users', 'Customers with low installment purchase frequency'];
    const { columnWidth, wrapAt } = headingColumns(names, 84);
    expect(columnWidth).toBeGreaterThan(84);
    expect(wrapAt).toBeGreaterThanOrEqual('installment'.length);
    const { expr } = topAxisLabels(names, wrapAt);
    const lines = JSON.parse(expr.slice(0, expr.indexOf('[datum'))) as string[][];
    // Every word of every name is there: nothing is cut after a few lines.
    expect(lines.map((l) => l.filter(Boolean).join(' '))).toEqual(names);
  });
});
