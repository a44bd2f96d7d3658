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

/** One campaign's two groups, for the deck's campaign results chart. */
export interface CampaignRates {
  name: string;
  verdict: string;
  treatment: { customers: number; conversions: number; rate: number; low: number; high: number };
  control: { customers: number; conversions: number; rate: number; low: number; high: number };
}

/**
 * Several campaigns at once: per campaign, the conversion of the contacted and of the held back as
 * dots with their 95% Wilson intervals as lines, the verdict beside the campaign's name.
 */
export function campaignResultsSpec(campaigns: readonly CampaignRates[]): TopLevelSpec {
  const GROUPS = ['Contacted', 'Held back'] as const;
  const values = campaigns.flatMap((c, order) =>
    GROUPS.map((group) => {
      const g = group === 'Contacted' ? c.treatment : c.control;
      return {
        campaign: `${c.name} · ${c.verdict}`,
        order,
        group,
        rate: g.rate,
        lower: g.low,
        upper: g.high,
        label: formatPercent(g.rate),
      };
    }),
  );
  const top = Math.max(0.01, ...values.map((v) => v.upper));
  const x = {
    type: 'quantitative' as const,
    scale: { domain: [0, top * 1.2], nice: false },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle('Conversion by campaign', 'Dots: conversion; lines: 95% Wilson intervals.'),
    width: CHART_WIDTH - 260,
    data: { values },
    facet: {
      row: {
        field: 'campaign',
        type: 'nominal',
        // In the table's order, not alphabetical.
        sort: { field: 'order', op: 'min' },
        title: null,
        header: {
          labelAngle: 0,
          labelAlign: 'left',
          labelAnchor: 'start',
          labelFontSize: 14,
          labelFontWeight: 'bold',
          labelOrient: 'top',
        },
      },
    },
    spec: {
      width: CHART_WIDTH - 260,
      height: { step: 30 },
      encoding: {
        y: {
          field: 'group',
          type: 'nominal',
          sort: null,
          axis: { title: null, labelFontSize: 13, ticks: false, domain: false },
        },
        color: {
          field: 'group',
          type: 'nominal',
          scale: { domain: [...GROUPS], range: [ACCENT, NEUTRAL] },
          legend: null,
        },
      },
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 3 },
          encoding: {
            x: {
              field: 'lower',
              ...x,
              title: 'Converted',
              axis: { format: '.0%', tickCount: 5, grid: true },
            },
            x2: { field: 'upper' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 110, opacity: 1 },
          encoding: { x: { field: 'rate', ...x } },
        },
        {
          mark: { type: 'text', align: 'left', baseline: 'middle', dx: 8, fontSize: 12, color: '#1F2933' },
          encoding: { x: { field: 'upper', ...x }, text: { field: 'label', type: 'nominal' } },
        },
      ],
    },
    resolve: { scale: { x: 'shared' } },
  };
}
