import { describe, expect, it } from 'vitest';
import { segmentProfileSpec } from '../../../../charts/specs/segment-profile.js';
import { asJson, get, valuesOf } from './helpers.js';

const input = {
  name: 'Cash-advance users',
  features: [
    { feature: 'TENURE', z: -0.04 },
    { feature: 'CASH_ADVANCE', z: 4.24 },
    { feature: 'PURCHASES', z: -1.1 },
    { feature: 'PAYMENTS', z: Number.NaN },
  ],
};

describe('segmentProfileSpec', () => {
  it('ranks features by how far they sit from average, with signed labels', () => {
    const values = valuesOf(segmentProfileSpec(input));
    expect(values.map((v) => v.feature)).toEqual(['CASH_ADVANCE', 'PURCHASES', 'TENURE']);
    expect(values.map((v) => v.label)).toEqual(['+4.2', '−1.1', '0.0']);
    expect(values.map((v) => v.above)).toEqual([true, false, false]);
  });

  it('clips the bars, not the numbers, and keeps only the top N when asked', () => {
    const values = valuesOf(segmentProfileSpec(input, { clip: 2, topN: 2 }));
    expect(values.map((v) => v.zBar)).toEqual([2, -1.1]);
    expect(values[0]!.z).toBe(4.24);
    const spec = asJson(segmentProfileSpec(input, { clip: 2 }));
    expect(get(spec, 'layer.0.encoding.x.scale.domain')).toEqual([-2.9, 2.9]);
    expect(get(spec, 'layer.0.encoding.x.axis.values')).toEqual([-2, -1, 0, 1, 2]);
  });

  it('colours above and below average apart and names the segment in the title', () => {
    const spec = asJson(segmentProfileSpec(input));
    expect(get(spec, 'layer.0.encoding.color.field')).toBe('above');
    expect(get(spec, 'layer.0.encoding.color.scale.domain')).toEqual([true, false]);
    expect(get(spec, 'title.text')).toBe('Cash-advance users: how they differ from all customers');
  });
});
