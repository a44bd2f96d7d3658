/**
 * The cross-sell charts, shared by `/segbot crosssell` and the README's pictures: products per
 * customer, the co-holding lift matrix and holding rates by group.
 */
import type { TopLevelSpec } from 'vega-lite';
import { coHoldingSpec, holdingRatesSpec, productsPerCustomerSpec } from '../../charts/specs/crosssell.js';
import type { CrosssellResult } from '../analytics/crosssell/analyse-crosssell.js';

export interface NamedChart {
  name: string;
  title: string;
  altText: string;
  spec: TopLevelSpec;
}

/** The three charts of a cross-sell result. */
export function crosssellCharts(result: CrosssellResult): NamedChart[] {
  const labels = result.products.map((p) => p.label);
  return [
    {
      name: 'products-per-customer',
      title: 'Products per customer',
      altText: 'Bar chart of how many customers hold 0, 1, 2 or more products.',
      spec: productsPerCustomerSpec(result.productsPerCustomer),
    },
    {
      name: 'co-holding-lift',
      title: 'Co-holding lift',
      altText: 'Heatmap of the lift of holding one product among holders of another.',
      spec: coHoldingSpec({ labels, lift: result.lift }),
    },
    {
      name: 'holding-rates',
      title: 'Holding rates by group',
      altText: 'Heatmap of the share of each customer group holding each product.',
      spec: holdingRatesSpec({
        products: labels,
        groups: result.breakdowns.flatMap((b) =>
          b.groups.map((g) => ({ group: `${b.dimension} · ${g.label}`, rates: g.rates })),
        ),
      }),
    },
  ];
}
