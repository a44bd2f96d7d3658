/**
 * k-means on a row-major Float64 matrix: several seeded restarts of greedy k-means++ seeding
 * (`kmeans-seeding.ts`) followed by Lloyd's algorithm with Hamerly's bounds (`hamerly.ts`), the
 * best inertia kept. This module validates input and orchestrates; the distance kernels it shares
 * with the silhouette live in `distance-kernels.ts`.
 *
 * Everything is single-threaded and seeded through `createRng`, so a fixed seed gives bit-identical
 * output on every machine.
 */
import { BadInputError } from '../../errors.js';
import { createRng, type Rng } from '../rng.js';
import type { KMeansOptions, KMeansResult, Matrix } from '../types.js';
import { distancesTo } from './distance-kernels.js';
import {
  createScratch,
  createWorkspace,
  type HamerlyFit,
  type KMeansRunOptions,
  lloydHamerly,
} from './hamerly.js';
import { seedKMeansPlusPlus } from './kmeans-seeding.js';
import { selectRows } from './matrix.js';
import { sampleIndices } from './sample-rows.js';

export type { KMeansRunOptions };

/** Defaults for the optional k-means options. */
export const KMEANS_DEFAULTS = {
  nInit: 10,
  maxIterations: 300,
  tolerance: 0,
  restartSampleSize: 20_000,
} as const;

/**
 * Clusters the rows of `X` into `options.k` groups. Runs `nInit` k-means++ restarts (each with its
 * own generator forked from `options.seed`) and keeps the one with the lowest inertia, the first on a
 * tie. The same seed gives bit-identical output.
 *
 * Above `restartSampleSize` rows (default 20,000) the restarts run on a seeded sample of that many
 * rows (`sampleIndices(n, size, seed)`), and the winning centroids are then refined by Lloyd
 * iterations on all rows: the result is a Lloyd fixed point on the full data, and the restarts cost
 * the same at a million rows as at twenty thousand. Pass `restartSampleSize: Infinity` to restart on
 * all rows.
 */
export function kmeans(X: Matrix, options: KMeansOptions): KMeansResult {
  const { k, seed } = options;
  const nInit = options.nInit ?? KMEANS_DEFAULTS.nInit;
  const restartSampleSize = options.restartSampleSize ?? KMEANS_DEFAULTS.restartSampleSize;
  validateInput(X, k);
  if (!Number.isInteger(nInit) || nInit < 1) {
    throw new RangeError(`nInit must be a positive integer, got ${nInit}`);
  }
  if (!(restartSampleSize >= 1)) {
    throw new RangeError(`restartSampleSize must be at least 1, got ${restartSampleSize}`);
  }
  const run: Required<KMeansRunOptions> = {
    maxIterations: options.maxIterations ?? KMEANS_DEFAULTS.maxIterations,
    tolerance: options.tolerance ?? KMEANS_DEFAULTS.tolerance,
  };

  if (X.rows > restartSampleSize && restartSampleSize >= k) {
    const sample = selectRows(X, sampleIndices(X.rows, restartSampleSize, seed));
    const start = restartKMeans(sample, k, seed, nInit, run);
    const refined = kmeansFromCentroids(X, start.centroids, run);
    return { ...refined, bestInit: start.bestInit };
  }
  return restartKMeans(X, k, seed, nInit, run);
}

function restartKMeans(
  X: Matrix,
  k: number,
  seed: number,
  nInit: number,
  run: Required<KMeansRunOptions>,
): KMeansResult {
  const rng = createRng(seed);
  const workspace = createWorkspace(X.rows);
  let best: KMeansResult | null = null;
  for (let init = 0; init < nInit; init++) {
    const runRng = rng.fork();
    const centroids = seedKMeansPlusPlus(X, k, runRng, workspace);
    const result = toResult(X, lloydHamerly(X, centroids, run, workspace, true));
    if (best === null || result.inertia < best.inertia) {
      best = { ...result, labels: result.labels.slice(), bestInit: init };
    }
  }
  return best!;
}

/**
 * One k-means run from the given starting centroids (k x d), with the same iterations as plain
 * Lloyd's algorithm. Useful to refine centroids found elsewhere (for example on a sample) and to
 * compare against other implementations from an identical start.
 */
export function kmeansFromCentroids(
  X: Matrix,
  initial: Matrix,
  options: KMeansRunOptions = {},
): KMeansResult {
  validateInput(X, initial.rows);
  if (initial.cols !== X.cols) {
    throw new RangeError(`initial centroids have ${initial.cols} columns, the data ${X.cols}`);
  }
  const run: Required<KMeansRunOptions> = {
    maxIterations: options.maxIterations ?? KMEANS_DEFAULTS.maxIterations,
    tolerance: options.tolerance ?? KMEANS_DEFAULTS.tolerance,
  };
  const workspace = createWorkspace(X.rows);
  const centroids = Float64Array.from(initial.data);
  // The workspace dies here, so its labels need no copy.
  return toResult(X, lloydHamerly(X, centroids, run, workspace, false));
}

/** Index of the nearest centroid for every row of `X` (the lowest index on an exact tie). */
export function assignToCentroids(X: Matrix, centroids: Matrix): Int32Array {
  if (X.cols !== centroids.cols) {
    throw new RangeError(`X has ${X.cols} columns, the centroids ${centroids.cols}`);
  }
  const { rows: n, cols: d, data } = X;
  const k = centroids.rows;
  const { indices, dists } = createScratch(k);
  for (let j = 0; j < k; j++) indices[j] = j;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    distancesTo(data, i * d, centroids.data, d, indices, k, dists);
    let bestDist = Number.POSITIVE_INFINITY;
    let bestJ = 0;
    for (let j = 0; j < k; j++) {
      if (dists[j]! < bestDist) {
        bestDist = dists[j]!;
        bestJ = j;
      }
    }
    labels[i] = bestJ;
  }
  return labels;
}

/** Sum of squared distances from each row to its centroid. */
export function computeInertia(X: Matrix, centroids: Matrix, labels: Int32Array): number {
  const { rows: n, cols: d, data } = X;
  const c = centroids.data;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const offset = i * d;
    const cj = labels[i]! * d;
    for (let t = 0; t < d; t++) {
      const diff = data[offset + t]! - c[cj + t]!;
      inertia += diff * diff;
    }
  }
  return inertia;
}

/**
 * Greedy k-means++ seeding as scikit-learn does it: every new centre is the best (lowest resulting
 * potential) of 2 + floor(ln k) candidates drawn with probability proportional to the squared
 * distance to the nearest centre so far. Returns the k x d centroids (row-major).
 */
export function kmeansPlusPlus(X: Matrix, k: number, rng: Rng): Matrix {
  validateInput(X, k);
  const workspace = createWorkspace(X.rows);
  return { data: seedKMeansPlusPlus(X, k, rng, workspace), rows: k, cols: X.cols };
}

function toResult(X: Matrix, fit: HamerlyFit): KMeansResult {
  const { centroids, labels, iterations } = fit;
  const inertia = computeInertia(X, centroids, labels);
  return { k: centroids.rows, centroids, labels, inertia, iterations, bestInit: 0 };
}

function validateInput(X: Matrix, k: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new BadInputError(`The number of segments must be a positive whole number, got ${k}.`, {
      hint: 'Pick k between 2 and 10, or use --k auto.',
    });
  }
  if (X.cols < 1) throw new BadInputError('Clustering needs at least one feature column.');
  if (X.rows < k) {
    throw new BadInputError(`Cannot make ${k} segments from ${X.rows} customers.`, {
      hint: `Pick k at most ${X.rows}.`,
    });
  }
  if (X.data.length !== X.rows * X.cols) {
    throw new RangeError(`matrix data has ${X.data.length} values, expected ${X.rows} x ${X.cols}`);
  }
}
