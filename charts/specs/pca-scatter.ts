import type { TopLevelSpec } from 'vega-lite';
import { stratifiedSample } from '../sample-points.js';
import {
  CHART_CONFIG,
  CHART_WIDTH,
  chartTitle,
  formatCount,
  type SegmentRef,
  segmentColorScale,
  VEGA_LITE_SCHEMA,
} from '../theme.js';

export interface PcaScatterInput {
  /** 2-D projection of every customer, [x0, y0, x1, y1, …]. */
  projection: ArrayLike<number>;
  /** Segment index of each customer. */
  labels: ArrayLike<number>;
  segments: readonly SegmentRef[];
  /** Share of variance of the first two components (0..1), for the axis titles. */
  explainedVarianceRatio?: readonly number[];
}

export interface PcaScatterOptions {
  /** At most this many dots are drawn (default 5,000): enough to show the shape, fast at 1M customers. */
  maxPoints?: number;
  /** Seed of the sample, so the same run always draws the same dots. */
  seed?: number;
  /** Smallest number of dots a non-empty segment keeps (default 40). */
  minPerSegment?: number;
  title?: string;
  subtitle?: string;
}

/** Rounds to 3 decimals: invisible at chart resolution, and keeps the spec small. */
function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[at]!;
}

/**
 * Axis range covering the central 99% of dots plus a margin: a handful of extreme customers would
 * otherwise squash every segment into one corner.
 */
function focusDomain(values: Float64Array): [number, number] {
  const sorted = Float64Array.from(values).sort();
  const lo = quantile(sorted, 0.005);
  const hi = quantile(sorted, 0.995);
  const span = hi - lo || 1;
  return [round3(lo - span * 0.05), round3(hi + span * 0.05)];
}

function axisTitle(component: number, ratio: number | undefined): string {
  const base = `Principal component ${component}`;
  return ratio === undefined || !Number.isFinite(ratio)
    ? base
    : `${base} (${(ratio * 100).toFixed(1)}% of variance)`;
}

/**
 * Customers on the first two principal components, coloured by segment. Large inputs are thinned to
 * a seeded sample stratified by segment, so every segment keeps its share and small ones stay visible.
 */
export function pcaScatterSpec(input: PcaScatterInput, options: PcaScatterOptions = {}): TopLevelSpec {
  const n = input.labels.length;
  if (input.projection.length < 2 * n) {
    throw new RangeError(
      `projection has ${input.projection.length} values; ${2 * n} needed for ${n} customers`,
    );
  }
  const segmentCount = Math.max(0, ...input.segments.map((s) => s.index + 1));
  const rows = stratifiedSample(input.labels, segmentCount, {
    maxPoints: options.maxPoints ?? 5000,
    seed: options.seed ?? 1,
    minPerGroup: options.minPerSegment ?? 40,
  });
  const nameOf = new Map(input.segments.map((s) => [s.index, s.name]));
  const xs = new Float64Array(rows.length);
  const ys = new Float64Array(rows.length);
  const values: { x: number; y: number; segment: string }[] = [];
  let kept = 0;
  for (const row of rows) {
    const name = nameOf.get(input.labels[row]!);
    const x = input.projection[2 * row]!;
    const y = input.projection[2 * row + 1]!;
    if (name === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    xs[kept] = x;
    ys[kept] = y;
    kept++;
    values.push({ x: round3(x), y: round3(y), segment: name });
  }
  const ratio = input.explainedVarianceRatio ?? [];
  const shown =
    kept < n
      ? `${formatCount(kept)} of ${formatCount(n)} customers shown, sampled in proportion to each segment.`
      : `All ${formatCount(n)} customers shown.`;
  const subtitle = options.subtitle ?? [
    'Each dot is a customer; customers who behave alike sit close together.',
    shown,
  ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle(options.title ?? 'Segments on a map of customer behaviour', subtitle),
    width: CHART_WIDTH,
    height: 440,
    data: { values },
    mark: { type: 'circle', size: 16, opacity: 0.55, clip: true },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: axisTitle(1, ratio[0]),
        scale: { domain: focusDomain(xs.subarray(0, kept)), nice: false, zero: false },
        axis: { grid: true, tickCount: 6 },
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: axisTitle(2, ratio[1]),
        scale: { domain: focusDomain(ys.subarray(0, kept)), nice: false, zero: false },
        axis: { grid: true, tickCount: 6 },
      },
      color: {
        field: 'segment',
        type: 'nominal',
        title: 'Segment',
        scale: segmentColorScale(input.segments),
        legend: { orient: 'bottom', direction: 'horizontal', columns: 3, symbolOpacity: 1, title: null },
      },
    },
  };
}
