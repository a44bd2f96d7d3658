import type { TopLevelSpec } from 'vega-lite';
import {
  CHART_CONFIG,
  CHART_WIDTH,
  chartTitle,
  formatCount,
  formatPercent,
  type SegmentRef,
  segmentColorScale,
  VEGA_LITE_SCHEMA,
} from '../theme.js';

/** One bar: a segment and how many customers it holds. */
export interface SegmentSizeDatum extends SegmentRef {
  size: number;
}

export interface SegmentSizesOptions {
  title?: string;
  subtitle?: string;
  /** Bar order: largest first (default) or by segment index. */
  sort?: 'size' | 'index';
}

/**
 * Horizontal bars of segment sizes, each labelled with its count and share ("12,345 · 24.7%"), in the
 * segment's own colour.
 */
export function segmentSizesSpec(
  segments: readonly SegmentSizeDatum[],
  options: SegmentSizesOptions = {},
): TopLevelSpec {
  const total = segments.reduce((sum, s) => sum + s.size, 0);
  const ordered = [...segments].sort((a, b) =>
    options.sort === 'index' ? a.index - b.index : b.size - a.size || a.index - b.index,
  );
  const values = ordered.map((s, order) => {
    const share = total > 0 ? s.size / total : 0;
    return {
      order,
      index: s.index,
      name: s.name,
      size: s.size,
      share,
      label: `${formatCount(s.size)} · ${formatPercent(share)}`,
    };
  });
  const maxSize = Math.max(1, ...segments.map((s) => s.size));
  const subtitle =
    options.subtitle ??
    `${formatCount(total)} customers in ${segments.length} segments: how many customers each segment holds, and its share.`;
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle(options.title ?? 'Customers per segment', subtitle),
    width: CHART_WIDTH - 140,
    height: { step: 40 },
    data: { values },
    encoding: {
      y: {
        field: 'name',
        type: 'nominal',
        sort: { field: 'order', op: 'min', order: 'ascending' },
        axis: { title: null, labelFontSize: 14, labelPadding: 8, ticks: false, domain: false },
      },
      x: {
        field: 'size',
        type: 'quantitative',
        title: 'Customers',
        // Room on the right for the longest count label.
        scale: { domain: [0, maxSize * 1.32], nice: false },
        axis: { format: ',d', tickCount: 5, grid: true },
      },
    },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 3, height: { band: 0.72 } },
        encoding: {
          color: { field: 'name', type: 'nominal', scale: segmentColorScale(segments), legend: null },
        },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 14 },
        encoding: { text: { field: 'label', type: 'nominal' } },
      },
    ],
  };
}
