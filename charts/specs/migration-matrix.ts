import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, chartTitle, formatCount, formatPercent, VEGA_LITE_SCHEMA } from '../theme.js';
import { headingColumns, topAxisLabels, wrapLabel } from './profile-heatmap.js';

export interface MigrationMatrixInput {
  /** Segment names of the earlier run (rows). */
  from: readonly string[];
  /** Segment names of the later run (columns). */
  to: readonly string[];
  /** counts[i][j]: customers in from[i] before and in to[j] now. */
  counts: readonly (ArrayLike<number> | readonly number[])[];
  /**
   * The first `pairs` rows and columns are the same segment in both runs (row i with column i), so
   * the customers who stayed put are on the diagonal whatever the segments are called.
   */
  pairs: number;
}

export interface MigrationMatrixOptions {
  title?: string;
  subtitle?: string;
}

/** A row share as a short percentage; tiny non-zero shares read "<0.1%" rather than a misleading 0.0%. */
function shareLabel(share: number): string {
  if (share > 0 && share < 0.001) return '<0.1%';
  return formatPercent(share, share < 0.1 ? 1 : 0);
}

/**
 * Where customers went between two runs: rows are the earlier segments, columns the later ones,
 * each cell the number of customers (and the share of its row). Customers who stayed put sit in grey
 * cells, so the colour draws the eye to the moves.
 */
export function migrationMatrixSpec(
  input: MigrationMatrixInput,
  options: MigrationMatrixOptions = {},
): TopLevelSpec {
  const values: {
    from: number;
    to: number;
    fromName: string;
    toName: string;
    count: number;
    rowShare: number;
    stayed: boolean;
    label: string;
    strong: boolean;
  }[] = [];
  let maxMoved = 0;
  let totalMoved = 0;
  let total = 0;
  input.from.forEach((fromName, i) => {
    const row = input.counts[i];
    const rowTotal = row ? Array.from(row).reduce((a, b) => a + b, 0) : 0;
    input.to.forEach((toName, j) => {
      const count = row?.[j] ?? 0;
      const stayed = i === j && i < input.pairs;
      total += count;
      if (!stayed) {
        maxMoved = Math.max(maxMoved, count);
        totalMoved += count;
      }
      const rowShare = rowTotal > 0 ? count / rowTotal : 0;
      values.push({
        from: i,
        to: j,
        fromName,
        toName,
        count,
        rowShare,
        stayed,
        label: count > 0 ? `${formatCount(count)}\n${shareLabel(rowShare)}` : '–',
        strong: false,
      });
    });
  });
  for (const v of values) v.strong = !v.stayed && maxMoved > 0 && v.count / maxMoved > 0.55;
  const { columnWidth, wrapAt } = headingColumns(input.to, input.to.length > 6 ? 86 : 110);
  const headings = topAxisLabels(input.to, wrapAt);
  // Row names wrap too, so a long name is never cut by the axis' label limit; rows grow to hold them.
  const rowLines = input.from.map((name) => wrapLabel(name, 28));
  const rowHeight = Math.max(46, 14 + 16 * Math.max(1, ...rowLines.map((l) => l.length)));
  const fromLabels = JSON.stringify(rowLines);
  const subtitle = options.subtitle ?? [
    `${formatCount(totalMoved)} of ${formatCount(total)} customers changed segment between the two runs.`,
    'Each cell: customers and their share of the row. Grey: stayed put.',
  ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle(options.title ?? 'Where customers moved', subtitle),
    width: { step: columnWidth },
    height: { step: rowHeight },
    data: { values },
    encoding: {
      x: {
        field: 'to',
        type: 'ordinal',
        title: 'Now',
        axis: {
          orient: 'top',
          labelAngle: 0,
          labelFontWeight: 600,
          labelExpr: headings.expr,
          labelLineHeight: 16,
          labelPadding: 6 + headings.extraLines * 16,
          ticks: false,
          domain: false,
        },
      },
      y: {
        field: 'from',
        type: 'ordinal',
        title: 'Before',
        axis: {
          labelExpr: `${fromLabels}[datum.value]`,
          labelFontWeight: 600,
          labelLimit: 260,
          labelLineHeight: 15,
          ticks: false,
          domain: false,
        },
      },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: '#FFFFFF', strokeWidth: 2 },
        encoding: {
          color: {
            condition: [
              { test: 'datum.stayed', value: '#E4E7EB' },
              { test: 'datum.count === 0', value: '#FFFFFF' },
            ],
            field: 'count',
            type: 'quantitative',
            title: 'Moved',
            // The domain stops at the largest move: stayers (grey) would otherwise flatten every move to pale.
            scale: { scheme: 'oranges', domain: [0, Math.max(1, maxMoved)], clamp: true },
            legend: { orient: 'right', gradientLength: 180, format: '~s' },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 13, lineBreak: '\n', lineHeight: 16, baseline: 'middle' },
        encoding: {
          text: { field: 'label', type: 'nominal' },
          color: { condition: { test: 'datum.strong', value: '#FFFFFF' }, value: '#1F2933' },
        },
      },
    ],
  } as TopLevelSpec;
}
