import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_WIDTH, chartTitle, INK, NEUTRAL, VEGA_LITE_SCHEMA } from '../theme.js';

export interface SegmentProfileInput {
  name: string;
  /** z-score of the segment's mean for each feature (standard deviations from all customers). */
  features: readonly { feature: string; z: number }[];
}

export interface SegmentProfileOptions {
  /** Bars stop at ±clip standard deviations (default 3); the printed value is never clipped. */
  clip?: number;
  /** Show only the N features that differ most (default: all). */
  topN?: number;
  title?: string;
  subtitle?: string;
}

/** The two ends of the heatmap's blue-orange scale, so one segment reads like its heatmap column. */
const ABOVE = '#D9730D';
const BELOW = '#2A6EBB';

/**
 * One segment against all customers: a diverging bar per feature (orange above average, blue below),
 * the features that differ most at the top, each labelled with its z-score.
 */
export function segmentProfileSpec(
  input: SegmentProfileInput,
  options: SegmentProfileOptions = {},
): TopLevelSpec {
  const clip = options.clip ?? 3;
  const usable = input.features.filter((f) => Number.isFinite(f.z));
  const ranked = [...usable]
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || a.feature.localeCompare(b.feature))
    .slice(0, options.topN ?? usable.length);
  const values = ranked.map((f, order) => {
    const rounded = Math.round(f.z * 10) / 10;
    return {
      order,
      feature: f.feature,
      z: Math.round(f.z * 100) / 100,
      zBar: Math.max(-clip, Math.min(clip, f.z)),
      above: f.z >= 0,
      label: rounded === 0 ? '0.0' : `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(1)}`,
    };
  });
  const subtitle = options.subtitle ?? [
    'Segment average against all customers, in standard deviations.',
    `Orange: above average; blue: below. Bars stop at ±${clip}; the numbers do not.`,
  ];
  const y = {
    field: 'feature',
    type: 'nominal' as const,
    sort: { field: 'order', op: 'min' as const, order: 'ascending' as const },
    axis: { title: null, ticks: false, domain: false, labelPadding: 8, labelLimit: 340 },
  };
  const x = {
    field: 'zBar',
    type: 'quantitative' as const,
    title: 'Standard deviations from all customers',
    // Room beyond the clip for the value labels.
    scale: { domain: [-clip - 0.9, clip + 0.9], nice: false },
    axis: {
      values: Array.from({ length: 2 * clip + 1 }, (_, i) => i - clip),
      format: 'd',
      labelExpr: "datum.value > 0 ? '+' + datum.label : datum.label",
      grid: true,
    },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle(options.title ?? `${input.name}: how they differ from all customers`, subtitle),
    width: CHART_WIDTH - 200,
    height: { step: 26 },
    data: { values },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2, height: { band: 0.7 } },
        encoding: {
          x,
          y,
          color: {
            field: 'above',
            type: 'nominal',
            scale: { domain: [true, false], range: [ABOVE, BELOW] },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'rule', color: NEUTRAL, strokeWidth: 1.5 },
        encoding: { x: { datum: 0 } },
      },
      {
        transform: [{ filter: 'datum.above' }],
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 5, fontSize: 13, color: INK },
        encoding: {
          x: { field: 'zBar', type: 'quantitative' },
          y,
          text: { field: 'label', type: 'nominal' },
        },
      },
      {
        transform: [{ filter: '!datum.above' }],
        mark: { type: 'text', align: 'right', baseline: 'middle', dx: -5, fontSize: 13, color: INK },
        encoding: {
          x: { field: 'zBar', type: 'quantitative' },
          y,
          text: { field: 'label', type: 'nominal' },
        },
      },
    ],
  };
}
