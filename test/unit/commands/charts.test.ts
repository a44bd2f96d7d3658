import { describe, expect, it } from 'vitest';
import { SEGMENT_PALETTE } from '../../../charts/theme.js';
import { createChartBuilders, HEATMAP_FEATURES, heatmapFeatures } from '../../../commands/charts.js';
import type { Segment } from '../../../src/analytics/types.js';
import { asJson, get, valuesOf } from '../charts/specs/helpers.js';

/** A segment of a wide table: 40 features, of which `strong` stand out. */
function segment(index: number, strong: Record<string, number>, share: number): Segment {
  const profile = Array.from({ length: 40 }, (_, j) => {
    const feature = j === 39 ? 'Geography=Germany' : `FEATURE_${j}`;
    return { feature, mean: 1, median: 1, populationMean: 1, z: strong[feature] ?? 0.01 * j };
  });
  return {
    index,
    name: `Segment ${index}`,
    persona: 'everyday',
    size: Math.round(share * 1000),
    share,
    profile,
    traits: [],
    actions: [],
    centroid: { standardized: [], original: {} },
  };
}

describe('run charts', () => {
  const segments = [
    segment(0, { FEATURE_3: 2, FEATURE_7: -1.5, 'Geography=Germany': 1.2 }, 0.5),
    segment(1, { FEATURE_3: -2, FEATURE_20: 1.1 }, 0.3),
    segment(2, { FEATURE_11: 3 }, 0.2),
  ];

  it('shows at most the 12 most distinguishing features of a wide table, in plain words', () => {
    const features = heatmapFeatures(segments);
    expect(features).toHaveLength(HEATMAP_FEATURES);
    expect(features.slice(0, 3)).toEqual(['FEATURE_3', 'FEATURE_11', 'FEATURE_7']);
    expect(features).toContain('Geography=Germany');
    const spec = createChartBuilders().profileHeatmap(segments);
    const rows = new Set(valuesOf(spec).map((v) => v.feature));
    expect(rows.size).toBe(12);
    expect(rows).toContain('Country: Germany');
    expect([...rows].some((r) => String(r).includes('='))).toBe(false);
    expect(get(asJson(spec), 'title.subtitle.0')).toMatch(
      /^The 12 of 40 features that most set the segments apart/,
    );
  });

  it('paints each segment with its colour slot, so a segment keeps its colour across runs', () => {
    const text = JSON.stringify(createChartBuilders().segmentSizes(segments, [4, 0, 2]));
    expect(text).toContain(
      JSON.stringify({
        domain: ['Segment 0', 'Segment 1', 'Segment 2'],
        range: [SEGMENT_PALETTE[4], SEGMENT_PALETTE[0], SEGMENT_PALETTE[2]],
      }),
    );
  });
});
