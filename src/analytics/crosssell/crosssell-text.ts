/**
 * The cross-sell findings as short lines of text, shared by the CLI (plain) and Slack (which passes
 * its escape, since product names, channel codes and segment values come from the data).
 */
import type { Breakdown, CrosssellResult } from './analyse-crosssell.js';
import { dimensionTitle } from './analyse-crosssell.js';

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (share: number) => `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)}%`;

/** Pairs with at least this many joint holders are reported; rarer pairs make noisy lifts. */
const MIN_JOINT_HOLDERS = 20;

export interface TextStyle {
  escape: (text: string) => string;
  bold: (text: string) => string;
}

const PLAIN: TextStyle = { escape: (t) => t, bold: (t) => t };

const NUMBER_WORDS = ['no product', 'one product', 'two products', 'three products', 'four products'];

function holdingWords(products: number, first: boolean): string {
  const words = NUMBER_WORDS[products] ?? `${products} products`;
  if (products === 0) return first ? 'no product' : 'none';
  return first ? `exactly ${words}` : words.replace(/ products?$/, '');
}

/** The one-sentence headline of the products-per-customer distribution. */
export function distributionHeadline(result: CrosssellResult): string {
  const parts = [...result.productsPerCustomer]
    .sort((a, b) => b.customers - a.customers)
    .slice(0, 3)
    .map((d, i) => `${pct(d.share)} ${i === 0 ? 'hold ' : ''}${holdingWords(d.products, i === 0)}`);
  return `${count(result.customers)} customers: ${parts.join(', ')}.`;
}

/** The strongest co-holding pairs by lift (lift is symmetric, so each pair once). */
export function topLifts(result: CrosssellResult, max = 5): { a: number; b: number; lift: number }[] {
  const pairs: { a: number; b: number; lift: number }[] = [];
  result.lift.forEach((row, a) => {
    row.forEach((lift, b) => {
      if (lift === null || b <= a) return;
      const joint =
        (lift * result.products[a]!.holders * result.products[b]!.holders) / Math.max(1, result.customers);
      if (joint >= MIN_JOINT_HOLDERS && lift > 1) pairs.push({ a, b, lift });
    });
  });
  return pairs.sort((x, y) => y.lift - x.lift).slice(0, max);
}

function groupLine(result: CrosssellResult, group: Breakdown['groups'][number], style: TextStyle): string {
  // The product this group holds most above the average: what sets it apart.
  let best = -1;
  let bestRatio = 0;
  group.rates.forEach((rate, p) => {
    const overall = result.products[p]!.rate;
    if (overall > 0 && rate >= 0.02 && rate / overall > bestRatio) {
      bestRatio = rate / overall;
      best = p;
    }
  });
  const distinctive =
    best >= 0 && bestRatio > 1.2
      ? `; ${style.escape(result.products[best]!.label)} ${pct(group.rates[best]!)} (${bestRatio.toFixed(1)}× average)`
      : '';
  return `• ${style.escape(group.label)} (${count(group.customers)}): ${group.meanProducts.toFixed(2)} products${distinctive}`;
}

/** The findings, one paragraph per part: deceased, distribution, co-holding, breakdowns, next-best. */
export function crosssellText(result: CrosssellResult, style: TextStyle = PLAIN): string[] {
  const lines: string[] = [];
  if (result.deceased !== null) {
    lines.push(
      `${count(result.deceased.count)} deceased customers (marked in ${style.escape(result.deceased.column)}) are counted here and left out of every figure below.`,
    );
  }
  lines.push(distributionHeadline(result));
  lines.push(
    `Products held: ${[...result.products]
      .sort((a, b) => b.rate - a.rate)
      .map((p) => `${style.escape(p.label)} ${pct(p.rate)}`)
      .join(', ')}.`,
  );
  const lifts = topLifts(result);
  if (lifts.length > 0) {
    lines.push(style.bold('Products held together (lift: how many times more often than average)'));
    for (const { a, b, lift } of lifts) {
      lines.push(
        `• ${style.escape(result.products[a]!.label)} and ${style.escape(result.products[b]!.label)}: held together ${lift.toFixed(1)}× as often as if unrelated`,
      );
    }
  }
  for (const breakdown of result.breakdowns) {
    const more =
      breakdown.totalGroups > breakdown.groups.length
        ? ` (top and bottom ${breakdown.groups.length / 2} of ${breakdown.totalGroups} by customers)`
        : '';
    lines.push(style.bold(`By ${style.escape(dimensionTitle(breakdown))}${more}`));
    for (const group of breakdown.groups) lines.push(groupLine(result, group, style));
  }
  if (result.nextBest.length > 0) {
    lines.push(style.bold('Next-best product per segment'));
    for (const n of result.nextBest) {
      lines.push(
        `• ${style.escape(n.segment)} (${count(n.customers)}): ${style.escape(n.label)}: ${pct(n.rate)} hold it, ${pct(n.expected)} of similar customers do: about ${count(n.opportunity)} customers to reach`,
      );
    }
  }
  return lines;
}
