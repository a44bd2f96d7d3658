import type { TopLevelSpec } from 'vega-lite';
import { ACCENT, CHART_CONFIG, chartTitle, formatPercent, NEUTRAL, VEGA_LITE_SCHEMA } from '../theme.js';

/** One point of a cumulative gains curve. */
export interface GainsPoint {
  /** Share of customers contacted, best scores first (0..1). */
  population: number;
  /** Share of all holders found among them (0..1). */
  captured: number;
}

export interface GainsChartInput {
  /** Readable product name ("credit card"). */
  product: string;
  /** The curve, usually at each decile; (0, 0) is added when missing. */
  points: readonly GainsPoint[];
}

export interface GainsChartOptions {
  title?: string;
  subtitle?: string;
}

/**
 * Cumulative gains at `bins` equal slices of customers sorted by score, best first (ties keep input
 * order, so the curve repeats). `holders[i]` is 1 (or true) when customer i holds the product.
 */
export function gainsFromScores(
  scores: ArrayLike<number>,
  holders: ArrayLike<number | boolean>,
  bins = 10,
): GainsPoint[] {
  const n = Math.min(scores.length, holders.length);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  let totalHolders = 0;
  for (let i = 0; i < n; i++) if (Number(holders[i])) totalHolders++;
  const points: GainsPoint[] = [{ population: 0, captured: 0 }];
  let found = 0;
  let taken = 0;
  for (let b = 1; b <= bins; b++) {
    const upTo = Math.round((n * b) / bins);
    for (; taken < upTo; taken++) if (Number(holders[order[taken]!])) found++;
    points.push({ population: b / bins, captured: totalHolders > 0 ? found / totalHolders : 0 });
  }
  return points;
}

/**
 * Cumulative gains: the share of a product's holders found by contacting customers in score order,
 * against the diagonal of contacting at random. The top-decile lift is written on the chart.
 */
export function gainsChartSpec(input: GainsChartInput, options: GainsChartOptions = {}): TopLevelSpec {
  const points = [...input.points]
    .filter((p) => Number.isFinite(p.population) && Number.isFinite(p.captured))
    .sort((a, b) => a.population - b.population);
  if (points.length === 0 || points[0]!.population > 0) points.unshift({ population: 0, captured: 0 });
  const model = points.map((p) => ({ population: p.population, captured: p.captured, series: 'Model' }));
  const top = points.find((p) => Math.abs(p.population - 0.1) < 1e-9) ?? points[1];
  const annotations: { population: number; captured: number; text: string }[] = [];
  if (top && top.population > 0) {
    const lift = top.captured / top.population;
    annotations.push({
      population: top.population,
      captured: top.captured,
      text: `Top ${formatPercent(top.population, 0)} of scores finds ${formatPercent(top.captured, 0)} of holders: ${lift.toFixed(1)}× random`,
    });
  }
  const subtitle = options.subtitle ?? [
    `Share of ${input.product} holders found when customers are contacted best score first,`,
    'compared with contacting them at random (dashed line).',
  ];
  const axis = { format: '.0%', values: [0, 0.2, 0.4, 0.6, 0.8, 1], grid: true };
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle(options.title ?? `Who to target first for ${input.product}`, subtitle),
    width: 520,
    height: 400,
    layer: [
      {
        data: {
          values: [
            { population: 0, captured: 0 },
            { population: 1, captured: 1 },
          ],
        },
        mark: { type: 'line', color: NEUTRAL, strokeDash: [6, 5], strokeWidth: 2 },
        encoding: {
          x: {
            field: 'population',
            type: 'quantitative',
            title: 'Customers contacted (best scores first)',
            axis,
            scale: { domain: [0, 1] },
          },
          y: {
            field: 'captured',
            type: 'quantitative',
            title: 'Share of holders found',
            axis,
            scale: { domain: [0, 1] },
          },
        },
      },
      {
        data: { values: model },
        mark: {
          type: 'line',
          color: ACCENT,
          strokeWidth: 3,
          point: { filled: true, size: 60, color: ACCENT },
        },
        encoding: {
          x: { field: 'population', type: 'quantitative' },
          y: { field: 'captured', type: 'quantitative' },
        },
      },
      {
        // The top-decile point, ringed: the annotation in the corner talks about it.
        data: { values: annotations },
        mark: { type: 'point', size: 320, strokeWidth: 2.5, color: ACCENT, filled: false, opacity: 1 },
        encoding: {
          x: { field: 'population', type: 'quantitative' },
          y: { field: 'captured', type: 'quantitative' },
        },
      },
      {
        // Below the diagonal stays empty for any model better than random, so the text goes there.
        data: { values: annotations.map((a) => ({ population: 0.98, captured: 0.04, text: a.text })) },
        mark: {
          type: 'text',
          align: 'right',
          baseline: 'bottom',
          fontSize: 15,
          fontWeight: 600,
          color: ACCENT,
        },
        encoding: {
          x: { field: 'population', type: 'quantitative' },
          y: { field: 'captured', type: 'quantitative' },
          text: { field: 'text', type: 'nominal' },
        },
      },
      {
        data: { values: [{ population: 0.8, captured: 0.8, text: 'Random' }] },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 8, dy: 6, fontSize: 13, color: '#52606D' },
        encoding: {
          x: { field: 'population', type: 'quantitative' },
          y: { field: 'captured', type: 'quantitative' },
          text: { field: 'text', type: 'nominal' },
        },
      },
    ],
  };
}
