/**
 * Campaign lift: conversion in treatment and control, their difference with a 95% interval, and a
 * verdict in plain words that never claims more than the interval allows.
 *
 * The interval for a difference of two proportions is Newcombe's hybrid score interval (method 10
 * of Newcombe 1998), built from the two Wilson score intervals. Unlike the textbook Wald interval
 * it keeps close to its nominal 95% coverage with small groups and rates near 0, which is exactly
 * where campaign conversions live (a few percent in a control group of a few hundred).
 */

/** The two-sided 95% normal quantile. */
export const Z_95 = 1.959963984540054;

/** Conversions out of customers in one group. */
export interface GroupOutcome {
  customers: number;
  conversions: number;
}

export interface Interval {
  lower: number;
  upper: number;
}

/** Wilson score interval for a proportion x / n; [0, 1] when n is 0. */
export function wilsonInterval(conversions: number, customers: number, z = Z_95): Interval {
  if (customers <= 0) return { lower: 0, upper: 1 };
  const p = conversions / customers;
  const z2 = z * z;
  const denominator = 1 + z2 / customers;
  const centre = (p + z2 / (2 * customers)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / customers + z2 / (4 * customers * customers))) / denominator;
  // Exact at the edges: rounding would leave 0.9999999999999999 at p = 1.
  return {
    lower: conversions === 0 ? 0 : Math.max(0, centre - half),
    upper: conversions === customers ? 1 : Math.min(1, centre + half),
  };
}

/** Newcombe's hybrid score interval for p1 − p2 (treatment minus control). */
export function newcombeInterval(treatment: GroupOutcome, control: GroupOutcome, z = Z_95): Interval {
  const p1 = rate(treatment);
  const p2 = rate(control);
  const w1 = wilsonInterval(treatment.conversions, treatment.customers, z);
  const w2 = wilsonInterval(control.conversions, control.customers, z);
  const difference = p1 - p2;
  const below = Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2);
  const above = Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2);
  return { lower: difference - below, upper: difference + above };
}

function rate(group: GroupOutcome): number {
  return group.customers > 0 ? group.conversions / group.customers : 0;
}

export type VerdictKind = 'worked' | 'backfired' | 'inconclusive' | 'no-data';

export interface LiftResult {
  treatment: GroupOutcome & { rate: number; interval: Interval };
  control: GroupOutcome & { rate: number; interval: Interval };
  /** Treatment rate minus control rate (a proportion: 0.021 is 2.1 percentage points). */
  absoluteLift: number;
  /** 95% interval of `absoluteLift`. */
  interval: Interval;
  /** absoluteLift / control rate; null when the control group had no conversions. */
  relativeLift: number | null;
  /** Conversions the campaign added among the treated: absoluteLift × treated customers. */
  incrementalConversions: number;
  verdict: VerdictKind;
  /** "worked: +2.1 pp (95% CI +0.8 to +3.4)" or "inconclusive: the interval includes zero (…)". */
  verdictText: string;
}

/** Percentage points with a sign and one decimal: "+2.1 pp", "−0.4 pp". */
export function formatPoints(proportion: number): string {
  const exact = proportion * 100;
  const sign = exact > 0 ? '+' : exact < 0 ? '−' : '';
  const magnitude = Math.abs(exact);
  // An end just off zero keeps its side: "+0.04", never a "0.0" beside a verdict that relies on it.
  const digits = magnitude > 0 && magnitude < 0.05 ? Math.max(2, -Math.floor(Math.log10(magnitude))) : 1;
  return `${sign}${magnitude.toFixed(digits)}`;
}

/** The verdict and its sentence for a lift and its interval. */
export function liftVerdict(lift: number, interval: Interval): { verdict: VerdictKind; text: string } {
  const ci = `95% CI ${formatPoints(interval.lower)} to ${formatPoints(interval.upper)}`;
  const estimate = `${formatPoints(lift)} pp (${ci})`;
  // Only a whole interval on one side of zero supports a direction; anything else is inconclusive.
  if (interval.lower > 0) return { verdict: 'worked', text: `worked: ${estimate}` };
  if (interval.upper < 0) return { verdict: 'backfired', text: `did worse than no contact: ${estimate}` };
  return { verdict: 'inconclusive', text: `inconclusive: the interval includes zero (${estimate})` };
}

/** Compares treatment and control conversion. */
export function measureLift(treatment: GroupOutcome, control: GroupOutcome): LiftResult {
  for (const [name, group] of [
    ['treatment', treatment],
    ['control', control],
  ] as const) {
    if (!Number.isInteger(group.customers) || group.customers < 0)
      throw new RangeError(`The ${name} group size must be a whole number of customers.`);
    if (!Number.isInteger(group.conversions) || group.conversions < 0 || group.conversions > group.customers)
      throw new RangeError(`The ${name} conversions must be between 0 and the group size.`);
  }
  const t = {
    ...treatment,
    rate: rate(treatment),
    interval: wilsonInterval(treatment.conversions, treatment.customers),
  };
  const c = {
    ...control,
    rate: rate(control),
    interval: wilsonInterval(control.conversions, control.customers),
  };
  const absoluteLift = t.rate - c.rate;
  const interval = newcombeInterval(treatment, control);
  const base = {
    treatment: t,
    control: c,
    absoluteLift,
    interval,
    relativeLift: c.rate > 0 ? absoluteLift / c.rate : null,
    incrementalConversions: absoluteLift * treatment.customers,
  };
  if (treatment.customers === 0 || control.customers === 0) {
    return {
      ...base,
      verdict: 'no-data',
      verdictText: 'no verdict: one of the groups has no customers to compare',
    };
  }
  const { verdict, text } = liftVerdict(absoluteLift, interval);
  return { ...base, verdict, verdictText: text };
}
