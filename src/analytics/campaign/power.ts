/**
 * What a campaign's split can detect, said before it starts: the chance that a given lift shows up
 * as significant (two-sided 5% test of two proportions), and the smallest lift detected 80% of the
 * time. A control group too small to detect anything useful is flagged so nobody runs a campaign
 * whose result is bound to be "inconclusive".
 */
import { Z_95 } from './lift.js';

const Z_80 = 0.8416212335729143;

/** Standard normal distribution function (Abramowitz–Stegun 7.1.26 through erf; error < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export interface PowerInput {
  treatment: number;
  control: number;
  /** Expected conversion without contact (a proportion). */
  baseRate: number;
  /** The lift to detect, in proportion (0.03 = 3 points). */
  lift: number;
}

/** Probability that a true lift of `lift` is detected (the 95% interval excludes zero). */
export function detectionPower(input: PowerInput): number {
  const { treatment, control, baseRate, lift } = input;
  if (treatment <= 0 || control <= 0) return 0;
  const p1 = Math.min(1, baseRate + lift);
  const p2 = baseRate;
  const se = Math.sqrt((p1 * (1 - p1)) / treatment + (p2 * (1 - p2)) / control);
  if (se === 0) return lift === 0 ? 0 : 1;
  return normalCdf(Math.abs(lift) / se - Z_95);
}

/** The smallest lift (a proportion) detected 80% of the time at `baseRate`. */
export function minimumDetectableLift(treatment: number, control: number, baseRate: number): number {
  if (treatment <= 0 || control <= 0) return Number.POSITIVE_INFINITY;
  const p = Math.min(Math.max(baseRate, 0.001), 0.999);
  return (Z_95 + Z_80) * Math.sqrt(p * (1 - p) * (1 / treatment + 1 / control));
}

export interface PowerStatement {
  power: number;
  minimumDetectableLift: number;
  /** True when even a large lift (the minimum detectable one above `tooSmallAbove`) would likely be missed. */
  tooSmall: boolean;
  text: string;
}

/** Lifts above this many points are not "useful to detect": a campaign rarely moves conversion more. */
const USEFUL_LIFT = 0.05;

function points(proportion: number): string {
  return `${(Math.round(proportion * 1000) / 10).toLocaleString('en-US')}`;
}

/**
 * "With 4,500 contacted and 500 held back, a lift of 3 points on a 10% base rate would be detected
 * 80% of the time", plus a warning when the control group cannot detect a useful lift.
 */
export function powerStatement(input: PowerInput): PowerStatement {
  const power = detectionPower(input);
  const mde = minimumDetectableLift(input.treatment, input.control, input.baseRate);
  const tooSmall = !(mde <= USEFUL_LIFT);
  const count = (n: number) => n.toLocaleString('en-US');
  let text = `With ${count(input.treatment)} contacted and ${count(input.control)} held back, a lift of ${points(input.lift)} points on a ${points(input.baseRate)}% base rate would be detected ${Math.round(power * 100)}% of the time`;
  text += Number.isFinite(mde)
    ? `; the smallest lift detected 80% of the time is ${points(mde)} points.`
    : '.';
  if (tooSmall) {
    text += ` The control group is too small to detect a useful lift (under ${points(USEFUL_LIFT)} points): hold back more customers (holdout=20%) or target a larger audience before starting.`;
  }
  return { power, minimumDetectableLift: mde, tooSmall, text };
}
