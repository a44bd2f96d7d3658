/**
 * Gaussian mixture by expectation-maximisation, with full or diagonal covariances, in the same
 * standardized space as k-means. Numerically careful where EM usually breaks: responsibilities go
 * through log-sum-exp, every covariance gets a small ridge (scikit-learn's `reg_covar`), and a
 * covariance that still is not positive definite gets a larger ridge instead of a NaN.
 *
 * Speed: EM runs on a seeded sample (20,000 rows by default); every customer is then scored once
 * against the fitted mixture, which is one pass of k triangular solves per row.
 */
import { createRng } from '../rng.js';
import type { CovarianceType, Matrix } from '../types.js';
import { kmeans } from './kmeans.js';
import { selectRows } from './matrix.js';
import { sampleIndices } from './sample-rows.js';

export type { CovarianceType };

export const GMM_DEFAULTS = {
  covariance: 'full' as CovarianceType,
  maxIterations: 100,
  /** Stop when the mean log-likelihood per row moves less than this (scikit-learn's `tol`). */
  tolerance: 1e-3,
  /** Added to every variance (scikit-learn's `reg_covar`). */
  regularization: 1e-6,
  fitSampleSize: 20_000,
  /** A customer sits "clearly inside" a component when its posterior is at least this. */
  surePosterior: 0.9,
} as const;

export interface GmmOptions {
  k: number;
  seed: number;
  covariance?: CovarianceType;
  maxIterations?: number;
  tolerance?: number;
  regularization?: number;
  /** EM runs on a seeded sample of this many rows when there are more (Infinity: all rows). */
  fitSampleSize?: number;
}

/** A fitted mixture. Covariances are kept as their Cholesky factors, which is what scoring needs. */
export interface GmmModel {
  k: number;
  d: number;
  covariance: CovarianceType;
  weights: Float64Array;
  /** k x d, row-major. */
  means: Float64Array;
  /** full: k lower-triangular d x d factors L (Σ = L Lᵀ); diag: k x d standard deviations. */
  factors: Float64Array;
  /** log |Σ| per component. */
  logDets: Float64Array;
  /** Mean log-likelihood per row of the rows EM ran on. */
  logLikelihood: number;
  /** Rows EM ran on. */
  fitRows: number;
  iterations: number;
  converged: boolean;
}

const LOG_2PI = Math.log(2 * Math.PI);
/** Keeps an empty component's weight and mean finite, as scikit-learn does (10 × machine epsilon). */
const EMPTY_MASS = 10 * Number.EPSILON;
/**
 * Responsibilities below this are left out of the M-step sums: most customers belong almost surely
 * to one component, so this skips most of the k-fold covariance work while changing no sum by more
 * than 1e-9 of a customer.
 */
const NEGLIGIBLE = 1e-9;

/** Scratch for scoring one row: the centred row and the log-densities per component. */
interface RowScratch {
  diff: Float64Array;
  logp: Float64Array;
}

/** Fills `scratch.logp[c]` with log(w_c) + log N(x | μ_c, Σ_c) for row `i`; returns the row's log-likelihood. */
function scoreRow(model: GmmModel, data: Float64Array, i: number, scratch: RowScratch): number {
  const { k, d, means, factors, logDets, weights } = model;
  const { diff, logp } = scratch;
  const row = i * d;
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    const mean = c * d;
    let q = 0;
    if (model.covariance === 'diag') {
      for (let j = 0; j < d; j++) {
        const z = (data[row + j]! - means[mean + j]!) / factors[mean + j]!;
        q += z * z;
      }
    } else {
      // Forward substitution L y = x - μ, so q = |y|² = (x - μ)ᵀ Σ⁻¹ (x - μ).
      const L = c * d * d;
      for (let j = 0; j < d; j++) {
        let value = data[row + j]! - means[mean + j]!;
        const lrow = L + j * d;
        for (let t = 0; t < j; t++) value -= factors[lrow + t]! * diff[t]!;
        value /= factors[lrow + j]!;
        diff[j] = value;
        q += value * value;
      }
    }
    const value = Math.log(weights[c]!) - 0.5 * (d * LOG_2PI + logDets[c]! + q);
    logp[c] = value;
    if (value > max) max = value;
  }
  // log-sum-exp: subtracting the largest term keeps exp() from underflowing far from every centre.
  let sum = 0;
  for (let c = 0; c < k; c++) sum += Math.exp(logp[c]! - max);
  return max + Math.log(sum);
}

/** Cholesky factor of the d x d matrix at `a[offset..]` into `out[offset..]`; false when not positive definite. */
function cholesky(a: Float64Array, out: Float64Array, offset: number, d: number): boolean {
  for (let j = 0; j < d; j++) {
    for (let i = j; i < d; i++) {
      let sum = a[offset + i * d + j]!;
      for (let t = 0; t < j; t++) sum -= out[offset + i * d + t]! * out[offset + j * d + t]!;
      if (i === j) {
        if (!(sum > 0)) return false;
        out[offset + j * d + j] = Math.sqrt(sum);
      } else {
        out[offset + i * d + j] = sum / out[offset + j * d + j]!;
      }
    }
    for (let t = j + 1; t < d; t++) out[offset + j * d + t] = 0;
  }
  return true;
}

/**
 * M-step: weights, means and covariance factors from responsibilities `resp` (n x k) over `X`.
 * A component whose covariance is not positive definite even with the ridge gets ten times the
 * ridge until it is (a component collapsed onto a few identical customers).
 */
function maximize(X: Matrix, resp: Float64Array, model: GmmModel, regularization: number): void {
  const { rows: n, cols: d, data } = X;
  const { k, means, weights, factors, logDets } = model;
  const mass = new Float64Array(k).fill(EMPTY_MASS);
  means.fill(0);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const r = resp[i * k + c]!;
      if (r < NEGLIGIBLE) continue;
      mass[c]! += r;
      for (let j = 0; j < d; j++) means[c * d + j]! += r * data[i * d + j]!;
    }
  }
  let total = 0;
  for (let c = 0; c < k; c++) total += mass[c]!;
  for (let c = 0; c < k; c++) {
    weights[c] = mass[c]! / total;
    for (let j = 0; j < d; j++) means[c * d + j]! /= mass[c]!;
  }

  const width = model.covariance === 'full' ? d * d : d;
  const cov = new Float64Array(k * width);
  const diff = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const r = resp[i * k + c]!;
      if (r < NEGLIGIBLE) continue;
      for (let j = 0; j < d; j++) diff[j] = data[i * d + j]! - means[c * d + j]!;
      const base = c * width;
      if (model.covariance === 'diag') {
        for (let j = 0; j < d; j++) cov[base + j]! += r * diff[j]! * diff[j]!;
      } else {
        // Lower triangle only; the factorisation reads nothing else.
        for (let a = 0; a < d; a++) {
          const ra = r * diff[a]!;
          const rowBase = base + a * d;
          for (let b = 0; b <= a; b++) cov[rowBase + b]! += ra * diff[b]!;
        }
      }
    }
  }
  for (let c = 0; c < k; c++) {
    const base = c * width;
    for (let t = 0; t < width; t++) cov[base + t]! /= mass[c]!;
    if (model.covariance === 'diag') {
      let logDet = 0;
      for (let j = 0; j < d; j++) {
        const variance = cov[base + j]! + regularization;
        factors[base + j] = Math.sqrt(variance);
        logDet += Math.log(variance);
      }
      logDets[c] = logDet;
      continue;
    }
    for (let a = 0; a < d; a++)
      for (let b = a + 1; b < d; b++) cov[base + a * d + b] = cov[base + b * d + a]!;
    let applied = 0;
    for (let ridge = regularization; ; ridge = Math.max(ridge * 10, 1e-6)) {
      for (let j = 0; j < d; j++) cov[base + j * d + j]! += ridge - applied;
      applied = ridge;
      if (cholesky(cov, factors, base, d)) break;
    }
    let logDet = 0;
    for (let j = 0; j < d; j++) logDet += 2 * Math.log(factors[base + j * d + j]!);
    logDets[c] = logDet;
  }
}

/** E-step: responsibilities into `resp`; returns the mean log-likelihood per row. */
function expect(X: Matrix, model: GmmModel, resp: Float64Array): number {
  const { rows: n, data } = X;
  const { k } = model;
  const scratch: RowScratch = { diff: new Float64Array(model.d), logp: new Float64Array(k) };
  let total = 0;
  for (let i = 0; i < n; i++) {
    const logLikelihood = scoreRow(model, data, i, scratch);
    total += logLikelihood;
    for (let c = 0; c < k; c++) resp[i * k + c] = Math.exp(scratch.logp[c]! - logLikelihood);
  }
  return total / n;
}

function emptyModel(k: number, d: number, covariance: CovarianceType): GmmModel {
  return {
    k,
    d,
    covariance,
    weights: new Float64Array(k),
    means: new Float64Array(k * d),
    factors: new Float64Array(k * (covariance === 'full' ? d * d : d)),
    logDets: new Float64Array(k),
    logLikelihood: Number.NEGATIVE_INFINITY,
    fitRows: 0,
    iterations: 0,
    converged: false,
  };
}

/**
 * Fits a k-component mixture. Initialised like scikit-learn's default: hard responsibilities from
 * one seeded k-means, then EM until the mean log-likelihood settles. The same data and seed give
 * the same model.
 */
export function fitGmm(X: Matrix, options: GmmOptions): GmmModel {
  const { k, seed } = options;
  const covariance = options.covariance ?? GMM_DEFAULTS.covariance;
  const maxIterations = options.maxIterations ?? GMM_DEFAULTS.maxIterations;
  const tolerance = options.tolerance ?? GMM_DEFAULTS.tolerance;
  const regularization = options.regularization ?? GMM_DEFAULTS.regularization;
  const sampleSize = options.fitSampleSize ?? GMM_DEFAULTS.fitSampleSize;
  if (!Number.isInteger(k) || k < 1 || k > X.rows) {
    throw new RangeError(`k must be a whole number from 1 to the number of rows (${X.rows}), got ${k}`);
  }
  const rng = createRng(seed);
  const sample =
    X.rows > sampleSize
      ? selectRows(X, sampleIndices(X.rows, sampleSize, Math.floor(rng.next() * 2 ** 32)))
      : X;
  const n = sample.rows;
  const model = emptyModel(k, X.cols, covariance);
  model.fitRows = n;

  const init = kmeans(sample, { k, seed: Math.floor(rng.next() * 2 ** 32), nInit: 1 });
  const resp = new Float64Array(n * k);
  for (let i = 0; i < n; i++) resp[i * k + init.labels[i]!] = 1;
  maximize(sample, resp, model, regularization);

  let previous = Number.NEGATIVE_INFINITY;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const current = expect(sample, model, resp);
    model.iterations = iteration;
    model.logLikelihood = current;
    if (Math.abs(current - previous) < tolerance) {
      model.converged = true;
      break;
    }
    previous = current;
    maximize(sample, resp, model, regularization);
  }
  // The model's parameters must be the ones the reported log-likelihood belongs to: when EM stopped
  // on the iteration cap, one more E-step scores the last M-step.
  if (!model.converged) model.logLikelihood = expect(sample, model, resp);
  return model;
}

/** Free parameters of a mixture: weights (k - 1), means (k d) and covariances. */
export function gmmParameterCount(model: Pick<GmmModel, 'k' | 'd' | 'covariance'>): number {
  const { k, d } = model;
  const perCovariance = model.covariance === 'full' ? (d * (d + 1)) / 2 : d;
  return k - 1 + k * d + k * perCovariance;
}

/** Bayesian information criterion on the rows EM ran on (lower is better). */
export function gmmBic(model: GmmModel): number {
  return -2 * model.logLikelihood * model.fitRows + gmmParameterCount(model) * Math.log(model.fitRows);
}

export interface GmmAssignment {
  /** Most likely component per row. */
  labels: Int32Array;
  /** Posterior probability of that component per row. */
  confidence: Float32Array;
  /** Mean log-likelihood per row over all of X. */
  logLikelihood: number;
}

/** Scores every row of X against a fitted mixture: its most likely component and how sure that is. */
export function assignGmm(model: GmmModel, X: Matrix): GmmAssignment {
  if (X.cols !== model.d) throw new RangeError(`X has ${X.cols} columns, the mixture ${model.d}`);
  const { rows: n, data } = X;
  const labels = new Int32Array(n);
  const confidence = new Float32Array(n);
  const scratch: RowScratch = { diff: new Float64Array(model.d), logp: new Float64Array(model.k) };
  let total = 0;
  for (let i = 0; i < n; i++) {
    const logLikelihood = scoreRow(model, data, i, scratch);
    total += logLikelihood;
    let best = 0;
    for (let c = 1; c < model.k; c++) if (scratch.logp[c]! > scratch.logp[best]!) best = c;
    labels[i] = best;
    confidence[i] = Math.exp(scratch.logp[best]! - logLikelihood);
  }
  return { labels, confidence, logLikelihood: n > 0 ? total / n : Number.NaN };
}

export interface GmmKScore {
  k: number;
  bic: number;
  logLikelihood: number;
}

/** Fits one mixture per k in `ks` on the same sample and keeps the lowest BIC. */
export function chooseGmmK(
  X: Matrix,
  ks: readonly number[],
  options: Omit<GmmOptions, 'k'>,
): { model: GmmModel; scores: GmmKScore[] } {
  let best: GmmModel | null = null;
  let bestBic = Number.POSITIVE_INFINITY;
  const scores: GmmKScore[] = [];
  for (const k of ks) {
    if (k > X.rows) continue;
    // Every k starts from the same seed, so each k's sample is the same rows.
    const model = fitGmm(X, { ...options, k });
    const bic = gmmBic(model);
    scores.push({ k, bic, logLikelihood: model.logLikelihood });
    if (bic < bestBic) {
      best = model;
      bestBic = bic;
    }
  }
  if (best === null) throw new RangeError('No k to try is at most the number of rows.');
  return { model: best, scores };
}
