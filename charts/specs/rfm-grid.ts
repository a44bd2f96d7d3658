import type { TopLevelSpec } from 'vega-lite';
import {
  CHART_CONFIG,
  CHART_WIDTH,
  chartTitle,
  formatCount,
  formatPercent,
  SEGMENT_PALETTE,
  VEGA_LITE_SCHEMA,
} from '../theme.js';

export interface RfmGridInput {
  /** Customers per cell: counts[(r - 1) * 5 + (f - 1)]. */
  counts: ArrayLike<number>;
  /** Segment name per cell, same layout. */
  names: readonly string[];
  /** Segment names in legend order (the colours follow this order). */
  segments: readonly string[];
}

/** Dark enough for white labels; greens and blues for the best, oranges and reds for risk, greys for gone. */
const RFM_COLORS: Readonly<Record<string, string>> = {
  Champions: '#00604A',
  Loyal: '#0072B2',
  'Potential loyalists': '#009E73',
  'New customers': '#332288',
  Promising: '#6A51A3',
  'Need attention': '#9A7000',
  'About to sleep': '#B8506A',
  'At risk': '#D55E00',
  "Can't lose them": '#882255',
  Hibernating: '#6B6B6B',
  Lost: '#3D3D3D',
};

/**
 * The R × F grid: recency score down, frequency score across, each cell coloured by its named RFM
 * segment and labelled with its customer count and share.
 */
export function rfmGridSpec(input: RfmGridInput): TopLevelSpec {
  let total = 0;
  for (let i = 0; i < 25; i++) total += input.counts[i] ?? 0;
  const values = [];
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      const cell = (r - 1) * 5 + (f - 1);
      const count = input.counts[cell] ?? 0;
      values.push({
        r: String(r),
        f: String(f),
        segment: input.names[cell] ?? '',
        count: formatCount(count),
        share: total > 0 ? formatPercent(count / total) : '',
      });
    }
  }
  const size = Math.floor((CHART_WIDTH - 220) / 5);
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle(
      'RFM segments on the R × F grid',
      `${formatCount(total)} customers by recency score (5 = bought most lately) and frequency score (5 = most often).`,
    ),
    width: size * 5,
    height: size * 5,
    data: { values },
    encoding: {
      x: { field: 'f', type: 'ordinal', title: 'Frequency score (F)', axis: { labelAngle: 0 } },
      y: { field: 'r', type: 'ordinal', title: 'Recency score (R)', sort: 'descending' },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: '#FFFFFF', strokeWidth: 2 },
        encoding: {
          color: {
            field: 'segment',
            type: 'nominal',
            title: 'RFM segment',
            scale: {
              domain: [...input.segments],
              range: input.segments.map(
                (name, i) => RFM_COLORS[name] ?? SEGMENT_PALETTE[i % SEGMENT_PALETTE.length]!,
              ),
            },
          },
        },
      },
      {
        mark: { type: 'text', dy: -8, fontSize: 14, fontWeight: 600, color: '#FFFFFF' },
        encoding: { text: { field: 'count' } },
      },
      {
        mark: { type: 'text', dy: 10, fontSize: 12, color: '#FFFFFF' },
        encoding: { text: { field: 'share' } },
      },
    ],
  };
}
