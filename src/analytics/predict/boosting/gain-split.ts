/**
 * The best split of a boosting node from its gradient histograms: the cut with the largest drop in
 * the second-order logistic loss, G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ). Numeric features are cut
 * between bins with missing values sent either way; categorical features are cut along their
 * categories ordered by G/(H+λ), which finds the best two-way grouping for a second-order loss.
 */
import { MISSING_BIN, OTHER_BIN } from '../bin-features.js';
import type { StoredSplit } from '../tree/node-store.js';
import { BINS, SLOTS } from './gradient-histograms.js';

/** Sums of a node's rows. */
export interface GradientTotals {
  g: number;
  h: number;
  n: number;
}

export interface GainLimits {
  /** L2 penalty on leaf values (λ). */
  l2: number;
  /** Fewest rows in a child. */
  minSamplesLeaf: number;
  /** Smallest hessian sum in a child: a side with almost no curvature has no stable Newton value. */
  minHessian: number;
}

export interface GainSplit extends StoredSplit {
  gain: number;
  /** The left side's sums (its row count estimated from its hessians). */
  left: GradientTotals;
}

/** Newton's step for a node, before shrinkage. */
export const newtonValue = (t: GradientTotals, l2: number): number => -t.g / (t.h + l2);

/** The best split over every feature, or null when none reduces the loss. */
export function findGainSplit(
  hists: readonly Float64Array[],
  data: { categorical: Uint8Array; valueBins: Uint16Array },
  totals: GradientTotals,
  limits: GainLimits,
): GainSplit | null {
  let best: GainSplit | null = null;
  for (let f = 0; f < hists.length; f++) {
    const split =
      data.categorical[f] === 1
        ? categoricalSplit(hists[f]!, f, data.valueBins[f]!, totals, limits)
        : numericSplit(hists[f]!, f, data.valueBins[f]!, totals, limits);
    // Ties keep the lower feature, so the tree does not depend on anything but the data.
    if (split && (best === null || split.gain > best.gain)) best = split;
  }
  return best;
}

/** Scores cuts one at a time and keeps the best. */
class BestGain {
  gain = 0;
  at = -1;
  missingLeft = false;
  left: GradientTotals = { g: 0, h: 0, n: 0 };
  private readonly parentScore: number;
  /** Rows per unit of hessian in this node: a side's row count is estimated as its hessian times this. */
  private readonly rowsPerHessian: number;

  constructor(
    private readonly totals: GradientTotals,
    private readonly limits: GainLimits,
  ) {
    this.parentScore = (totals.g * totals.g) / (totals.h + limits.l2);
    this.rowsPerHessian = totals.h > 0 ? totals.n / totals.h : 0;
  }

  offer(at: number, missingLeft: boolean, g: number, h: number): void {
    const { l2, minSamplesLeaf, minHessian } = this.limits;
    const rg = this.totals.g - g;
    const rh = this.totals.h - h;
    const n = Math.round(h * this.rowsPerHessian);
    const rn = this.totals.n - n;
    if (n < minSamplesLeaf || rn < minSamplesLeaf || h < minHessian || rh < minHessian) return;
    const gain = (g * g) / (h + l2) + (rg * rg) / (rh + l2) - this.parentScore;
    // A gain within rounding of zero is no split (subtracted histograms carry a little noise).
    if (gain > this.gain + 1e-12 * Math.abs(this.parentScore)) {
      this.gain = gain;
      this.at = at;
      this.missingLeft = missingLeft;
      this.left = { g, h, n };
    }
  }
}

/**
 * Subtracted histograms hold rounding noise where they should hold zero: a bin whose hessian is
 * below this share of the node's is empty.
 */
const emptyBelow = (totals: GradientTotals): number => 1e-10 * totals.h;

function numericSplit(
  hist: Float64Array,
  feature: number,
  valueBins: number,
  totals: GradientTotals,
  limits: GainLimits,
): GainSplit | null {
  const m = MISSING_BIN * SLOTS;
  const mg = hist[m]!;
  const mh = hist[m + 1]!;
  const best = new BestGain(totals, limits);
  const empty = emptyBelow(totals);
  const hasMissing = mh > empty;
  let g = 0;
  let h = 0;
  for (let t = 0; t < valueBins; t++) {
    const at = t * SLOTS;
    g += hist[at]!;
    h += hist[at + 1]!;
    // A cut after an empty bin is the cut before it again.
    if (hist[at + 1]! <= empty) continue;
    best.offer(t, false, g, h);
    if (hasMissing) best.offer(t, true, g + mg, h + mh);
  }
  if (best.at < 0) return null;
  return {
    feature,
    categorical: false,
    threshold: best.at,
    missingLeft: best.missingLeft,
    leftCodes: null,
    gain: best.gain,
    left: best.left,
  };
}

function categoricalSplit(
  hist: Float64Array,
  feature: number,
  valueBins: number,
  totals: GradientTotals,
  limits: GainLimits,
): GainSplit | null {
  const present: number[] = [];
  const empty = emptyBelow(totals);
  for (let c = 0; c < valueBins; c++) if (hist[c * SLOTS + 1]! > empty) present.push(c);
  for (const c of [OTHER_BIN, MISSING_BIN]) if (hist[c * SLOTS + 1]! > empty) present.push(c);
  if (present.length < 2) return null;
  const ratio = (c: number): number => hist[c * SLOTS]! / (hist[c * SLOTS + 1]! + limits.l2);
  present.sort((a, b) => ratio(a) - ratio(b) || a - b);
  const best = new BestGain(totals, limits);
  let g = 0;
  let h = 0;
  for (let k = 0; k + 1 < present.length; k++) {
    const at = present[k]! * SLOTS;
    g += hist[at]!;
    h += hist[at + 1]!;
    best.offer(k, false, g, h);
  }
  if (best.at < 0) return null;
  const leftCodes = new Uint8Array(BINS);
  for (let k = 0; k <= best.at; k++) leftCodes[present[k]!] = 1;
  return {
    feature,
    categorical: true,
    threshold: -1,
    missingLeft: false,
    leftCodes,
    gain: best.gain,
    left: best.left,
  };
}
