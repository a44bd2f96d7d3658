import type { Config } from 'vega-lite';

/**
 * One look for every segbot chart. Sizes are chosen for Slack: charts are drawn about 720 px wide and
 * rasterised at 2x, so a Slack preview (a few hundred pixels wide) still shows legible labels.
 */

/** The font family every chart asks for; the renderer ships the matching TTF files. */
export const FONT_FAMILY = 'Inter';

/** Default plot width in CSS pixels (before the PNG scale factor). */
export const CHART_WIDTH = 640;

/**
 * Categorical colours for segments, by segment index. The first six are the Okabe–Ito colours that
 * stay distinguishable under the common colour-vision deficiencies; the rest come from Paul Tol's
 * palettes. Yellow is left out on purpose: it vanishes on a white background.
 */
export const SEGMENT_PALETTE: readonly string[] = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#332288',
  '#999933',
  '#882255',
  '#6B6B6B',
];

/** Text colours: primary and secondary (subtitles, annotations). */
export const INK = '#1F2933';
export const MUTED_INK = '#52606D';
/** Neutral colour for baselines and "not the focus" marks. */
export const NEUTRAL = '#9AA5B1';
/** Accent for the one thing a chart highlights (chosen k, the model line). */
export const ACCENT = '#D55E00';

/**
 * The colour of segment `index`, stable across every chart and every run that keeps the index, so
 * "Revolvers" is the same orange in the sizes bar chart, the scatter and the weekly trend.
 */
export function segmentColor(index: number): string {
  const n = SEGMENT_PALETTE.length;
  return SEGMENT_PALETTE[((Math.trunc(index) % n) + n) % n]!;
}

/** A segment name with the index that fixes its colour (or its colour slot, when it has one). */
export interface SegmentRef {
  index: number;
  name: string;
  /** The colour slot kept across the channel's runs (see colorSlots); the index when absent. */
  color?: number;
}

/**
 * A colour scale (domain of names, range of colours) for the given segments, ordered by index, so a
 * chart that shows only some segments still paints each one in its own colour.
 */
export function segmentColorScale(segments: readonly SegmentRef[]): { domain: string[]; range: string[] } {
  const sorted = [...segments].sort((a, b) => a.index - b.index);
  return { domain: sorted.map((s) => s.name), range: sorted.map((s) => segmentColor(s.color ?? s.index)) };
}

/** The Vega-Lite config shared by all charts. */
export const CHART_CONFIG: Config = {
  font: FONT_FAMILY,
  // Charts are posted as PNG, where ARIA attributes only bloat the intermediate SVG.
  aria: false,
  background: '#FFFFFF',
  padding: 16,
  view: { stroke: null },
  title: {
    anchor: 'start',
    font: FONT_FAMILY,
    fontSize: 20,
    fontWeight: 600,
    color: INK,
    subtitleFont: FONT_FAMILY,
    subtitleFontSize: 14,
    subtitleColor: MUTED_INK,
    subtitlePadding: 6,
    offset: 14,
    frame: 'bounds',
  },
  axis: {
    labelFont: FONT_FAMILY,
    labelFontSize: 13,
    labelColor: INK,
    titleFont: FONT_FAMILY,
    titleFontSize: 14,
    titleFontWeight: 600,
    titleColor: INK,
    titlePadding: 10,
    gridColor: '#E4E7EB',
    domainColor: NEUTRAL,
    tickColor: NEUTRAL,
    labelLimit: 260,
  },
  legend: {
    labelFont: FONT_FAMILY,
    labelFontSize: 13,
    labelColor: INK,
    titleFont: FONT_FAMILY,
    titleFontSize: 13,
    titleFontWeight: 600,
    titleColor: INK,
    labelLimit: 240,
    symbolSize: 140,
  },
  header: {
    labelFont: FONT_FAMILY,
    labelFontSize: 14,
    titleFont: FONT_FAMILY,
    titleFontSize: 14,
  },
  text: { font: FONT_FAMILY, fontSize: 13, color: INK },
  concat: { spacing: 40 },
};

/** A chart title with a plain-words subtitle (one string per line). */
export function chartTitle(
  text: string,
  subtitle?: string | string[],
): { text: string; subtitle?: string[] } {
  if (subtitle === undefined) return { text };
  return { text, subtitle: Array.isArray(subtitle) ? subtitle : [subtitle] };
}

/** Formats an integer count with thousands separators ("12,345"), independent of the machine's locale. */
export function formatCount(value: number): string {
  const rounded = Math.round(value);
  const sign = rounded < 0 ? '-' : '';
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Formats a 0..1 share as a percentage ("24.7%"); `digits` decimals. */
export function formatPercent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** The Vega-Lite schema every spec declares. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
