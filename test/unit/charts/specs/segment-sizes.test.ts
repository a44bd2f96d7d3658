import { describe, expect, it } from 'vitest';
import { segmentSizesSpec } from '../../../../charts/specs/segment-sizes.js';
import { segmentColor } from '../../../../charts/theme.js';
import { asJson, get, valuesOf } from './helpers.js';

const segments = [
  { index: 0, name: 'VIP high spenders', size: 500 },
  { index: 1, name: 'Revolvers', size: 3000 },
  { index: 2, name: 'Dormant', size: 1500 },
];

describe('segmentSizesSpec', () => {
  it('labels each bar with its count and share, largest first', () => {
    const values = valuesOf(segmentSizesSpec(segments));
    expect(values.map((v) => v.name)).toEqual(['Revolvers', 'Dormant', 'VIP high spenders']);
    expect(values.map((v) => v.label)).toEqual(['3,000 · 60.0%', '1,500 · 30.0%', '500 · 10.0%']);
    expect(values.map((v) => v.order)).toEqual([0, 1, 2]);
  });

  it('can keep segment order instead', () => {
    const values = valuesOf(segmentSizesSpec(segments, { sort: 'index' }));
    expect(values.map((v) => v.name)).toEqual(['VIP high spenders', 'Revolvers', 'Dormant']);
  });

  it('draws horizontal bars coloured by segment index, sorted by the order field', () => {
    const spec = asJson(segmentSizesSpec(segments));
    expect(get(spec, 'encoding.y.field')).toBe('name');
    expect(get(spec, 'encoding.y.sort')).toEqual({ field: 'order', op: 'min', order: 'ascending' });
    expect(get(spec, 'encoding.x.field')).toBe('size');
    const bar = get(spec, 'layer.0');
    expect(get(bar, 'mark.type')).toBe('bar');
    expect(get(bar, 'encoding.color.scale.domain')).toEqual(['VIP high spenders', 'Revolvers', 'Dormant']);
    expect(get(bar, 'encoding.color.scale.range')).toEqual([
      segmentColor(0),
      segmentColor(1),
      segmentColor(2),
    ]);
    expect(get(spec, 'layer.1.encoding.text.field')).toBe('label');
    // The axis leaves room for the label to the right of the longest bar.
    expect(get(spec, 'encoding.x.scale.domain.1')).toBeGreaterThan(3000);
  });

  it('says what it shows in the title and subtitle', () => {
    const spec = asJson(segmentSizesSpec(segments));
    expect(get(spec, 'title.text')).toBe('Customers per segment');
    expect(get(spec, 'title.subtitle.0')).toContain('5,000 customers in 3 segments');
  });

  it('survives an empty segment list', () => {
    expect(valuesOf(segmentSizesSpec([]))).toEqual([]);
  });
});
