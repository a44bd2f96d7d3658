/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS): the plain baseline the forest
 * has to beat. Numeric features are median-imputed (with a missing indicator where values were
 * missing) and standardized; categorical features are one-hot encoded.
 */
import type { FeatureColumn } from './bin-features.js';

export type LogisticEncoder =
  | { kind: 'numeric'; name: string; median: number; mean: number; std: number; missingIndicator: boolean }
  | { kind: 'categorical'; name: string; categories: string[] };

export interface LogisticModel {
  version: 1;
  encoders: LogisticEncoder[];
  /** One coefficient per encoded column, in encoder order. */
  coefficients: number[];
  intercept: number;
}

export interface LogisticOptions {
  /** Penalty on the squared coefficients (not the intercept); default 1. */
  l2?: number;
  maxIterations?: number;
  /** Fit on an evenly spaced subset of at most this many rows (default 50,000). */
  maxRows?: number;
  /** One-hot columns per categorical feature, most frequent first (default 30). */
  maxCategories?: number;
}

function median(values: Float64Array): number {
  const present = values.filter((v) => !Number.isNaN(v)).sort();
  if (present.length === 0) return 0;
  const mid = present.length >> 1;
  return present.length % 2 === 1 ? present[mid]! : (present[mid - 1]! + present[mid]!) / 2;
}

function fitEncoders(columns: readonly FeatureColumn[], maxCategories: number): LogisticEncoder[] {
  return columns.map((column): LogisticEncoder => {
    if (column.kind === 'categorical') {
      const counts = new Map<string, number>();
      for (const v of column.values) if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
      const categories = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, maxCategories)
        .map(([name]) => name);
      return { kind: 'categorical', name: column.name, categories };
    }
    const m = median(column.values);
    let sum = 0;
    let sumSq = 0;
    let missing = 0;
    for (const raw of column.values) {
      if (Number.isNaN(raw)) missing++;
      const v = Number.isNaN(raw) ? m : raw;
      sum += v;
      sumSq += v * v;
    }
    const n = Math.max(1, column.values.length);
    const mean = sum / n;
    const std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
    return {
      kind: 'numeric',
      name: column.name,
      median: m,
      mean,
      std: std > 0 ? std : 1,
      missingIndicator: missing > 0,
    };
  });
}

function encodedWidth(encoders: readonly LogisticEncoder[]): number {
  let width = 0;
  for (const e of encoders)
    width += e.kind === 'numeric' ? (e.missingIndicator ? 2 : 1) : e.categories.length;
  return width;
}

/** The design matrix (row-major) for the given rows. */
function encode(
  encoders: readonly LogisticEncoder[],
  columns: readonly FeatureColumn[],
  rows: ArrayLike<number>,
): Float64Array {
  const width = encodedWidth(encoders);
  const x = new Float64Array(rows.length * width);
  let offset = 0;
  encoders.forEach((encoder, j) => {
    const column = columns[j]!;
    if (encoder.kind === 'numeric' && column.kind === 'numeric') {
      for (let k = 0; k < rows.length; k++) {
        const raw = column.values[rows[k]!]!;
        const missing = Number.isNaN(raw);
        x[k * width + offset] = ((missing ? encoder.median : raw) - encoder.mean) / encoder.std;
        if (encoder.missingIndicator) x[k * width + offset + 1] = missing ? 1 : 0;
      }
      offset += encoder.missingIndicator ? 2 : 1;
    } else if (encoder.kind === 'categorical' && column.kind === 'categorical') {
      const index = new Map(encoder.categories.map((c, i) => [c, i]));
      for (let k = 0; k < rows.length; k++) {
        const at = index.get(column.values[rows[k]!]!);
        if (at !== undefined) x[k * width + offset + at] = 1;
      }
      offset += encoder.categories.length;
    } else {
      throw new RangeError(`feature ${column.name} should be ${encoder.kind}`);
    }
  });
  return x;
}

/** Solves A x = b for a symmetric positive definite A (Cholesky); A and b are overwritten. */
function solveSpd(a: Float64Array, b: Float64Array, m: number): Float64Array {
  for (let j = 0; j < m; j++) {
    let diagonal = a[j * m + j]!;
    for (let k = 0; k < j; k++) diagonal -= a[j * m + k]! ** 2;
    const root = Math.sqrt(Math.max(diagonal, 1e-12));
    a[j * m + j] = root;
    for (let i = j + 1; i < m; i++) {
      let sum = a[i * m + j]!;
      for (let k = 0; k < j; k++) sum -= a[i * m + k]! * a[j * m + k]!;
      a[i * m + j] = sum / root;
    }
  }
  for (let i = 0; i < m; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= a[i * m + k]! * b[k]!;
    b[i] = sum / a[i * m + i]!;
  }
  for (let i = m - 1; i >= 0; i--) {
    let sum = b[i]!;
    for (let k = i + 1; k < m; k++) sum -= a[k * m + i]! * b[k]!;
    b[i] = sum / a[i * m + i]!;
  }
  return b;
}

/** Fits the baseline on the given rows of `columns` (default: all rows). */
export function fitLogistic(
  columns: readonly FeatureColumn[],
  labels: Uint8Array,
  options: LogisticOptions = {},
  rows?: ArrayLike<number>,
): LogisticModel {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 30;
  const maxRows = options.maxRows ?? 50_000;
  const all = rows ?? Uint32Array.from({ length: labels.length }, (_, i) => i);
  // An evenly spaced subset keeps the fit cheap on big tables and needs no randomness.
  const step = Math.max(1, all.length / maxRows);
  const picked: number[] = [];
  for (let p = 0; p < all.length; p += step) picked.push(all[Math.floor(p)]!);
  const encoders = fitEncoders(
    columns.map((c) =>
      c.kind === 'numeric'
        ? { ...c, values: Float64Array.from(picked, (i) => c.values[i]!) }
        : { ...c, values: picked.map((i) => c.values[i]!) },
    ),
    options.maxCategories ?? 30,
  );
  const x = encode(encoders, columns, picked);
  const n = picked.length;
  const width = encodedWidth(encoders);
  const m = width + 1; // last parameter is the intercept
  const beta = new Float64Array(m);
  let positives = 0;
  for (const i of picked) positives += labels[i]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / Math.max(1, n)));
  beta[width] = Math.log(rate / (1 - rate));
  const hessian = new Float64Array(m * m);
  const gradient = new Float64Array(m);
  const row = new Float64Array(m);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    hessian.fill(0);
    gradient.fill(0);
    for (let k = 0; k < n; k++) {
      let eta = beta[width]!;
      for (let j = 0; j < width; j++) {
        row[j] = x[k * width + j]!;
        eta += beta[j]! * row[j]!;
      }
      row[width] = 1;
      const p = 1 / (1 + Math.exp(-eta));
      const w = Math.max(p * (1 - p), 1e-10);
      const residual = labels[picked[k]!]! - p;
      for (let a = 0; a < m; a++) {
        const ra = row[a]!;
        if (ra === 0) continue;
        gradient[a]! += ra * residual;
        const wa = w * ra;
        for (let b = 0; b <= a; b++) hessian[a * m + b]! += wa * row[b]!;
      }
    }
    for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) hessian[b * m + a] = hessian[a * m + b]!;
    for (let j = 0; j < width; j++) {
      gradient[j]! -= l2 * beta[j]!;
      hessian[j * m + j]! += l2;
    }
    hessian[width * m + width]! += 1e-8;
    const step = solveSpd(hessian, gradient, m);
    let change = 0;
    for (let j = 0; j < m; j++) {
      beta[j]! += step[j]!;
      change = Math.max(change, Math.abs(step[j]!));
    }
    if (change < 1e-6) break;
  }
  return { version: 1, encoders, coefficients: Array.from(beta.subarray(0, width)), intercept: beta[width]! };
}

/** Probability of holding the product for every row of `columns`. */
export function predictLogistic(model: LogisticModel, columns: readonly FeatureColumn[]): Float64Array {
  const n = columns.length === 0 ? 0 : columns[0]!.values.length;
  const width = model.coefficients.length;
  const out = new Float64Array(n);
  const chunk = 10_000;
  for (let start = 0; start < n; start += chunk) {
    const rows = Uint32Array.from({ length: Math.min(chunk, n - start) }, (_, k) => start + k);
    const x = encode(model.encoders, columns, rows);
    for (let k = 0; k < rows.length; k++) {
      let eta = model.intercept;
      for (let j = 0; j < width; j++) eta += model.coefficients[j]! * x[k * width + j]!;
      out[start + k] = 1 / (1 + Math.exp(-eta));
    }
  }
  return out;
}
