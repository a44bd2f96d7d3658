import type { TopLevelSpec } from 'vega-lite';
import {
  ACCENT,
  CHART_CONFIG,
  CHART_WIDTH,
  chartTitle,
  formatCount,
  formatPercent,
  NEUTRAL,
  VEGA_LITE_SCHEMA,
} from '../theme.js';

/** One group's conversion with its 95% interval. */
export interface GroupRate {
  group: 'Contacted (treatment)' | 'Held back (control)';
  customers: number;
  conversions: number;
  rate: number;
  lower: number;
  upper: number;
}

/**
 * Conversion of the treated and the held-back customers as two bars with their 95% intervals as
 * error bars, each labelled with its rate and counts; the subtitle carries the verdict, so the chart
 * says no more than the interval does.
 */
export function campaignLiftSpec(input: {
  campaign: string;
  verdict: string;
  groups: readonly GroupRate[];
}): TopLevelSpec {
  const values = input.groups.map((g) => ({
    ...g,
    label: `${formatPercent(g.rate)} (${formatCount(g.conversions)} of ${formatCount(g.customers)})`,
  }));
  const top = Math.max(0.01, ...input.groups.map((g) => g.upper));
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle(
      `Conversion: ${input.campaign}`,
      `${input.verdict}. Bars: conversion; lines: 95% intervals.`,
    ),
    width: CHART_WIDTH - 160,
    height: { step: 56 },
    data: { values },
    encoding: {
      y: {
        field: 'group',
        type: 'nominal',
        sort: null,
        axis: { title: null, labelFontSize: 14, labelPadding: 8, ticks: false, domain: false },
      },
    },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 3, height: { band: 0.6 } },
        encoding: {
          x: {
            field: 'rate',
            type: 'quantitative',
            title: 'Converted',
            scale: { domain: [0, top * 1.45], nice: false },
            axis: { format: '.0%', tickCount: 5, grid: true },
          },
          color: {
            field: 'group',
            type: 'nominal',
            scale: { domain: ['Contacted (treatment)', 'Held back (control)'], range: [ACCENT, NEUTRAL] },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'rule', strokeWidth: 2, color: '#1F2933' },
        encoding: { x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 8, fontSize: 13 },
        encoding: { x: { field: 'upper', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
      },
    ],
  };
}
