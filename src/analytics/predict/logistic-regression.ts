/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS): the plain baseline the forest
 * has to beat. Numeric features are median-imputed (with a missing indicator where values were
 * missing) and standardized, with an indicator for a placeholder value such as -1 or 999; categorical
 * features are one-hot encoded.
 */
import type { FeatureColumn } from './bin-features.js';

export type LogisticEncoder =
  | {
      kind: 'numeric';
      name: string;
      median: number;
      mean: number;
      std: number;
      missingIndicator: boolean;
      /**
       * A placeholder value at one end of the range held by many customers (-1 or 999 for "never
       * contacted", 0 for "no balance"): it gets its own indicator and is otherwise read as the
       * median, so it does not bend the slope of the real values.
       */
      sentinel: number | null;
    }
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

/** The median of sorted values without NaN. */
function median(present: Float64Array): number {
  if (present.length === 0) return 0;
  const mid = present.length >> 1;
  return present.length % 2 === 1 ? present[mid]! : (present[mid - 1]! + present[mid]!) / 2;
}

/** Standardized values are clipped here, so a few extreme customers cannot dominate the fit. */
const CLIP = 5;

/** The most frequent value when it sits at either end of the range and looks like a placeholder. */
function findSentinel(present: Float64Array): number | null {
  if (present.length < 20) return null;
  // `present` is sorted, so equal values are runs: the longest run is the mode (the first one on a
  // tie, which is the smallest value) and the runs are the distinct values.
  let distinct = 0;
  let mode = present[0]!;
  let modeCount = 0;
  for (let start = 0; start < present.length; ) {
    const value = present[start]!;
    let end = start + 1;
    while (end < present.length && present[end] === value) end++;
    distinct++;
    if (end - start > modeCount) [mode, modeCount] = [value, end - start];
    start = end;
  }
  if (distinct < 12) return null;
  const share = modeCount / present.length;
  const atEnd = mode === present[0] || mode === present[present.length - 1];
  return atEnd && share >= 0.05 && share <= 0.95 ? mode : null;
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
    const present = column.values.filter((v) => !Number.isNaN(v)).sort();
    const sentinel = findSentinel(present);
    const regular = sentinel === null ? present : present.filter((v) => v !== sentinel);
    const m = median(regular);
    // Two passes (mean, then spread) stay exact for large values with a small spread.
    const n = Math.max(1, column.values.length);
    const read = (raw: number): number => (Number.isNaN(raw) || raw === sentinel ? m : raw);
    let sum = 0;
    for (const raw of column.values) sum += read(raw);
    const mean = sum / n;
    let squares = 0;
    for (const raw of column.values) squares += (read(raw) - mean) ** 2;
    const std = Math.sqrt(squares / n);
    return {
      kind: 'numeric',
      name: column.name,
      median: m,
      mean,
      std: std > 0 ? std : 1,
      missingIndicator: present.length < column.values.length,
      sentinel,
    };
  });
}

export function encodedWidth(encoders: readonly LogisticEncoder[]): number {
  let width = 0;
  for (const e of encoders)
    width +=
      e.kind === 'numeric'
        ? 1 + (e.missingIndicator ? 1 : 0) + (e.sentinel !== null ? 1 : 0)
        : e.categories.length;
  return width;
}

/** The design matrix (row-major) for the given rows. */
export function encode(
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
      const sentinelAt = offset + (encoder.missingIndicator ? 2 : 1);
      for (let k = 0; k < rows.length; k++) {
        const raw = column.values[rows[k]!]!;
        const missing = Number.isNaN(raw);
        const placeholder = encoder.sentinel !== null && raw === encoder.sentinel;
        const z = ((missing || placeholder ? encoder.median : raw) - encoder.mean) / encoder.std;
        x[k * width + offset] = Math.max(-CLIP, Math.min(CLIP, z));
        if (encoder.missingIndicator) x[k * width + offset + 1] = missing ? 1 : 0;
        if (encoder.sentinel !== null) x[k * width + sentinelAt] = placeholder ? 1 : 0;
      }
      offset = sentinelAt + (encoder.sentinel !== null ? 1 : 0);
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

/** The penalized negative log-likelihood of `beta` (intercept last) on the design matrix. */
function objective(fit: FitState, beta: Float64Array): number {
  const { x, y, n, width, l2 } = fit;
  let loss = 0;
  for (let k = 0; k < n; k++) {
    let eta = beta[width]!;
    for (let j = 0; j < width; j++) eta += beta[j]! * x[k * width + j]!;
    // log(1 + e^eta) - y * eta, written so neither branch overflows.
    loss += (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))) - y[k]! * eta;
  }
  let penalty = 0;
  for (let j = 0; j < width; j++) penalty += beta[j]! * beta[j]!;
  return loss + 0.5 * l2 * penalty;
}

interface FitState {
  /** Row-major design matrix, n x width. */
  x: Float64Array;
  y: Uint8Array;
  n: number;
  width: number;
  l2: number;
}

/**
 * Fits the baseline on the given rows of `columns` (default: all rows).
 *
 * Damped Newton: each Newton step is halved until the penalized log-likelihood improves. A plain
 * Newton step can overshoot on one-hot columns that almost separate the classes and on sentinel
 * values far from the rest, and then every probability saturates and the ranking is lost.
 */
export function fitLogistic(
  columns: readonly FeatureColumn[],
  labels: Uint8Array,
  options: LogisticOptions = {},
  rows?: ArrayLike<number>,
): LogisticModel {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
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
  const n = picked.length;
  const width = encodedWidth(encoders);
  const fit: FitState = {
    x: encode(encoders, columns, picked),
    y: Uint8Array.from(picked, (i) => labels[i]!),
    n,
    width,
    l2,
  };
  const { x, y } = fit;
  const m = width + 1; // last parameter is the intercept
  let beta: Float64Array = new Float64Array(m);
  let positives = 0;
  for (let k = 0; k < n; k++) positives += y[k]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / Math.max(1, n)));
  beta[width] = Math.log(rate / (1 - rate));
  let current = objective(fit, beta);
  const hessian = new Float64Array(m * m);
  const gradient = new Float64Array(m);
  const row = new Float64Array(m);
  // The row's nonzero positions: one-hot and indicator columns are mostly zero, and a zero adds
  // nothing to the gradient or the Hessian, so only these pairs are summed (same sums, same order).
  const nonzero = new Int32Array(m);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    hessian.fill(0);
    gradient.fill(0);
    for (let k = 0; k < n; k++) {
      let eta = beta[width]!;
      let count = 0;
      for (let j = 0; j < width; j++) {
        const v = x[k * width + j]!;
        row[j] = v;
        eta += beta[j]! * v;
        if (v !== 0) nonzero[count++] = j;
      }
      row[width] = 1;
      nonzero[count++] = width;
      const p = 1 / (1 + Math.exp(-eta));
      const w = Math.max(p * (1 - p), 1e-10);
      const residual = y[k]! - p;
      for (let s = 0; s < count; s++) {
        const a = nonzero[s]!;
        const ra = row[a]!;
        gradient[a]! += ra * residual;
        const wa = w * ra;
        const at = a * m;
        for (let t = 0; t <= s; t++) {
          const b = nonzero[t]!;
          hessian[at + b]! += wa * row[b]!;
        }
      }
    }
    for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) hessian[b * m + a] = hessian[a * m + b]!;
    for (let j = 0; j < width; j++) {
      gradient[j]! -= l2 * beta[j]!;
      hessian[j * m + j]! += l2;
    }
    hessian[width * m + width]! += 1e-8;
    const direction = solveSpd(hessian, gradient, m);
    // Halve the step until the objective does not get worse (at most 30 halvings).
    let scale = 1;
    let accepted: Float64Array | null = null;
    let value = current;
    for (let halving = 0; halving < 30; halving++) {
      const trial = Float64Array.from(beta, (b, j) => b + scale * direction[j]!);
      value = objective(fit, trial);
      if (Number.isFinite(value) && value <= current + 1e-12 * Math.abs(current)) {
        accepted = trial;
        break;
      }
      scale /= 2;
    }
    if (accepted === null) break;
    let change = 0;
    for (let j = 0; j < m; j++) change = Math.max(change, Math.abs(accepted[j]! - beta[j]!));
    beta = accepted;
    const improvement = current - value;
    current = value;
    if (change < 1e-7 || improvement < 1e-10 * Math.max(1, Math.abs(current))) break;
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
