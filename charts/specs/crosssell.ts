import type { TopLevelSpec } from 'vega-lite';
import {
  CHART_CONFIG,
  CHART_WIDTH,
  chartTitle,
  formatCount,
  formatPercent,
  VEGA_LITE_SCHEMA,
} from '../theme.js';
import { topAxisLabels } from './profile-heatmap.js';

/** One column per product, its name wrapped over up to three lines above the chart. */
function productColumns(field: string, labels: readonly string[]) {
  const headings = topAxisLabels(labels, 10);
  return {
    field,
    type: 'ordinal' as const,
    axis: {
      title: null,
      orient: 'top' as const,
      labelAngle: 0,
      labelExpr: headings.expr,
      labelLineHeight: 15,
      labelFontSize: 11,
      labelPadding: 6 + headings.extraLines * 15,
      ticks: false,
      domain: false,
    },
  };
}

/** Bars of how many customers hold 0, 1, 2, … products, labelled with count and share. */
export function productsPerCustomerSpec(
  distribution: readonly { products: number; customers: number; share: number }[],
): TopLevelSpec {
  const total = distribution.reduce((sum, d) => sum + d.customers, 0);
  const values = distribution.map((d) => ({
    products: String(d.products),
    customers: d.customers,
    label: `${formatCount(d.customers)} · ${formatPercent(d.share)}`,
  }));
  const max = Math.max(1, ...distribution.map((d) => d.customers));
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle(
      'Products per customer',
      `How many of the products each of ${formatCount(total)} customers holds.`,
    ),
    width: CHART_WIDTH - 80,
    height: 300,
    data: { values },
    encoding: {
      x: { field: 'products', type: 'ordinal', title: 'Products held', sort: null, axis: { labelAngle: 0 } },
      y: {
        field: 'customers',
        type: 'quantitative',
        title: 'Customers',
        scale: { domain: [0, max * 1.15], nice: false },
        axis: { format: ',d', tickCount: 5 },
      },
    },
    layer: [
      { mark: { type: 'bar', color: '#0072B2', cornerRadiusEnd: 3 } },
      { mark: { type: 'text', dy: -10, fontSize: 12 }, encoding: { text: { field: 'label' } } },
    ],
  };
}

/** One heatmap row and column per product; a cell's colour and label is the lift of holding both. */
export function coHoldingSpec(input: {
  labels: readonly string[];
  lift: readonly (readonly (number | null)[])[];
}): TopLevelSpec {
  const values: {
    row: string;
    rowOrder: number;
    col: number;
    lift: number;
    logLift: number;
    label: string;
  }[] = [];
  input.lift.forEach((row, a) => {
    row.forEach((lift, b) => {
      if (lift === null) return;
      values.push({
        row: input.labels[a]!,
        rowOrder: a,
        col: b,
        lift,
        // Lift 4 and 1/4 sit equally far from 1, so the colour works on its logarithm.
        logLift: Math.max(-2, Math.min(2, Math.log2(Math.max(lift, 1e-3)))),
        label: lift >= 10 ? lift.toFixed(0) : lift.toFixed(1),
      });
    });
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle('Which products are held together', [
      'Lift: how many times more often holders of the row’s product hold the column’s than all customers do.',
      'Orange: together more than chance (above 1); blue: less.',
    ]),
    width: { step: 62 },
    height: { step: 30 },
    data: { values },
    encoding: {
      x: productColumns('col', input.labels),
      y: {
        field: 'row',
        type: 'nominal',
        sort: { field: 'rowOrder', order: 'ascending' },
        axis: { title: null, ticks: false, domain: false },
      },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: '#FFFFFF', strokeWidth: 1.5 },
        encoding: {
          color: {
            field: 'logLift',
            type: 'quantitative',
            scale: { scheme: 'blueorange', domain: [-2, 2] },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'label' },
          // White on the darkest cells, where dark text would not read.
          color: { condition: { test: 'abs(datum.logLift) > 1.5', value: '#FFFFFF' }, value: '#1F2933' },
        },
      },
    ],
  };
}

/** Holding rate of each product (columns) in each group (rows: "age band · under 25", …). */
export function holdingRatesSpec(input: {
  products: readonly string[];
  groups: readonly { group: string; rates: readonly number[] }[];
}): TopLevelSpec {
  const values = input.groups.flatMap((g, r) =>
    g.rates.map((rate, p) => ({
      group: g.group,
      groupOrder: r,
      product: p,
      rate,
      label: rate === 0 ? '0' : rate < 0.1 ? (rate * 100).toFixed(1) : (rate * 100).toFixed(0),
    })),
  );
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: chartTitle(
      'Holding rates by customer group',
      'Percent of each group holding each product; darker is more.',
    ),
    width: { step: 62 },
    height: { step: 24 },
    data: { values },
    encoding: {
      x: productColumns('product', input.products),
      y: {
        field: 'group',
        type: 'nominal',
        sort: { field: 'groupOrder', order: 'ascending' },
        axis: { title: null, ticks: false, domain: false, labelFontSize: 12 },
      },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: '#FFFFFF', strokeWidth: 1 },
        encoding: {
          color: {
            field: 'rate',
            type: 'quantitative',
            scale: { scheme: 'blues', domain: [0, 1] },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'label' },
          color: { condition: { test: 'datum.rate > 0.55', value: '#FFFFFF' }, value: '#1F2933' },
        },
      },
    ],
  };
}
