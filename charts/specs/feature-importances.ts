import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, CHART_WIDTH, chartTitle, formatPercent, VEGA_LITE_SCHEMA } from '../theme.js';

export interface FeatureImportanceDatum {
  feature: string;
  /** Any non-negative importance; shown as its share of the total. */
  importance: number;
}

export interface FeatureImportancesOptions {
  /** How many bars (default 12). */
  topN?: number;
  /** Readable product name, for the title. */
  product?: string;
  title?: string;
  subtitle?: string;
}

const BAR = '#0072B2';

/**
 * The features that drive a model's score, as horizontal bars of their share of total importance,
 * largest first, top N only.
 */
export function featureImportancesSpec(
  items: readonly FeatureImportanceDatum[],
  options: FeatureImportancesOptions = {},
): TopLevelSpec {
  const topN = Math.max(1, Math.floor(options.topN ?? 12));
  const usable = items.filter((i) => Number.isFinite(i.importance) && i.importance > 0);
  const total = usable.reduce((sum, i) => sum + i.importance, 0);
  const top = [...usable]
    .sort((a, b) => b.importance - a.importance || a.feature.localeCompare(b.feature))
    .slice(0, topN);
  const values = top.map((item, order) => {
    const share = total > 0 ? item.importance / total : 0;
    return { order, feature: item.feature, share, label: formatPercent(share, share < 0.1 ? 1 : 0) };
  });
  const maxShare = Math.max(0.01, ...values.map((v) => v.share));
  const shown =
    top.length < usable.length
      ? `The top ${top.length} of ${usable.length} features`
      : `All ${usable.length} features`;
  const subtitle = options.subtitle ?? `${shown}, by their share of the model's total importance.`;
  const title =
    options.title ?? (options.product ? `What drives the ${options.product} score` : 'What drives the score');
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle(title, subtitle),
    width: CHART_WIDTH - 200,
    height: { step: 30 },
    data: { values },
    encoding: {
      y: {
        field: 'feature',
        type: 'nominal',
        sort: { field: 'order', op: 'min', order: 'ascending' },
        axis: { title: null, ticks: false, domain: false, labelPadding: 8, labelLimit: 340 },
      },
      x: {
        field: 'share',
        type: 'quantitative',
        title: 'Share of importance',
        scale: { domain: [0, maxShare * 1.18], nice: false },
        axis: { format: '.0%', tickCount: 5, grid: true },
      },
    },
    layer: [
      { mark: { type: 'bar', color: BAR, cornerRadiusEnd: 3, height: { band: 0.7 } } },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 13 },
        encoding: { text: { field: 'label', type: 'nominal' } },
      },
    ],
  };
}
