/**
 * Why the model scores customers as it does, in words a marketer reads: the drivers with a
 * direction ("higher balance → more likely") and, per customer, the three features that raise the
 * score most ("balance high (+8 pts)").
 *
 * Both come from tree-path contributions (path-contributions.ts), measured exactly on a sample of
 * up to 20,000 customers. A customer's reasons then read each feature's mean contribution at the
 * customer's own value (bin) of it: one table look-up per feature instead of a walk down every
 * tree. Walking a 100-tree forest for each of a million customers took 25 s on one core here, five
 * times the scoring itself; the look-up takes a fraction of a second. What it leaves out is the
 * interaction part of a single customer's path, which the reasons do not try to name anyway.
 */

import { readableValue } from '../segment/column-labels.js';
import { type BinnedMatrix, type FittedBinner, MISSING_BIN, OTHER_BIN } from './bin-features.js';
import { type PackedTrees, pathContributions } from './path-contributions.js';

/** How a feature reads in sentences. */
export interface FeatureName {
  /** The column. */
  name: string;
  /** Its plain words ("balance", "housing loan"). */
  label: string;
  /** A product flag read as 0/1 ("holds current account"). */
  flag: boolean;
}

/** What moves the score up, with the share of the model's splitting power it carries. */
export interface Driver {
  feature: string;
  importance: number;
  /** 'up': higher values (or the named category, or holding the product) make the outcome more likely. */
  direction: 'up' | 'down' | 'mixed';
  /** "higher balance → more likely", "country is Germany → more likely". */
  text: string;
}

/** One feature's part of the reason table. */
export interface FeatureReasons {
  /** Mean contribution in points at each value code (numeric bins, or kept categories). */
  points: number[];
  /** At the "rare value" code and at missing. */
  other: number;
  missing: number;
  /** Numeric: value codes up to `lowUpTo` read "low", from `highFrom` on "high", between "mid-range". */
  lowUpTo: number;
  highFrom: number;
}

/**
 * Each feature's mean contribution (in points of probability, ×100) at each bin code, and where
 * its values count as low or high. Plain JSON, stored with the model so other files get the same
 * reasons.
 */
export interface ReasonTable {
  version: 1;
  features: FeatureReasons[];
  /** A smaller push is no reason (points). */
  minPoints: number;
}

/**
 * A push smaller than this share of the base rate is no reason: on a 10% product, 0.5 points. A
 * forest splits on noise columns deep down too, and "+0.1 pts" from one says nothing.
 */
export const MIN_REASON_SHARE = 0.05;

/** Customers whose paths are walked exactly. */
export const EXPLAIN_SAMPLE = 20_000;

/** Evenly spaced rows of `rows`, at most `limit` (deterministic: no seed needed). */
export function evenSample(rows: ArrayLike<number>, limit = EXPLAIN_SAMPLE): Uint32Array {
  const n = rows.length;
  const take = Math.min(n, limit);
  const out = new Uint32Array(take);
  for (let k = 0; k < take; k++) out[k] = rows[Math.floor((k * n) / take)]!;
  return out;
}

/**
 * The contributions of the sampled customers (row-major, sample × features), in points of
 * probability. `scale` is the trees' combination (1 / trees for a forest) and `toPoints` turns the
 * trees' units into points (×100 for probabilities).
 */
export function sampleContributions(
  trees: PackedTrees,
  data: BinnedMatrix,
  sample: ArrayLike<number>,
  scale: number,
  toPoints = 100,
): Float64Array {
  const { contributions } = pathContributions(trees, data, scale, sample);
  for (let i = 0; i < contributions.length; i++) contributions[i]! *= toPoints;
  return contributions;
}

/** What a customer's code of one feature says, in words ("balance high", "country is Germany"). */
export function codeWords(
  name: FeatureName,
  spec: FittedBinner['features'][number],
  reasons: FeatureReasons,
  code: number,
): string {
  if (code === MISSING_BIN) return `${name.label} unknown`;
  if (spec.kind === 'categorical') {
    if (code === OTHER_BIN) return `${name.label} is a rare value`;
    return `${name.label} is ${readableValue(name.name, spec.categories[code] ?? '?')}`;
  }
  // Flags bin 0 and 1 apart: the code above the first threshold holds the product.
  if (name.flag) return code >= 1 ? `holds ${name.label}` : `no ${name.label}`;
  const where = code <= reasons.lowUpTo ? 'low' : code >= reasons.highFrom ? 'high' : 'mid-range';
  return `${name.label} ${where}`;
}

// "+ 0" turns -0 into 0, so a table reads back from JSON exactly as it was.
const round = (v: number): number => Math.round(v * 100) / 100 + 0;

/**
 * The reason table from sampled contributions: per feature and code, the mean contribution of the
 * sampled customers with that code. A value code no sampled customer has takes the nearest seen
 * one's mean; an unseen category or missing value none. A numeric value is low in the bottom
 * third of the sample and high in the top third (by the middle of its bin).
 */
export function reasonTable(
  data: BinnedMatrix,
  sample: ArrayLike<number>,
  contributions: Float64Array,
  binner: FittedBinner,
  baseRate: number,
): ReasonTable {
  const cols = data.cols;
  const features: FeatureReasons[] = [];
  for (let f = 0; f < cols; f++) {
    const sums = new Float64Array(256);
    const counts = new Float64Array(256);
    const base = f * data.rows;
    for (let k = 0; k < sample.length; k++) {
      const code = data.codes[base + sample[k]!]!;
      sums[code]! += contributions[k * cols + f]!;
      counts[code]!++;
    }
    const spec = binner.features[f]!;
    const valueCodes = spec.kind === 'numeric' ? data.valueBins[f]! : spec.categories.length;
    const mean = (c: number): number => (counts[c]! > 0 ? sums[c]! / counts[c]! : 0);
    const points = Array.from({ length: valueCodes }, (_, c) => mean(c));
    let lowUpTo = -1;
    let highFrom = valueCodes;
    if (spec.kind === 'numeric') {
      const seen: number[] = [];
      let total = 0;
      for (let c = 0; c < valueCodes; c++) {
        total += counts[c]!;
        if (counts[c]! > 0) seen.push(c);
      }
      for (let c = 0, j = 0; c < valueCodes && seen.length > 0; c++) {
        while (j + 1 < seen.length && Math.abs(seen[j + 1]! - c) <= Math.abs(seen[j]! - c)) j++;
        points[c] = mean(seen[j]!);
      }
      let below = 0;
      for (let c = 0; c < valueCodes; c++) {
        const middle = (below + counts[c]! / 2) / Math.max(1, total);
        if (middle <= 1 / 3) lowUpTo = c;
        if (middle >= 2 / 3 && highFrom === valueCodes) highFrom = c;
        below += counts[c]!;
      }
    }
    features.push({
      points: points.map(round),
      other: round(mean(OTHER_BIN)),
      missing: round(mean(MISSING_BIN)),
      lowUpTo,
      highFrom,
    });
  }
  return { version: 1, features, minPoints: round(Math.max(0.05, baseRate * 100 * MIN_REASON_SHARE)) };
}

/** A feature's points at a code. */
function pointsAt(reasons: FeatureReasons, code: number): number {
  if (code === MISSING_BIN) return reasons.missing;
  if (code === OTHER_BIN) return reasons.other;
  return reasons.points[code] ?? 0;
}

/** A reason as the CSV writes it: "balance high (+8 pts)". */
export function reasonText(words: string, points: number): string {
  const shown =
    points >= 9.5 ? Math.round(points).toFixed(0) : points >= 0.95 ? points.toFixed(0) : points.toFixed(1);
  return `${words} (+${shown} pts)`;
}

/**
 * Each row's top `k` reasons (features raising its score most, by the table, by at least its
 * `minPoints`), as indexes into one
 * shared list of texts: a million customers cost k numbers each, and every text exists once.
 * -1 marks no reason (fewer than k features raise the score).
 */
export function customerReasons(
  explain: { table: ReasonTable; binner: FittedBinner; names: readonly FeatureName[] },
  data: BinnedMatrix,
  rows: ArrayLike<number>,
  k = 3,
): { texts: string[]; reasons: Int32Array } {
  const { table, binner, names } = explain;
  const n = rows.length;
  // Feature by feature over all rows: each column's codes are read in order, and every row keeps
  // its k best (feature, points) so far, best first.
  const bestFeature = new Int16Array(n * k).fill(-1);
  const bestPoints = new Float64Array(n * k);
  const codes = new Uint8Array(n);
  for (let f = 0; f < data.cols; f++) {
    const fr = table.features[f]!;
    const points = Float64Array.from({ length: 256 }, (_, c) => {
      const v = pointsAt(fr, c);
      return v >= table.minPoints ? v : 0;
    });
    // A feature that never pushes enough (a noise column) is no one's reason: skip its column.
    if (!points.some((v) => v > 0)) continue;
    const base = f * data.rows;
    for (let i = 0; i < n; i++) codes[i] = data.codes[base + rows[i]!]!;
    for (let i = 0; i < n; i++) {
      const v = points[codes[i]!]!;
      const at = i * k;
      if (!(v > bestPoints[at + k - 1]!)) continue;
      let j = k - 1;
      while (j > 0 && bestPoints[at + j - 1]! < v) {
        bestPoints[at + j] = bestPoints[at + j - 1]!;
        bestFeature[at + j] = bestFeature[at + j - 1]!;
        j--;
      }
      bestPoints[at + j] = v;
      bestFeature[at + j] = f;
    }
  }
  // Texts by (feature, code), each made once.
  const index = new Int32Array(data.cols * 256).fill(-1);
  const texts: string[] = [];
  const reasons = new Int32Array(n * k).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const f = bestFeature[i * k + j]!;
      if (f < 0) break;
      const code = data.codes[f * data.rows + rows[i]!]!;
      let at = index[f * 256 + code]!;
      if (at < 0) {
        at = texts.length;
        const fr = table.features[f]!;
        texts.push(reasonText(codeWords(names[f]!, binner.features[f]!, fr, code), pointsAt(fr, code)));
        index[f * 256 + code] = at;
      }
      reasons[i * k + j] = at;
    }
  }
  return { texts, reasons };
}

/** Reasons as arrays of texts, one per row, from `customerReasons`' indexes (texts are shared). */
export function reasonLists(texts: readonly string[], reasons: Int32Array, k = 3): (readonly string[])[] {
  const n = reasons.length / k;
  const out = new Array<readonly string[]>(n);
  const none: readonly string[] = [];
  for (let i = 0; i < n; i++) {
    let count = 0;
    while (count < k && reasons[i * k + count]! >= 0) count++;
    // One allocation of the right length per customer (a growing array costs several).
    const own = count === 0 ? none : new Array<string>(count);
    for (let j = 0; j < count; j++) (own as string[])[j] = texts[reasons[i * k + j]!]!;
    out[i] = own;
  }
  return out;
}

/**
 * The drivers: the most important features with the direction of their effect, read from the
 * sampled contributions. A numeric feature goes 'up' when its contribution rises with its value
 * (rank correlation over the sample above 0.2), 'down' below -0.2, else 'mixed'. A category names
 * the value with the highest mean contribution (or the lowest, when none raises the score).
 */
export function describeDrivers(input: {
  importances: readonly { feature: string; importance: number }[];
  names: readonly FeatureName[];
  binner: FittedBinner;
  data: BinnedMatrix;
  sample: ArrayLike<number>;
  contributions: Float64Array;
  limit?: number;
}): Driver[] {
  const { names, binner, data, sample, contributions } = input;
  const cols = data.cols;
  return input.importances.slice(0, input.limit ?? 8).map(({ feature, importance }) => {
    const f = names.findIndex((n) => n.name === feature);
    const name = names[f]!;
    const spec = binner.features[f]!;
    const base = f * data.rows;
    if (spec.kind === 'categorical') {
      const sums = new Map<number, { sum: number; count: number }>();
      for (let k = 0; k < sample.length; k++) {
        const code = data.codes[base + sample[k]!]!;
        const entry = sums.get(code) ?? { sum: 0, count: 0 };
        entry.sum += contributions[k * cols + f]!;
        entry.count++;
        sums.set(code, entry);
      }
      // Categories of at least 1% of the sample: a handful of customers says little.
      const means = [...sums.entries()]
        .filter(([, e]) => e.count >= Math.max(1, sample.length * 0.01))
        .map(([code, e]) => ({ code, mean: e.sum / e.count }))
        .sort((a, b) => b.mean - a.mean || a.code - b.code);
      const top = means[0];
      const bottom = means[means.length - 1];
      if (!top || !bottom) return { feature, importance, direction: 'mixed', text: `${name.label} matters` };
      const up = top.mean > 0 || top.mean >= -bottom.mean;
      const pick = up ? top : bottom;
      const value =
        pick.code === MISSING_BIN
          ? 'unknown'
          : pick.code === OTHER_BIN
            ? 'a rare value'
            : (spec.categories[pick.code] ?? '?');
      return {
        feature,
        importance,
        direction: up ? 'up' : 'down',
        text: `${name.label} is ${value} → ${up ? 'more' : 'less'} likely`,
      };
    }
    const r = rankCorrelation(data, base, sample, contributions, cols, f);
    const direction: Driver['direction'] = r > 0.2 ? 'up' : r < -0.2 ? 'down' : 'mixed';
    if (name.flag) {
      const text =
        direction === 'mixed'
          ? `holding ${name.label} matters both ways`
          : `holds ${name.label} → ${direction === 'up' ? 'more' : 'less'} likely`;
      return { feature, importance, direction, text };
    }
    const text =
      direction === 'mixed'
        ? `${name.label}: both high and low values matter`
        : `higher ${name.label} → ${direction === 'up' ? 'more' : 'less'} likely`;
    return { feature, importance, direction, text };
  });
}

/** Correlation of a feature's bin code (missing left out) with its contribution over the sample. */
function rankCorrelation(
  data: BinnedMatrix,
  base: number,
  sample: ArrayLike<number>,
  contributions: Float64Array,
  cols: number,
  f: number,
): number {
  // Codes are quantile bins, so a code is already (about) the value's rank.
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let k = 0; k < sample.length; k++) {
    const code = data.codes[base + sample[k]!]!;
    if (code === MISSING_BIN) continue;
    const y = contributions[k * cols + f]!;
    n++;
    sx += code;
    sy += y;
    sxx += code * code;
    syy += y * y;
    sxy += code * y;
  }
  if (n < 3) return 0;
  const cov = sxy - (sx * sy) / n;
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  return vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : 0;
}
