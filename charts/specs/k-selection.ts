import type { TopLevelSpec } from 'vega-lite';
import type { LayerSpec } from 'vega-lite/types_unstable/spec/index.js';
import { ACCENT, CHART_CONFIG, chartTitle, VEGA_LITE_SCHEMA } from '../theme.js';

/** The quality of one candidate number of segments. */
export interface KScoreDatum {
  k: number;
  silhouette: number;
  inertia: number;
}

export interface KSelectionChartInput {
  scores: readonly KScoreDatum[];
  chosenK: number;
}

export interface KSelectionOptions {
  title?: string;
  subtitle?: string;
}

const PANEL_WIDTH = 300;
const PANEL_HEIGHT = 220;
const LINE = '#0072B2';

function panel(
  field: 'silhouette' | 'inertia',
  heading: string,
  explanation: string,
  chosenK: number,
  ks: number[],
  format: string,
): LayerSpec<string> {
  const y = {
    field,
    type: 'quantitative' as const,
    title: `${heading}: ${explanation}`,
    // Padding keeps the large highlighted point inside the plot, so both panel titles line up.
    scale: { zero: false, nice: true, padding: 14 },
    axis: { format, tickCount: 5 },
  };
  return {
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    encoding: {
      x: {
        field: 'k',
        type: 'quantitative',
        title: 'Number of segments (k)',
        scale: { domain: [Math.min(...ks) - 0.4, Math.max(...ks) + 0.4], nice: false },
        axis: { values: ks, format: 'd', grid: false },
      },
    },
    layer: [
      {
        mark: { type: 'rule', color: ACCENT, strokeDash: [4, 4], strokeWidth: 1.5 },
        encoding: { x: { datum: chosenK } },
      },
      { mark: { type: 'line', color: LINE, strokeWidth: 2.5 }, encoding: { y } },
      {
        mark: { type: 'point', filled: true, size: 70, color: LINE, opacity: 1 },
        encoding: { y },
        transform: [{ filter: `datum.k !== ${chosenK}` }],
      },
      {
        mark: {
          type: 'point',
          filled: true,
          size: 220,
          color: ACCENT,
          opacity: 1,
          stroke: '#FFFFFF',
          strokeWidth: 2,
        },
        encoding: { y },
        transform: [{ filter: `datum.k === ${chosenK}` }],
      },
    ],
  };
}

/**
 * How k was chosen: silhouette by k (higher is better) beside inertia by k (look for the bend), the
 * chosen k marked in both panels.
 */
export function kSelectionSpec(input: KSelectionChartInput, options: KSelectionOptions = {}): TopLevelSpec {
  const values = [...input.scores]
    .filter((s) => Number.isFinite(s.silhouette) && Number.isFinite(s.inertia))
    .sort((a, b) => a.k - b.k)
    .map((s) => ({ k: s.k, silhouette: s.silhouette, inertia: s.inertia, chosen: s.k === input.chosenK }));
  const ks = values.map((v) => v.k);
  if (ks.length === 0) ks.push(input.chosenK);
  const chosen = values.find((v) => v.chosen);
  const subtitle = options.subtitle ?? [
    chosen
      ? `${values.length} candidates tried; k = ${input.chosenK} (orange) has silhouette ${chosen.silhouette.toFixed(2)}.`
      : `k = ${input.chosenK} was chosen.`,
    'Left: how well separated the segments are. Right: how spread out they are inside.',
  ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle(options.title ?? `How many segments? ${input.chosenK} chosen`, subtitle),
    data: { values },
    hconcat: [
      panel('silhouette', 'Silhouette', 'higher is better', input.chosenK, ks, '.2f'),
      panel('inertia', 'Inertia', 'look for the bend', input.chosenK, ks, '~s'),
    ],
    resolve: { scale: { y: 'independent' } },
  };
}
