/**
 * Turns a parsed table into the standardized model matrix, recorded as a fitted transform so the same
 * steps (median imputation, optional log1p, standardization, one-hot encoding) can be replayed on new
 * customers later.
 */
import { BadInputError } from '../../errors.js';
import { numericValues } from '../ingest/column-values.js';
import { median } from '../median.js';
import type { Column, FeatureSpec, FittedTransform, Matrix, Schema, Table } from '../types.js';

export interface PreprocessOptions {
  /** Restrict the model to these columns (numeric or categorical); default: all of them. */
  features?: string[];
  /** 'auto' applies log1p to heavily skewed non-negative amount columns; 'none' never does. */
  log: 'auto' | 'none';
}

/** Sample skewness above which a non-negative amount column is log-transformed. */
export const SKEW_THRESHOLD = 2;

/** Share and ratio columns stay linear: their range is already bounded. */
const RATIO_NAME = /freq|prc_|pct|percent|ratio|rate|share|^ind_|^is_|^has_/i;

/** Categories beyond the schema's cap are folded into "none of the kept ones" (all zeros). */
const MAX_CATEGORIES = 20;

/**
 * The most columns one segmentation uses. Choosing k clusters in the full feature space, so time
 * grows with the width: about 12 s for 200 columns of 2,000 customers, 31 s for 500 (CC General
 * has 17). Wider files are refused before any work, with how to choose columns.
 */
export const MAX_FEATURES = 200;
/** The most model features after one-hot encoding (each kept category of a column is one). */
export const MAX_MODEL_FEATURES = 500;

const count = (n: number) => n.toLocaleString('en-US');

/** The sentence for a file with more usable columns than MAX_FEATURES (also a quality-report note). */
export function tooManyFeaturesText(usable: number): string {
  return `${count(usable)} usable columns: segbot segments on at most ${MAX_FEATURES}; choose them with features=…`;
}

/**
 * Refuses a segmentation over more than MAX_FEATURES columns: all `usable` ones when no features
 * were requested, else the requested ones. Cheap, so commands call it before queueing any work.
 */
export function limitFeatures(usable: readonly string[], requested: readonly string[] | undefined): void {
  const chosen =
    requested && requested.length > 0 ? new Set(requested.map((f) => f.trim().toLowerCase())).size : 0;
  if (chosen > MAX_FEATURES) {
    throw new BadInputError(
      `${count(chosen)} features were requested: segbot segments on at most ${MAX_FEATURES}; choose fewer with features=…`,
      {
        hint: 'Pick the columns that describe behaviour best, e.g. /segbot segment features=BALANCE,PURCHASES,CASH_ADVANCE',
      },
    );
  }
  if (chosen === 0 && usable.length > MAX_FEATURES) {
    throw new BadInputError(tooManyFeaturesText(usable.length), {
      hint: `For example /segbot segment features=${usable.slice(0, 5).join(',')}`,
    });
  }
}

function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((column) => column.name === name);
}

/** The median of the non-missing values (NaN when there are none). */
export function medianOf(values: ArrayLike<number>): number {
  return median(values);
}

/** Whether a text column holds at most two distinct values (a yes/no or two-valued flag). */
function isBinaryText(values: readonly string[]): boolean {
  const seen = new Set<string>();
  for (const v of values) {
    if (v !== '') seen.add(v);
    if (seen.size > 2) return false;
  }
  return true;
}

/** A cell as text ('' when missing), the way one-hot encoding reads it. */
export function cellText(column: Column, row: number): string {
  if (column.kind === 'text') return column.values[row] ?? '';
  const v = column.values[row]!;
  return Number.isNaN(v) ? '' : String(v);
}

/**
 * Numeric cells of a column (NaN = missing): a binary text column reads as 0/1 (see numericValues);
 * another text column yields NaN where a cell is not a number.
 */
function numericCells(column: Column, table: Table): Float64Array {
  if (column.kind === 'numeric') return column.values;
  if (isBinaryText(column.values)) return numericValues(table, column.name);
  const out = new Float64Array(column.values.length);
  for (let i = 0; i < out.length; i++) {
    const cell = column.values[i]!.trim();
    out[i] = cell === '' ? Number.NaN : Number(cell);
  }
  return out;
}

/** Resolves the requested feature names against the schema; case-insensitive as a fallback. */
function selectColumns(table: Table, schema: Schema, features: string[] | undefined): string[] {
  const present = schema.columns.filter((c) => findColumn(table, c.name) !== undefined);
  const defaults = present.filter((c) => c.role === 'numeric' || c.role === 'categorical').map((c) => c.name);
  limitFeatures(defaults, features);
  if (features === undefined || features.length === 0) return defaults;
  // Binary holdings and outcomes are clustered on only when asked for by name.
  const available = [...defaults, ...present.filter((c) => c.role === 'product').map((c) => c.name)];

  const chosen: string[] = [];
  const unknown: string[] = [];
  for (const requested of features) {
    const name = requested.trim();
    const match =
      available.find((a) => a === name) ?? available.find((a) => a.toLowerCase() === name.toLowerCase());
    if (match === undefined) unknown.push(name);
    else if (!chosen.includes(match)) chosen.push(match);
  }
  if (unknown.length > 0) {
    const roles = unknown
      .map((name) => {
        const column = schema.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
        return column ? `${name} (${column.role}: ${column.reason})` : `${name} (no such column)`;
      })
      .join(', ');
    throw new BadInputError(`These features cannot be used for segmentation: ${roles}.`, {
      hint: `Available features: ${available.join(', ') || '(none)'}.`,
      location: { file: table.fileName },
      // A column's reason can quote its one value ("constant: every value is 12").
      storedMessage: `These features cannot be used for segmentation: ${unknown.join(', ')}.`,
    });
  }
  return chosen;
}

/**
 * Fits the preprocessing on a table: for each numeric column, median imputation (the count is
 * recorded), log1p when `log` is 'auto' and the column is a heavily skewed non-negative amount
 * (skewness above 2, not a frequency or ratio), and standardization with the population standard
 * deviation; each categorical column becomes one 0/1 column per category, scaled together so the
 * column weighs like one numeric column (see categoricalScale). Id, date,
 * product and ignored columns never enter the model.
 */
export function fitTransform(table: Table, schema: Schema, options: PreprocessOptions): FittedTransform {
  return fitAndApplyTransform(table, schema, options).transform;
}

/**
 * Fits the preprocessing and returns the model matrix with it, as fitTransform then applyTransform
 * would, number for number. Each numeric column is read once for its median (which neither copies
 * nor reorders it), then imputed straight into the matrix; sums, moments, log1p and scaling are
 * passes over the matrix a block of rows at a time. No per-column copy is made: at a million
 * customers, fresh memory costs a page fault per 4 KB, and 17 such copies cost more than k-means.
 * Each feature's sums still run in row order, so the fitted numbers are those of a plain loop over
 * its imputed column.
 */
export function fitAndApplyTransform(
  table: Table,
  schema: Schema,
  options: PreprocessOptions,
): { transform: FittedTransform; X: Matrix } {
  const names = selectColumns(table, schema, options.features);
  const features: FeatureSpec[] = [];
  // Per feature: its cells (NaN = missing, filled with `fills`), or a one-hot feature's 0/1 values.
  const sources: Float64Array[] = [];
  const fills: number[] = [];
  for (const name of names) {
    const column = findColumn(table, name)!;
    const role = schema.columns.find((c) => c.name === name)?.role;
    if (role === 'categorical') {
      for (const spec of fitOneHot(table, column, schema.columns.find((c) => c.name === name)?.categories)) {
        features.push(spec);
        sources.push(originalFeatureValues(spec, table));
        fills.push(0);
      }
      continue;
    }
    const cells = numericCells(column, table);
    const median = medianOf(cells);
    // A column with no value at all carries no information about anyone.
    if (Number.isNaN(median)) continue;
    features.push({ kind: 'numeric', name, column: name, median, imputed: 0, log1p: false, mean: 0, std: 0 });
    sources.push(cells);
    fills.push(median);
  }
  checkFeatureCount(features.length, table.fileName);

  const n = table.rowCount;
  const d = features.length;
  const data = new Float64Array(n * d);
  const numeric = features.flatMap((spec, j) => (spec.kind === 'numeric' ? [j] : []));
  const all = features.map((_, j) => j);
  const sums = new Float64Array(d);
  const mins = new Float64Array(d).fill(Number.POSITIVE_INFINITY);
  const missing = new Float64Array(d);
  // Pass 1: impute into the matrix; count, sum and minimum together.
  eachBlock(n, d, all, (j, start, end) => {
    const source = sources[j]!;
    const fill = fills[j]!;
    let sum = sums[j]!;
    let min = mins[j]!;
    let absent = 0;
    for (let i = start, p = start * d + j; i < end; i++, p += d) {
      let v = source[i]!;
      if (Number.isNaN(v)) {
        v = fill;
        absent++;
      }
      data[p] = v;
      sum += v;
      if (v < min) min = v;
    }
    sums[j] = sum;
    mins[j] = min;
    missing[j] = missing[j]! + absent;
  });
  const raw = columnMoments({ data, n, d }, numeric, sums);
  const logged = numeric.filter((j) => {
    const spec = features[j]!;
    return (
      options.log === 'auto' &&
      mins[j]! >= 0 &&
      raw.skewness[j]! > SKEW_THRESHOLD &&
      !RATIO_NAME.test(spec.name)
    );
  });
  const moments = raw;
  if (logged.length > 0) {
    const logSums = new Float64Array(d);
    eachBlock(n, d, logged, (j, start, end) => {
      let sum = logSums[j]!;
      for (let p = start * d + j, stop = end * d; p < stop; p += d) {
        const v = Math.log1p(data[p]!);
        data[p] = v;
        sum += v;
      }
      logSums[j] = sum;
    });
    const after = columnMoments({ data, n, d }, logged, logSums);
    for (const j of logged) {
      moments.mean[j] = after.mean[j]!;
      moments.std[j] = after.std[j]!;
    }
  }
  const isLogged = new Set(logged);
  for (const j of numeric) {
    const spec = features[j]!;
    features[j] = {
      ...spec,
      kind: 'numeric',
      imputed: missing[j]!,
      log1p: isLogged.has(j),
      mean: moments.mean[j]!,
      std: moments.std[j]!,
    } as FeatureSpec;
  }
  // Last pass: standardize in place, as applyTransform does.
  const means = Float64Array.from(features, (spec) => spec.mean);
  const inverses = Float64Array.from(features, (spec) => scale(spec.std));
  eachBlock(n, d, all, (j, start, end) => {
    const mean = means[j]!;
    const inverse = inverses[j]!;
    for (let p = start * d + j, stop = end * d; p < stop; p += d) data[p] = (data[p]! - mean) * inverse;
  });
  return { transform: { version: 1, features }, X: { data, rows: n, cols: d } };
}

/** Refuses a model with too many features (one-hot categories count one each) or none at all. */
function checkFeatureCount(total: number, fileName: string): void {
  if (total > MAX_MODEL_FEATURES) {
    throw new BadInputError(
      `These columns make ${count(total)} model features (each category of a text column counts as one): segbot segments on at most ${MAX_MODEL_FEATURES}; choose fewer with features=…`,
      {
        hint: 'Leave out text columns with many categories, or pick the columns that matter with features=a,b,c.',
      },
    );
  }
  if (total === 0) {
    throw new BadInputError('There is no usable numeric or categorical column to segment on.', {
      hint: 'Check that the file has at least one column of numbers (balances, amounts, counts).',
      location: { file: fileName },
    });
  }
}

/** Rows per block of a pass over the row-major matrix: a block of all its columns stays in cache. */
const BLOCK_ROWS = 2048;

/** Calls `visit(j, start, end)` for each block of rows and each listed column, blocks in row order. */
function eachBlock(
  n: number,
  d: number,
  columns: readonly number[],
  visit: (j: number, start: number, end: number) => void,
): void {
  if (d === 0) return;
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const end = Math.min(n, start + BLOCK_ROWS);
    for (const j of columns) visit(j, start, end);
  }
}

/**
 * Population moments (ddof 0) of the listed matrix columns, whose sums are known: mean, standard
 * deviation and skewness, each column summed in row order.
 */
function columnMoments(
  matrix: { data: Float64Array; n: number; d: number },
  columns: readonly number[],
  sums: Float64Array,
): { mean: Float64Array; std: Float64Array; skewness: Float64Array } {
  const { data, n, d } = matrix;
  const mean = new Float64Array(d);
  for (const j of columns) mean[j] = n > 0 ? sums[j]! / n : 0;
  const m2s = new Float64Array(d);
  const m3s = new Float64Array(d);
  eachBlock(n, d, columns, (j, start, end) => {
    const centre = mean[j]!;
    let m2 = m2s[j]!;
    let m3 = m3s[j]!;
    for (let p = start * d + j, stop = end * d; p < stop; p += d) {
      const x = data[p]! - centre;
      const x2 = x * x;
      m2 += x2;
      m3 += x2 * x;
    }
    m2s[j] = m2;
    m3s[j] = m3;
  });
  const std = new Float64Array(d);
  const skewness = new Float64Array(d);
  for (const j of columns) {
    const m2 = n > 0 ? m2s[j]! / n : 0;
    const m3 = n > 0 ? m3s[j]! / n : 0;
    std[j] = Math.sqrt(m2);
    skewness[j] = m2 > 0 ? m3 / m2 ** 1.5 : 0;
  }
  return { mean, std, skewness };
}

function fitOneHot(table: Table, column: Column, known: string[] | undefined): FeatureSpec[] {
  const counts = new Map<string, number>();
  for (let i = 0; i < table.rowCount; i++) {
    const value = cellText(column, i);
    if (value !== '') counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const categories = (known ?? [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([value]) => value))
    .filter((value) => counts.has(value))
    .slice(0, MAX_CATEGORIES);
  const shares = categories.map((category) => (counts.get(category) ?? 0) / Math.max(1, table.rowCount));
  const scale = categoricalScale(shares);
  return categories.map((category, c) => ({
    kind: 'onehot' as const,
    name: `${column.name}=${category}`,
    column: column.name,
    category,
    mean: shares[c]!,
    std: scale,
  }));
}

/**
 * The divisor shared by all of a categorical column's 0/1 columns, chosen so the whole column weighs
 * like one standardized numeric column: the 0/1 columns' variances add up to the Gini impurity
 * 1 - sum(p^2), so dividing each by sqrt(Gini) gives the block a total variance of 1. Standardizing
 * each 0/1 column on its own instead gives a column with L categories a weight of L, and two
 * customers in different categories end sqrt(1/p_a + 1/p_b) apart (3.5 for 50%/25% shares, against
 * about 1.4 between two customers on one numeric column): k-means then simply splits on the column.
 */
export function categoricalScale(shares: readonly number[]): number {
  const gini = shares.reduce((sum, p) => sum + p * (1 - p), 0);
  return gini > 0 ? Math.sqrt(gini) : 1;
}

/** Divides by the fitted std, treating a constant feature as already centred (as StandardScaler does). */
function scale(std: number): number {
  return std > 0 ? 1 / std : 1;
}

/**
 * The values of one feature in original units, after imputation (before log1p and scaling). For a
 * one-hot feature, 1 where the customer is in the category. Written into `out` when given (one
 * buffer reused feature after feature spares the fresh pages of a new million-row array each).
 */
export function originalFeatureValues(
  spec: FeatureSpec,
  table: Table,
  out: Float64Array = new Float64Array(table.rowCount),
): Float64Array {
  const column = findColumn(table, spec.column);
  if (column === undefined) {
    throw new BadInputError(`The file has no column ${spec.column}, which the segmentation was built on.`, {
      hint: 'Upload a file with the same columns as the one that was segmented.',
      location: { file: table.fileName, column: spec.column },
    });
  }
  if (spec.kind === 'onehot') {
    for (let i = 0; i < out.length; i++) out[i] = cellText(column, i) === spec.category ? 1 : 0;
    return out;
  }
  const cells = numericCells(column, table);
  for (let i = 0; i < out.length; i++) {
    const v = cells[i]!;
    out[i] = Number.isNaN(v) ? spec.median : v;
  }
  return out;
}

/** Maps one original-unit value of a feature into the standardized model space. */
export function toModelSpace(spec: FeatureSpec, value: number): number {
  // Values below zero cannot occur in a column fitted with log1p; clamp rather than produce NaN.
  const x = spec.kind === 'numeric' && spec.log1p ? Math.log1p(Math.max(0, value)) : value;
  return (x - spec.mean) * scale(spec.std);
}

/** Maps a standardized value back to original units (inverting log1p where it was applied). */
export function fromModelSpace(spec: FeatureSpec, value: number): number {
  const x = value * (spec.std > 0 ? spec.std : 1) + spec.mean;
  return spec.kind === 'numeric' && spec.log1p ? Math.expm1(x) : x;
}

/**
 * Applies a fitted transform to a table (the one it was fitted on, or new customers with the same
 * columns) and returns the standardized model matrix, one row per customer. A missing column is a
 * BadInputError naming it.
 */
export function applyTransform(transform: FittedTransform, table: Table): Matrix {
  const missing = [...new Set(transform.features.map((f) => f.column))].filter(
    (name) => findColumn(table, name) === undefined,
  );
  if (missing.length > 0) {
    throw new BadInputError(
      `The file is missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
      {
        hint: 'New customers must have the same columns as the file the segmentation was built on.',
        location: { file: table.fileName },
      },
    );
  }
  const columns = transform.features.map((spec) => {
    const values = originalFeatureValues(spec, table);
    if (spec.kind === 'numeric' && spec.log1p)
      for (let i = 0; i < values.length; i++) values[i] = Math.log1p(Math.max(0, values[i]!));
    return values;
  });
  return standardizeColumns(transform.features, columns, table.rowCount);
}

/**
 * Scales each feature's column and interleaves the columns into the row-major model matrix, a block
 * of rows at a time, so every cache line of the matrix is written while it is still in cache.
 */
function standardizeColumns(specs: readonly FeatureSpec[], columns: Float64Array[], rows: number): Matrix {
  const cols = specs.length;
  const data = new Float64Array(rows * cols);
  const means = Float64Array.from(specs, (spec) => spec.mean);
  const inverses = Float64Array.from(specs, (spec) => scale(spec.std));
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    const end = Math.min(rows, start + BLOCK_ROWS);
    for (let j = 0; j < cols; j++) {
      const values = columns[j]!;
      const mean = means[j]!;
      const inverse = inverses[j]!;
      for (let i = start, p = start * cols + j; i < end; i++, p += cols)
        data[p] = (values[i]! - mean) * inverse;
    }
  }
  return { data, rows, cols };
}
