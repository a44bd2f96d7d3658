import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, chartTitle, type SegmentRef, VEGA_LITE_SCHEMA } from '../theme.js';

export interface ProfileHeatmapInput {
  /** Columns of the heatmap, in this order. */
  segments: readonly SegmentRef[];
  /** Rows of the heatmap, in this order. */
  features: readonly string[];
  /** z[s][f]: how far segment s's mean of feature f sits from the population, in standard deviations. */
  z: readonly (readonly number[])[];
}

export interface ProfileHeatmapOptions {
  /** Colours saturate at ±clip standard deviations (default 3); the printed value is never clipped. */
  clip?: number;
  title?: string;
  subtitle?: string | string[];
}

/**
 * Column headings for a top axis: each name wrapped, then padded with empty lines at the start so all
 * headings end on the same line. Vega draws extra lines downward from a top label's anchor, so the
 * axis also needs `labelPadding` raised by the extra lines (returned as `extraLines`).
 */
export function topAxisLabels(names: readonly string[], width: number): { expr: string; extraLines: number } {
  // Every line is kept: a heading cut after three lines ("Everyday customers (high") is no heading.
  const wrapped = names.map((name) => wrapLabel(name, width));
  const lines = Math.max(1, ...wrapped.map((w) => w.length));
  const padded = wrapped.map((w) => [...new Array<string>(lines - w.length).fill(''), ...w]);
  return { expr: `${JSON.stringify(padded)}[datum.value]`, extraLines: lines - 1 };
}

/**
 * Average advance of a character in a 13 px semibold heading (Inter), in pixels: enough to size a
 * column so that its longest word fits (a wider word would run into the next heading).
 */
const HEADING_CHAR_PX = 8.3;

/**
 * Column width and wrap length for headings over columns: `base` pixels, widened so the longest
 * single word of any name fits, and the wrap length in characters that fills a column.
 */
export function headingColumns(
  names: readonly string[],
  base: number,
): { columnWidth: number; wrapAt: number } {
  const longestWord = Math.max(0, ...names.flatMap((n) => n.split(/\s+/)).map((w) => w.length));
  const columnWidth = Math.max(base, Math.ceil(longestWord * HEADING_CHAR_PX + 14));
  // Lines mix narrow and wide letters, so a line holds more characters than the widest-word bound.
  return { columnWidth, wrapAt: Math.max(longestWord, Math.floor((columnWidth - 12) / 7)) };
}

/** Splits a name into lines of about `width` characters, so long segment names fit a column. */
export function wrapLabel(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function formatZ(z: number): string {
  const rounded = Math.round(z * 10) / 10;
  if (rounded === 0) return '0.0';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(1)}`;
}

/**
 * A heatmap of segment profiles: one row per feature, one column per segment, each cell the z-score
 * of the segment's mean. Blue is below average, orange above, white average; the scale is centred on
 * 0 and clipped so one extreme segment does not wash out the rest.
 */
export function profileHeatmapSpec(
  input: ProfileHeatmapInput,
  options: ProfileHeatmapOptions = {},
): TopLevelSpec {
  const clip = options.clip ?? 3;
  const values: {
    segment: string;
    segmentOrder: number;
    feature: string;
    featureOrder: number;
    z: number;
    zColor: number;
    label: string;
    strong: boolean;
  }[] = [];
  input.segments.forEach((segment, s) => {
    const row = input.z[s] ?? [];
    input.features.forEach((feature, f) => {
      const z = row[f];
      if (z === undefined || !Number.isFinite(z)) return;
      const zColor = Math.max(-clip, Math.min(clip, z));
      values.push({
        segment: segment.name,
        segmentOrder: s,
        feature,
        featureOrder: f,
        z: Math.round(z * 100) / 100,
        zColor,
        label: formatZ(z),
        strong: Math.abs(zColor) >= clip * 0.55,
      });
    });
  });
  const { columnWidth, wrapAt } = headingColumns(
    input.segments.map((s) => s.name),
    input.segments.length > 6 ? 84 : 110,
  );
  // Axis labels are looked up by column position, so a name may break over lines without Vega
  // needing a word-wrap function of its own.
  const headings = topAxisLabels(
    input.segments.map((s) => s.name),
    wrapAt,
  );
  const subtitle = options.subtitle ?? [
    'How far each segment’s average sits from all customers, in standard deviations.',
    `Orange: above average; blue: below; colours saturate at ±${clip}.`,
  ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle(options.title ?? 'What sets each segment apart', subtitle),
    width: { step: columnWidth },
    height: { step: 26 },
    data: { values },
    encoding: {
      x: {
        field: 'segmentOrder',
        type: 'ordinal',
        axis: {
          title: null,
          orient: 'top',
          labelAngle: 0,
          labelFontWeight: 600,
          labelFontSize: 13,
          labelLimit: columnWidth * 3,
          labelExpr: headings.expr,
          labelLineHeight: 16,
          ticks: false,
          domain: false,
          labelPadding: 6 + headings.extraLines * 16,
        },
      },
      y: {
        field: 'feature',
        type: 'nominal',
        sort: { field: 'featureOrder', order: 'ascending' },
        axis: { title: null, ticks: false, domain: false, labelFontSize: 12 },
      },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: '#FFFFFF', strokeWidth: 1.5 },
        encoding: {
          color: {
            field: 'zColor',
            type: 'quantitative',
            title: 'z-score',
            scale: { scheme: 'blueorange', domain: [-clip, clip], domainMid: 0, clamp: true },
            legend: { orient: 'right', gradientLength: 200, tickCount: 7, direction: 'vertical' },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 12, baseline: 'middle' },
        encoding: {
          text: { field: 'label', type: 'nominal' },
          color: { condition: { test: 'datum.strong', value: '#FFFFFF' }, value: '#1F2933' },
        },
      },
    ],
  };
}
