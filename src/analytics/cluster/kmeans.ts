/**
 * k-means on a row-major Float64 matrix: greedy k-means++ seeding, several seeded restarts, and
 * Hamerly's bound-based acceleration of Lloyd's algorithm.
 *
 * Hamerly keeps, per point, an upper bound on the distance to its own centroid and a lower bound on
 * the distance to every other centroid. When the bounds prove the assignment cannot change, the point
 * is skipped without computing any distance; otherwise the same nearest-centroid test as Lloyd's is
 * made. The iterations therefore visit exactly the assignments plain Lloyd visits from the same
 * starting centroids (up to exact distance ties) and stop at the same fixed point. On top of that,
 * points far from any border sleep through whole epochs (see `lloydHamerly`), and the seeding leaves
 * valid bounds behind so the first iteration needs no full pass.
 *
 * Everything is single-threaded and seeded through `createRng`, so a fixed seed gives bit-identical
 * output on every machine.
 */
import { BadInputError } from '../../errors.js';
import { createRng, type Rng } from '../rng.js';
import type { KMeansOptions, KMeansResult, Matrix } from '../types.js';
import { selectRows } from './matrix.js';
import { sampleIndices } from './sample-rows.js';

/** Defaults for the optional k-means options. */
export const KMEANS_DEFAULTS = {
  nInit: 10,
  maxIterations: 300,
  tolerance: 0,
  restartSampleSize: 20_000,
} as const;

/** Options for a single run from given starting centroids. */
export interface KMeansRunOptions {
  maxIterations?: number;
  /**
   * Stop once no centroid moves more than this (squared distance). 0, the default, runs until no
   * assignment changes, which is an exact Lloyd fixed point.
   */
  tolerance?: number;
}

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
  const workspace = createWorkspace(X.rows, k);
  let best: KMeansResult | null = null;
  for (let init = 0; init < nInit; init++) {
    const runRng = rng.fork();
    const centroids = seedKMeansPlusPlus(X, k, runRng, workspace);
    const result = lloydHamerly(X, centroids, run, workspace, true);
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
  const workspace = createWorkspace(X.rows, initial.rows);
  const centroids = Float64Array.from(initial.data);
  const result = lloydHamerly(X, centroids, run, workspace, false);
  // The workspace dies here, so its labels need no copy.
  return result;
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
  const workspace = createWorkspace(X.rows, k);
  return { data: seedKMeansPlusPlus(X, k, rng, workspace), rows: k, cols: X.cols };
}

// ---------------------------------------------------------------------------------------------

interface Workspace {
  labels: Int32Array;
  /** Upper bound on the distance to the own centroid (Hamerly's u). */
  upper: Float64Array;
  /** Lower bound on the distance to any other centroid (Hamerly's l). */
  lower: Float64Array;
  /** Squared distance to the nearest centre during seeding. */
  closest: Float64Array;
  cumulative: Float64Array;
  /** Whether the seeding left valid labels and bounds behind. */
  seeded: boolean;
  /** 1 for points set aside until the next full pass. */
  asleep: Uint8Array;
  /** Indices of the points examined between full passes. */
  awake: Int32Array;
  /** Squared distances from the points to the seeding candidates (grown on demand). */
  trialDists: Float64Array;
}

/** Small per-run buffers for the centroid scan of one point. */
interface Scratch {
  indices: Int32Array;
  dists: Float64Array;
}

function createScratch(k: number): Scratch {
  return { indices: new Int32Array(k), dists: new Float64Array(k) };
}

function createWorkspace(n: number, _k: number): Workspace {
  return {
    labels: new Int32Array(n),
    upper: new Float64Array(n),
    lower: new Float64Array(n),
    // Only the seeding needs these: allocated there, so a refinement on many rows does not pay.
    closest: new Float64Array(0),
    cumulative: new Float64Array(0),
    seeded: false,
    asleep: new Uint8Array(n),
    awake: new Int32Array(n),
    trialDists: new Float64Array(0),
  };
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

function seedKMeansPlusPlus(X: Matrix, k: number, rng: Rng, ws: Workspace): Float64Array {
  const { rows: n, cols: d, data } = X;
  const centroids = new Float64Array(k * d);
  if (ws.closest.length < n) {
    ws.closest = new Float64Array(n);
    ws.cumulative = new Float64Array(n);
  }
  const { labels, closest, cumulative, lower } = ws;
  const trials = 2 + Math.floor(Math.log(k));

  const first = rng.int(n);
  centroids.set(data.subarray(first * d, (first + 1) * d), 0);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    const dist = squaredBetween(data, i * d, centroids, 0, d);
    closest[i] = dist;
    labels[i] = 0;
    lower[i] = Number.POSITIVE_INFINITY;
    potential += dist;
  }

  const candidateRows = new Float64Array(trials * d);
  // gaps[t * k + j]: squared distance from candidate t to centre j.
  const gaps = new Float64Array(trials * k);
  const potentials = new Float64Array(trials);
  if (ws.trialDists.length < trials * n) ws.trialDists = new Float64Array(trials * n);
  const trialDists = ws.trialDists;
  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let i = 0; i < n; i++) {
      running += closest[i]!;
      cumulative[i] = running;
    }
    for (let t = 0; t < trials; t++) {
      const candidate = potential > 0 ? searchSorted(cumulative, rng.next() * potential) : rng.int(n);
      candidateRows.set(data.subarray(candidate * d, (candidate + 1) * d), t * d);
      for (let j = 0; j < c; j++) gaps[t * k + j] = squaredBetween(candidateRows, t * d, centroids, j * d, d);
    }
    evaluateCandidates(data, n, d, k, closest, labels, candidateRows, trials, gaps, potentials, trialDists);
    let best = 0;
    for (let t = 1; t < trials; t++) if (potentials[t]! < potentials[best]!) best = t;

    centroids.set(candidateRows.subarray(best * d, (best + 1) * d), c * d);
    potential = addCentre(
      n,
      c,
      gaps.subarray(best * k, best * k + c),
      closest,
      labels,
      lower,
      trialDists.subarray(best * n, (best + 1) * n),
    );
  }
  ws.seeded = true;
  return centroids;
}

/**
 * The potential (sum over points of the squared distance to the nearest centre) each candidate
 * would leave, all candidates in one pass over the data. A candidate at least twice as far from a
 * point's centre as the point itself cannot be nearer than that centre (triangle inequality), so
 * most of these distances are never computed. The ones computed are kept in `trialDists`
 * (`trialDists[t * n + i]`) for `addCentre`.
 */
function evaluateCandidates(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  closest: Float64Array,
  labels: Int32Array,
  candidateRows: Float64Array,
  trials: number,
  gaps: Float64Array,
  potentials: Float64Array,
  trialDists: Float64Array,
): void {
  potentials.fill(0);
  const needed = new Int32Array(trials);
  const dists = new Float64Array(trials);
  for (let i = 0; i < n; i++) {
    const current = closest[i]!;
    const limit = 4 * current;
    const a = labels[i]!;
    let count = 0;
    for (let t = 0; t < trials; t++) {
      if (gaps[t * k + a]! >= limit) potentials[t]! += current;
      else needed[count++] = t;
    }
    if (count === 0) continue;
    distancesTo(data, i * d, candidateRows, d, needed, count, dists);
    for (let q = 0; q < count; q++) {
      const t = needed[q]!;
      const dist = dists[q]!;
      trialDists[t * n + i] = dist;
      potentials[t]! += Math.min(dist, current);
    }
  }
}

/**
 * Makes centre `c` part of the seeding: updates each point's nearest centre and squared distance,
 * and keeps `lower` a lower bound on the distance to every centre but the nearest (Hamerly's l), so
 * the iterations can start without a full assignment pass. `measured[i]` holds the squared distance
 * from point i to the new centre wherever the gap test below fails: `evaluateCandidates` measured it
 * under the same test. Returns the new potential.
 */
function addCentre(
  n: number,
  c: number,
  gaps: Float64Array,
  closest: Float64Array,
  labels: Int32Array,
  lower: Float64Array,
  measured: Float64Array,
): number {
  let potential = 0;
  for (let i = 0; i < n; i++) {
    const current = closest[i]!;
    const gap = gaps[labels[i]!]!;
    if (gap >= 4 * current) {
      // The new centre is at least sqrt(gap) - sqrt(current) away from the point.
      lower[i] = Math.min(lower[i]!, Math.sqrt(gap) - Math.sqrt(current));
    } else {
      const dist = measured[i]!;
      if (dist < current) {
        lower[i] = Math.min(lower[i]!, Math.sqrt(current));
        closest[i] = dist;
        labels[i] = c;
      } else {
        lower[i] = Math.min(lower[i]!, Math.sqrt(dist));
      }
    }
    potential += closest[i]!;
  }
  return potential;
}

/** First index whose cumulative sum exceeds `value` (clamped to the last index). */
function searchSorted(cumulative: Float64Array, value: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function squaredBetween(
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  d: number,
): number {
  // Four columns per step, added to the one sum in column order: the same value as a plain loop,
  // with less loop overhead.
  let sum = 0;
  let t = 0;
  for (; t + 3 < d; t += 4) {
    const e0 = a[aOffset + t]! - b[bOffset + t]!;
    const e1 = a[aOffset + t + 1]! - b[bOffset + t + 1]!;
    const e2 = a[aOffset + t + 2]! - b[bOffset + t + 2]!;
    const e3 = a[aOffset + t + 3]! - b[bOffset + t + 3]!;
    sum += e0 * e0;
    sum += e1 * e1;
    sum += e2 * e2;
    sum += e3 * e3;
  }
  for (; t < d; t++) {
    const diff = a[aOffset + t]! - b[bOffset + t]!;
    sum += diff * diff;
  }
  return sum;
}

/**
 * How long a point may sleep: at each full pass, points whose bounds leave more than
 * 2 * EPOCH_FACTOR * (largest centroid move) of slack are set aside, and only the others are
 * examined until the centroids have moved that much in total. Late iterations, where centroids creep,
 * then touch only the points near cluster borders.
 */
const EPOCH_FACTOR = 8;

/**
 * Squared distances from the point at `offset` to the rows `indices[0..count)` of `rows`, into
 * `out[0..count)`. Four rows at a time, then the last three, two or one together: independent sums
 * per coordinate keep the processor busy instead of waiting on one running sum (up to four times
 * faster per distance); each distance is summed in the same order as `squaredBetween`, so the
 * values are identical.
 */
function distancesTo(
  data: Float64Array,
  offset: number,
  rows: Float64Array,
  d: number,
  indices: Int32Array,
  count: number,
  out: Float64Array,
): void {
  let q = 0;
  for (; q + 3 < count; q += 4) {
    const r0 = indices[q]! * d;
    const r1 = indices[q + 1]! * d;
    const r2 = indices[q + 2]! * d;
    const r3 = indices[q + 3]! * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < d; t++) {
      const x = data[offset + t]!;
      const e0 = x - rows[r0 + t]!;
      const e1 = x - rows[r1 + t]!;
      const e2 = x - rows[r2 + t]!;
      const e3 = x - rows[r3 + t]!;
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    out[q] = s0;
    out[q + 1] = s1;
    out[q + 2] = s2;
    out[q + 3] = s3;
  }
  if (q + 2 < count) {
    const r0 = indices[q]! * d;
    const r1 = indices[q + 1]! * d;
    const r2 = indices[q + 2]! * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let t = 0; t < d; t++) {
      const x = data[offset + t]!;
      const e0 = x - rows[r0 + t]!;
      const e1 = x - rows[r1 + t]!;
      const e2 = x - rows[r2 + t]!;
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
    }
    out[q] = s0;
    out[q + 1] = s1;
    out[q + 2] = s2;
    return;
  }
  if (q + 1 < count) {
    const r0 = indices[q]! * d;
    const r1 = indices[q + 1]! * d;
    let s0 = 0;
    let s1 = 0;
    for (let t = 0; t < d; t++) {
      const x = data[offset + t]!;
      const e0 = x - rows[r0 + t]!;
      const e1 = x - rows[r1 + t]!;
      s0 += e0 * e0;
      s1 += e1 * e1;
    }
    out[q] = s0;
    out[q + 1] = s1;
    return;
  }
  if (q < count) out[q] = squaredBetween(data, offset, rows, indices[q]! * d, d);
}

/**
 * Lloyd iterations accelerated with Hamerly's bounds. `centroids` is updated in place. When
 * `useSeed` is set the labels and bounds left by the seeding are reused, which saves the first full
 * assignment pass.
 *
 * On top of Hamerly's per-iteration test, points are put to sleep in epochs: a sleeping point's
 * bounds are brought up to date from the accumulated centroid moves only at the next full pass, and
 * its assignment provably cannot change before then (its upper bound grows and its lower bound
 * shrinks by at most the accumulated largest move each).
 */
function lloydHamerly(
  X: Matrix,
  centroids: Float64Array,
  options: Required<KMeansRunOptions>,
  ws: Workspace,
  useSeed: boolean,
): KMeansResult {
  const { rows: n, cols: d, data } = X;
  const k = centroids.length / d;
  const { labels, upper, lower, asleep, awake } = ws;

  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  // Both starts add the rows to their cluster sums in ascending order, as `recomputeSums` does, in
  // the same pass that labels them: one pass over the data fewer.
  if (useSeed && ws.seeded) seededBounds(data, n, d, labels, ws.closest, upper, sums, counts);
  else fullAssign(data, n, d, centroids, k, labels, upper, lower, sums, counts);
  ws.seeded = false;

  const previous = new Float64Array(k * d);
  const moves = new Float64Array(k);
  const halfGap = new Float64Array(k);
  const centreGaps = new Float64Array(k * k);
  // Centroid moves accumulated since the last full pass, per centroid and the largest per iteration.
  const drift = new Float64Array(k);
  let driftTotal = Number.POSITIVE_INFINITY;
  let budget = 0;
  let awakeCount = 0;
  const passStats = new Int32Array(1);
  const scratch = createScratch(k);
  asleep.fill(0);

  // Counted as assignment passes, the initial one included, as scikit-learn and ml-kmeans count.
  let iterations = 1;
  // Incremental sums drift by rounding; a run only ends once a pass over freshly summed centroids
  // changes nothing, so the result is an exact fixed point with centroids equal to the cluster means.
  // That confirming pass is not counted when it changes nothing.
  let sumsExact = true;
  let confirming = false;

  while (iterations < options.maxIterations) {
    previous.set(centroids);
    if (relocateEmptyClusters(data, n, d, centroids, k, labels, sums, counts, upper, lower)) {
      sumsExact = false;
      driftTotal = Number.POSITIVE_INFINITY;
    }
    for (let j = 0; j < k; j++) {
      const count = counts[j]!;
      if (count === 0) continue;
      const offset = j * d;
      for (let t = 0; t < d; t++) centroids[offset + t] = sums[offset + t]! / count;
    }

    let maxMove = 0;
    let secondMove = 0;
    let maxMoveIndex = -1;
    let maxSquaredMove = 0;
    for (let j = 0; j < k; j++) {
      const squared = squaredBetween(centroids, j * d, previous, j * d, d);
      maxSquaredMove = Math.max(maxSquaredMove, squared);
      const move = Math.sqrt(squared);
      moves[j] = move;
      drift[j]! += move;
      if (move > maxMove) {
        secondMove = maxMove;
        maxMove = move;
        maxMoveIndex = j;
      } else if (move > secondMove) {
        secondMove = move;
      }
    }
    driftTotal += maxMove;
    const withinTolerance = options.tolerance > 0 && maxSquaredMove <= options.tolerance;

    for (let j = 0; j < k; j++) {
      let nearest = Number.POSITIVE_INFINITY;
      for (let other = 0; other < k; other++) {
        const gap = other === j ? 0 : Math.sqrt(squaredBetween(centroids, j * d, centroids, other * d, d));
        centreGaps[j * k + other] = gap;
        if (other !== j) nearest = Math.min(nearest, gap);
      }
      halfGap[j] = 0.5 * nearest;
    }

    let changes: number;
    // A new epoch when the sleepers' margin is used up, or when moves have shrunk so much that a
    // smaller margin would put many more points to sleep.
    if (driftTotal > budget || 4 * EPOCH_FACTOR * maxMove < budget) {
      budget = EPOCH_FACTOR * maxMove;
      changes = fullPass(
        data,
        n,
        d,
        centroids,
        k,
        labels,
        upper,
        lower,
        sums,
        counts,
        moves,
        halfGap,
        centreGaps,
        maxMoveIndex,
        maxMove,
        secondMove,
        asleep,
        drift,
        driftTotal,
        awake,
        2 * budget,
        passStats,
        scratch,
      );
      awakeCount = passStats[0]!;
      drift.fill(0);
      driftTotal = 0;
    } else {
      changes = awakePass(
        data,
        d,
        centroids,
        k,
        labels,
        upper,
        lower,
        sums,
        counts,
        moves,
        halfGap,
        centreGaps,
        maxMoveIndex,
        maxMove,
        secondMove,
        awake,
        awakeCount,
        scratch,
      );
    }
    iterations++;

    // Within tolerance: the pass just made relabelled every point to the final centroids, as
    // scikit-learn's closing assignment step does; the centroids are not moved again.
    if (withinTolerance) break;
    if (changes === 0) {
      if (confirming) iterations--;
      if (sumsExact) break;
      recomputeSums(data, n, d, labels, sums, counts);
      sumsExact = true;
      confirming = true;
    } else {
      sumsExact = false;
      confirming = false;
    }
  }

  const result = { data: Float64Array.from(centroids), rows: k, cols: d };
  const inertia = computeInertia(X, result, labels);
  return { k, centroids: result, labels, inertia, iterations, bestInit: 0 };
}

/**
 * Turns the seeding's squared distances into Hamerly upper bounds and sums the rows per cluster
 * (ascending row order, as `recomputeSums`).
 */
function seededBounds(
  data: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  closest: Float64Array,
  upper: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    upper[i] = Math.sqrt(closest[i]!);
    const a = labels[i]!;
    counts[a]!++;
    addRow(data, i * d, sums, a * d, d);
  }
}

/**
 * Adds the row at `from` into `sums` at `to`, four columns per step: each sum gets the same
 * additions in the same order as a plain loop, with a quarter of the loop overhead (about twice as
 * fast on 17 columns).
 */
function addRow(data: Float64Array, from: number, sums: Float64Array, to: number, d: number): void {
  const end = from + d;
  let f = from;
  let s = to;
  for (; f + 3 < end; f += 4, s += 4) {
    sums[s]! += data[f]!;
    sums[s + 1]! += data[f + 1]!;
    sums[s + 2]! += data[f + 2]!;
    sums[s + 3]! += data[f + 3]!;
  }
  for (; f < end; f++, s++) sums[s]! += data[f]!;
}

/** Subtracts the row at `from` from `sums` at `to`, four columns per step as `addRow`. */
function subtractRow(data: Float64Array, from: number, sums: Float64Array, to: number, d: number): void {
  const end = from + d;
  let f = from;
  let s = to;
  for (; f + 3 < end; f += 4, s += 4) {
    sums[s]! -= data[f]!;
    sums[s + 1]! -= data[f + 1]!;
    sums[s + 2]! -= data[f + 2]!;
    sums[s + 3]! -= data[f + 3]!;
  }
  for (; f < end; f++, s++) sums[s]! -= data[f]!;
}

/**
 * Labels every row with its nearest centroid, sets both Hamerly bounds exactly, and sums the rows
 * per cluster (ascending row order, as `recomputeSums`).
 */
function fullAssign(
  data: Float64Array,
  n: number,
  d: number,
  centroids: Float64Array,
  k: number,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
): void {
  const { indices, dists } = createScratch(k);
  // The first (up to) four centroids are measured together. A later one more than twice as far
  // from the nearest of those as the point is cannot be nearer (triangle inequality): it is skipped,
  // its distance bounded below by that gap minus the point's distance. The rest are measured
  // together as well, which is where the speed is (one distance at a time is about four times
  // slower per distance).
  const head = Math.min(k, 4);
  const { indices: rest, dists: restDists } = createScratch(k);
  for (let j = 0; j < head; j++) indices[j] = j;
  const gaps = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++)
      gaps[a * k + b] = Math.sqrt(squaredBetween(centroids, a * d, centroids, b * d, d));
  }
  for (let i = 0; i < n; i++) {
    const offset = i * d;
    distancesTo(data, offset, centroids, d, indices, head, dists);
    let best = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    let bestJ = 0;
    for (let j = 0; j < head; j++) {
      const dist = dists[j]!;
      if (dist < best) {
        second = best;
        best = dist;
        bestJ = j;
      } else if (dist < second) {
        second = dist;
      }
    }
    // From here on `second` bounds the distance itself, not its square.
    second = Math.sqrt(second);
    let own = Math.sqrt(best);
    if (head < k) {
      const gapRow = bestJ * k;
      const reach = 2 * own;
      let count = 0;
      for (let j = head; j < k; j++) {
        const gap = gaps[gapRow + j]!;
        if (gap > reach) second = Math.min(second, gap - own);
        else rest[count++] = j;
      }
      distancesTo(data, offset, centroids, d, rest, count, restDists);
      for (let q = 0; q < count; q++) {
        const dist = restDists[q]!;
        if (dist < best) {
          second = Math.min(second, own);
          best = dist;
          bestJ = rest[q]!;
          own = Math.sqrt(dist);
        } else {
          second = Math.min(second, Math.sqrt(dist));
        }
      }
    }
    labels[i] = bestJ;
    upper[i] = own;
    lower[i] = second;
    counts[bestJ]!++;
    addRow(data, offset, sums, bestJ * d, d);
  }
}

function recomputeSums(
  data: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  sums: Float64Array,
  counts: Float64Array,
): void {
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const a = labels[i]!;
    counts[a]!++;
    addRow(data, i * d, sums, a * d, d);
  }
}

/**
 * Gives every empty cluster the point farthest from its own centroid (taken from a cluster that
 * keeps at least one member), as scikit-learn does. Returns whether anything moved. Bounds are
 * loosened so the next pass re-examines every point against the moved centroids.
 */
function relocateEmptyClusters(
  data: Float64Array,
  n: number,
  d: number,
  centroids: Float64Array,
  k: number,
  labels: Int32Array,
  sums: Float64Array,
  counts: Float64Array,
  upper: Float64Array,
  lower: Float64Array,
): boolean {
  let moved = false;
  for (let j = 0; j < k; j++) {
    if (counts[j]! > 0) continue;
    let farthest = -1;
    let farthestDist = 0;
    for (let i = 0; i < n; i++) {
      const a = labels[i]!;
      if (counts[a]! < 2) continue;
      const dist = squaredBetween(data, i * d, centroids, a * d, d);
      if (dist > farthestDist) {
        farthestDist = dist;
        farthest = i;
      }
    }
    if (farthest < 0) continue;
    const from = labels[farthest]! * d;
    const to = j * d;
    const offset = farthest * d;
    for (let t = 0; t < d; t++) {
      const value = data[offset + t]!;
      sums[from + t]! -= value;
      sums[to + t] = value;
    }
    counts[labels[farthest]!]!--;
    counts[j] = 1;
    labels[farthest] = j;
    centroids.set(data.subarray(offset, offset + d), to);
    moved = true;
  }
  if (moved) {
    for (let i = 0; i < n; i++) {
      upper[i] = Number.POSITIVE_INFINITY;
      lower[i] = 0;
    }
  }
  return moved;
}

/**
 * A full Hamerly pass over every point. Sleeping points first get their bounds brought up to date
 * from the drift accumulated since they fell asleep. Afterwards every point is put to sleep or kept
 * awake for the next epoch: awake when its slack (lower minus upper bound) is below `sleepSlack`.
 * Fills `awake` with the awake indices in ascending order and stores their count in `stats[0]`.
 * Returns how many points changed cluster.
 */
function fullPass(
  data: Float64Array,
  n: number,
  d: number,
  centroids: Float64Array,
  k: number,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
  moves: Float64Array,
  halfGap: Float64Array,
  centreGaps: Float64Array,
  maxMoveIndex: number,
  maxMove: number,
  secondMove: number,
  asleep: Uint8Array,
  drift: Float64Array,
  driftTotal: number,
  awake: Int32Array,
  sleepSlack: number,
  stats: Int32Array,
  scratch: Scratch,
): number {
  let changes = 0;
  let awakeCount = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i]!;
    let u: number;
    let l: number;
    if (asleep[i] === 1) {
      u = upper[i]! + drift[a]!;
      l = lower[i]! - driftTotal;
    } else {
      u = upper[i]! + moves[a]!;
      l = lower[i]! - (a === maxMoveIndex ? secondMove : maxMove);
    }
    const half = halfGap[a]!;
    if (u <= Math.max(half, l)) {
      upper[i] = u;
      // Every other centroid is at least 2 * half from this point's centroid.
      lower[i] = Math.max(l, 2 * half - u);
    } else {
      changes += examinePoint(
        data,
        d,
        centroids,
        k,
        labels,
        upper,
        lower,
        sums,
        counts,
        centreGaps,
        i,
        a,
        half,
        l,
        scratch,
      );
    }
    if (lower[i]! - upper[i]! >= sleepSlack) {
      asleep[i] = 1;
    } else {
      asleep[i] = 0;
      awake[awakeCount++] = i;
    }
  }
  stats[0] = awakeCount;
  return changes;
}

/** A Hamerly pass over the awake points only. Returns how many changed cluster. */
function awakePass(
  data: Float64Array,
  d: number,
  centroids: Float64Array,
  k: number,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
  moves: Float64Array,
  halfGap: Float64Array,
  centreGaps: Float64Array,
  maxMoveIndex: number,
  maxMove: number,
  secondMove: number,
  awake: Int32Array,
  awakeCount: number,
  scratch: Scratch,
): number {
  let changes = 0;
  for (let index = 0; index < awakeCount; index++) {
    const i = awake[index]!;
    const a = labels[i]!;
    const u = upper[i]! + moves[a]!;
    const l = lower[i]! - (a === maxMoveIndex ? secondMove : maxMove);
    const half = halfGap[a]!;
    if (u <= Math.max(half, l)) {
      upper[i] = u;
      lower[i] = Math.max(l, 2 * half - u);
    } else {
      changes += examinePoint(
        data,
        d,
        centroids,
        k,
        labels,
        upper,
        lower,
        sums,
        counts,
        centreGaps,
        i,
        a,
        half,
        l,
        scratch,
      );
    }
  }
  return changes;
}

/**
 * The check for a point whose bounds failed: tightens the upper bound, and if that is not enough
 * makes Lloyd's nearest-centroid choice (the lowest index on an exact tie), skipping every centroid
 * more than twice as far from the point's centroid as the point is (it cannot be nearer). Moves the
 * point between clusters when needed, keeping `sums` and `counts` current. Returns 1 if it moved.
 */
function examinePoint(
  data: Float64Array,
  d: number,
  centroids: Float64Array,
  k: number,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
  centreGaps: Float64Array,
  i: number,
  a: number,
  half: number,
  l: number,
  scratch: Scratch,
): number {
  const offset = i * d;
  const ownSquared = squaredBetween(data, offset, centroids, a * d, d);
  const own = Math.sqrt(ownSquared);
  if (own <= Math.max(half, l)) {
    upper[i] = own;
    lower[i] = Math.max(l, 2 * half - own);
    return 0;
  }

  let best = ownSquared;
  let bestJ = a;
  let secondSquared = Number.POSITIVE_INFINITY;
  let secondBound = Number.POSITIVE_INFINITY;
  const gapRow = a * k;
  const reach = 2 * own;
  let count = 0;
  for (let j = 0; j < k; j++) {
    if (j === a) continue;
    const gap = centreGaps[gapRow + j]!;
    if (gap > reach) secondBound = Math.min(secondBound, gap - own);
    else scratch.indices[count++] = j;
  }
  distancesTo(data, offset, centroids, d, scratch.indices, count, scratch.dists);
  for (let q = 0; q < count; q++) {
    const j = scratch.indices[q]!;
    const dist = scratch.dists[q]!;
    if (dist < best || (dist === best && j < bestJ)) {
      secondSquared = best;
      best = dist;
      bestJ = j;
    } else if (dist < secondSquared) {
      secondSquared = dist;
    }
  }
  upper[i] = Math.sqrt(best);
  lower[i] = Math.min(Math.sqrt(secondSquared), secondBound);
  if (bestJ === a) return 0;
  subtractRow(data, offset, sums, a * d, d);
  addRow(data, offset, sums, bestJ * d, d);
  counts[a]!--;
  counts[bestJ]!++;
  labels[i] = bestJ;
  return 1;
}
