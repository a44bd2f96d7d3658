import type { TopLevelSpec } from 'vega-lite';
import {
  CHART_CONFIG,
  CHART_WIDTH,
  chartTitle,
  type SegmentRef,
  segmentColorScale,
  VEGA_LITE_SCHEMA,
} from '../theme.js';

/** One run: when it happened and each segment's size in it. */
export interface TrendRun {
  /** ISO date or date-time of the run. */
  at: string;
  segments: readonly (SegmentRef & { size: number })[];
}

export interface SegmentTrendOptions {
  /** Plot customer counts (default) or shares of all customers. */
  measure?: 'size' | 'share';
  title?: string;
  subtitle?: string;
}

/**
 * Segment sizes over successive runs, one line per segment in its own colour, for the weekly digest.
 * A segment missing from a run (new or dissolved) simply has no point there.
 */
export function segmentTrendSpec(runs: readonly TrendRun[], options: SegmentTrendOptions = {}): TopLevelSpec {
  const measure = options.measure ?? 'size';
  const ordered = [...runs].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const refs = new Map<string, SegmentRef>();
  const values: { at: string; segment: string; size: number; share: number }[] = [];
  for (const run of ordered) {
    const total = run.segments.reduce((sum, s) => sum + s.size, 0);
    for (const s of run.segments) {
      // The latest run decides a segment's colour, as that is the numbering people see now.
      refs.set(s.name, { index: s.index, name: s.name });
      values.push({ at: run.at, segment: s.name, size: s.size, share: total > 0 ? s.size / total : 0 });
    }
  }
  const runTimes = [...new Set(ordered.map((run) => Date.parse(run.at)).filter(Number.isFinite))];
  const subtitle =
    options.subtitle ??
    `${measure === 'share' ? 'Share of all customers' : 'Customers'} in each segment at each of the last ${ordered.length} runs.`;
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle(options.title ?? 'Segment sizes over time', subtitle),
    width: CHART_WIDTH - 80,
    height: 320,
    data: { values },
    mark: { type: 'line', strokeWidth: 2.5, point: { filled: true, size: 50 } },
    encoding: {
      x: {
        field: 'at',
        type: 'temporal',
        title: 'Run date',
        // Ticks on the runs themselves (while they fit), not on calendar weeks that no run fell on.
        axis: {
          format: '%b %d',
          labelAngle: 0,
          grid: false,
          ...(runTimes.length <= 8 ? { values: runTimes } : { tickCount: 8 }),
        },
        scale: { padding: 18 },
      },
      y: {
        field: measure,
        type: 'quantitative',
        title: measure === 'share' ? 'Share of customers' : 'Customers',
        axis: { format: measure === 'share' ? '.0%' : ',d', tickCount: 5 },
        scale: { zero: true },
      },
      color: {
        field: 'segment',
        type: 'nominal',
        title: null,
        scale: segmentColorScale([...refs.values()]),
        legend: { orient: 'right', symbolType: 'stroke', symbolStrokeWidth: 3 },
      },
    },
  };
}
