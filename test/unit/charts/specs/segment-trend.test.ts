import { describe, expect, it } from 'vitest';
import { segmentTrendSpec } from '../../../../charts/specs/segment-trend.js';
import { segmentColor } from '../../../../charts/theme.js';
import { asJson, get, valuesOf } from './helpers.js';

const runs = [
  {
    at: '2026-11-09T08:00:00.000Z',
    segments: [
      { index: 0, name: 'Revolvers', size: 600 },
      { index: 1, name: 'New customers', size: 400 },
    ],
  },
  {
    at: '2026-11-02T08:00:00.000Z',
    segments: [
      { index: 0, name: 'Revolvers', size: 700 },
      { index: 2, name: 'Dormant', size: 300 },
    ],
  },
];

describe('segmentTrendSpec', () => {
  it('has a point per segment per run, oldest run first, with shares', () => {
    const values = valuesOf(segmentTrendSpec(runs));
    expect(values.map((v) => `${(v.at as string).slice(0, 10)} ${v.segment} ${v.size}`)).toEqual([
      '2026-11-02 Revolvers 700',
      '2026-11-02 Dormant 300',
      '2026-11-09 Revolvers 600',
      '2026-11-09 New customers 400',
    ]);
    expect(values[0]!.share).toBe(0.7);
  });

  it('draws one line per segment in its own colour, ticks on the run dates', () => {
    const spec = asJson(segmentTrendSpec(runs));
    expect(get(spec, 'mark.type')).toBe('line');
    expect(get(spec, 'encoding.color.scale.domain')).toEqual(['Revolvers', 'New customers', 'Dormant']);
    expect(get(spec, 'encoding.color.scale.range')).toEqual([
      segmentColor(0),
      segmentColor(1),
      segmentColor(2),
    ]);
    expect(get(spec, 'encoding.x.axis.values')).toEqual([Date.parse(runs[1]!.at), Date.parse(runs[0]!.at)]);
    expect(get(spec, 'encoding.y.field')).toBe('size');
  });

  it('can plot shares instead of counts', () => {
    const spec = asJson(segmentTrendSpec(runs, { measure: 'share' }));
    expect(get(spec, 'encoding.y.field')).toBe('share');
    expect(get(spec, 'encoding.y.axis.format')).toBe('.0%');
    expect(get(spec, 'title.subtitle.0')).toContain('Share of all customers');
  });
});
