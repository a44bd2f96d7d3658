/**
 * The cross-sell use case, shared by `/segbot crosssell` and `segbot crosssell`: checks the table
 * has product flags, runs the analysis, and shapes the JSON other tools read.
 */
import {
  analyseCrosssell,
  type CrosssellResult,
  crosssellProducts,
} from '../analytics/crosssell/analyse-crosssell.js';
import type { Schema, Table } from '../analytics/types.js';
import { BadInputError } from '../errors.js';

/** Cross-sell analysis of a table; a clear error when it has fewer than two product flags. */
export function runCrosssell(table: Table, schema: Schema): CrosssellResult {
  if (crosssellProducts(schema).length < 2) {
    throw new BadInputError(
      `${table.fileName} has fewer than two product columns, so there is no cross-sell to analyse.`,
      {
        hint: 'Cross-sell needs one 0/1 (or Y/N, S/N) column per product, such as ind_tjcr_fin_ult1 or has_personal_loan.',
      },
    );
  }
  return analyseCrosssell(table, schema);
}

const round = (x: number) => Number(x.toFixed(4));

/** `productsPerCustomer`, `coHolding` and `bySegment`, plus the deceased count and the other breakdowns. */
export function crosssellJson(result: CrosssellResult): string {
  const products = result.products.map((p) => ({
    column: p.column,
    label: p.label,
    holders: p.holders,
    rate: round(p.rate),
  }));
  const breakdown = (b: CrosssellResult['breakdowns'][number]) => ({
    dimension: b.dimension,
    column: b.column,
    totalGroups: b.totalGroups,
    groups: b.groups.map((g) => ({
      value: g.value,
      label: g.label,
      customers: g.customers,
      meanProducts: round(g.meanProducts),
      rates: Object.fromEntries(result.products.map((p, i) => [p.column, round(g.rates[i]!)])),
    })),
  });
  const segment = result.breakdowns.find((b) => b.dimension === 'segment');
  return `${JSON.stringify(
    {
      version: 1,
      customers: result.customers,
      deceased: result.deceased === null ? null : { ...result.deceased, excluded: true },
      products,
      productsPerCustomer: result.productsPerCustomer.map((d) => ({ ...d, share: round(d.share) })),
      coHolding: {
        products: result.products.map((p) => p.column),
        lift: result.lift.map((row) => row.map((v) => (v === null ? null : round(v)))),
      },
      bySegment: {
        rates: segment === undefined ? null : breakdown(segment),
        nextBest: result.nextBest.map((n) => ({ ...n, rate: round(n.rate), expected: round(n.expected) })),
      },
      breakdowns: result.breakdowns.filter((b) => b.dimension !== 'segment').map(breakdown),
    },
    null,
    2,
  )}\n`;
}
