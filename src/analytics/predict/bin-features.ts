/**
 * Feature binning for the histogram forest. Every feature becomes one byte per customer: numeric
 * features are cut at (at most 255) quantile thresholds, categorical features get one code per
 * category. Missing values always get their own code, so a tree can send them either way, and a
 * fitted binner re-bins new files identically (same thresholds, same category codes).
 */
import { binNumericColumn } from './forest-kernel.js';

/** The code every missing value gets, for every feature. */
export const MISSING_BIN = 255;
/** The code for a category that was rare or unseen when the binner was fitted. */
export const OTHER_BIN = 254;
/** Value bins per numeric feature (the last byte value is kept for missing). */
export const MAX_VALUE_BINS = 255;
/** Categories kept per categorical feature (codes 254 and 255 are "other" and "missing"). */
export const MAX_CATEGORIES = 254;

/** One input column for the model: numbers (NaN = missing) or text categories ('' = missing). */
export type FeatureColumn =
  | { name: string; kind: 'numeric'; values: Float64Array }
  | { name: string; kind: 'categorical'; values: readonly string[] };

/** How one feature is turned into bin codes. Plain JSON, so it can be stored with the model. */
export type BinSpec =
  | {
      kind: 'numeric';
      name: string;
      /** Increasing cut points: a value v goes to the first bin i with v <= thresholds[i]. */
      thresholds: number[];
    }
  | {
      kind: 'categorical';
      name: string;
      /** Kept categories, most frequent first; code i is categories[i]. */
      categories: string[];
    };

export interface FittedBinner {
  version: 1;
  features: BinSpec[];
}

/**
 * Binned features, column-major: the code of customer i for feature f is `codes[f * rows + i]`.
 * `categorical[f]` is 1 for categorical features; `valueBins[f]` is the number of value codes in use
 * (codes 0 .. valueBins-1, plus OTHER_BIN for categorical and MISSING_BIN for everyone).
 */
export interface BinnedMatrix {
  codes: Uint8Array;
  rows: number;
  cols: number;
  categorical: Uint8Array;
  valueBins: Uint16Array;
}

export interface FitBinnerOptions {
  /** Value bins per numeric feature, at most 255. */
  maxBins?: number;
  /** Quantiles are taken on an evenly spaced sample of at most this many values. */
  sampleSize?: number;
}

/** Fits bin thresholds (numeric) and category codes (categorical) on the given columns. */
export function fitBinner(columns: readonly FeatureColumn[], options: FitBinnerOptions = {}): FittedBinner {
  const maxBins = Math.min(MAX_VALUE_BINS, Math.max(2, Math.floor(options.maxBins ?? MAX_VALUE_BINS)));
  const sampleSize = options.sampleSize ?? 200_000;
  return {
    version: 1,
    features: columns.map((column): BinSpec => {
      if (column.kind === 'numeric') {
        return {
          kind: 'numeric',
          name: column.name,
          thresholds: numericThresholds(column.values, maxBins, sampleSize),
        };
      }
      return { kind: 'categorical', name: column.name, categories: topCategories(column.values) };
    }),
  };
}

function numericThresholds(values: Float64Array, maxBins: number, sampleSize: number): number[] {
  let present = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) present++;
  if (present === 0) return [];
  // An evenly spaced sample keeps fitting cheap on a million rows and needs no randomness.
  const step = Math.max(1, present / sampleSize);
  const sample = new Float64Array(Math.min(present, sampleSize));
  let taken = 0;
  let seen = 0;
  let next = 0;
  for (let i = 0; i < values.length && taken < sample.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (seen >= next) {
      sample[taken++] = v;
      next += step;
    }
    seen++;
  }
  const sorted = sample.subarray(0, taken).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  }
  const thresholds: number[] = [];
  if (distinct.length <= maxBins) {
    // Few distinct values: one bin each, cut half-way so nearby unseen values land sensibly.
    for (let i = 0; i + 1 < distinct.length; i++) thresholds.push((distinct[i]! + distinct[i + 1]!) / 2);
    return thresholds;
  }
  const last = sorted.length - 1;
  for (let b = 1; b < maxBins; b++) {
    const position = (b / maxBins) * last;
    const lo = Math.floor(position);
    const hi = Math.min(last, lo + 1);
    const q = sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (position - lo);
    if (thresholds.length === 0 || q > thresholds[thresholds.length - 1]!) thresholds.push(q);
  }
  // The top threshold must leave the maximum in a bin of its own side, never past the end.
  while (thresholds.length > 0 && thresholds[thresholds.length - 1]! >= sorted[last]!) thresholds.pop();
  return thresholds;
}

function topCategories(values: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, MAX_CATEGORIES)
    .map(([name]) => name);
}

/** The bin code of one numeric value under the given thresholds. */
export function numericBin(thresholds: readonly number[] | Float64Array, value: number): number {
  if (Number.isNaN(value)) return MISSING_BIN;
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= thresholds[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Bins columns with a fitted binner. Columns are matched by position and must have the binner's
 * names and kinds; the caller resolves names first (a new file may order its columns differently).
 */
export function binFeatures(binner: FittedBinner, columns: readonly FeatureColumn[]): BinnedMatrix {
  if (columns.length !== binner.features.length) {
    throw new RangeError(`expected ${binner.features.length} feature columns, got ${columns.length}`);
  }
  const cols = columns.length;
  const rows = cols === 0 ? 0 : columns[0]!.values.length;
  const codes = new Uint8Array(rows * cols);
  const categorical = new Uint8Array(cols);
  const valueBins = new Uint16Array(cols);
  for (let f = 0; f < cols; f++) {
    const spec = binner.features[f]!;
    const column = columns[f]!;
    if (column.values.length !== rows) throw new RangeError(`feature ${column.name} has a different length`);
    if (spec.kind !== column.kind) throw new RangeError(`feature ${column.name} should be ${spec.kind}`);
    const out = codes.subarray(f * rows, (f + 1) * rows);
    if (spec.kind === 'numeric' && column.kind === 'numeric') {
      valueBins[f] = spec.thresholds.length + 1;
      // The kernel gives numericBin's answer for every value, several times faster.
      binNumericColumn(spec.thresholds, column.values, out);
    } else if (spec.kind === 'categorical' && column.kind === 'categorical') {
      categorical[f] = 1;
      valueBins[f] = spec.categories.length;
      const codeOf = new Map<string, number>();
      spec.categories.forEach((name, code) => {
        codeOf.set(name, code);
      });
      const values = column.values;
      for (let i = 0; i < rows; i++) {
        const v = values[i]!;
        out[i] = v === '' ? MISSING_BIN : (codeOf.get(v) ?? OTHER_BIN);
      }
    }
  }
  return { codes, rows, cols, categorical, valueBins };
}

/** A copy of the binned matrix restricted to the given rows, in the given order. */
export function selectRows(binned: BinnedMatrix, rowIndex: ArrayLike<number>): BinnedMatrix {
  const rows = rowIndex.length;
  const codes = new Uint8Array(rows * binned.cols);
  for (let f = 0; f < binned.cols; f++) {
    const from = f * binned.rows;
    const to = f * rows;
    for (let i = 0; i < rows; i++) codes[to + i] = binned.codes[from + rowIndex[i]!]!;
  }
  return {
    codes,
    rows,
    cols: binned.cols,
    categorical: binned.categorical.slice(),
    valueBins: binned.valueBins.slice(),
  };
}
