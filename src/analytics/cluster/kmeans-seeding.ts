/**
 * Greedy k-means++ seeding, as scikit-learn does it. Besides the centroids it leaves Hamerly state
 * behind in the workspace (each point's nearest centre, its squared distance, and a lower bound on
 * the distance to every other centre), so the first Lloyd iteration needs no full assignment pass.
 */
import type { Rng } from '../rng.js';
import type { Matrix } from '../types.js';
import { distancesTo, squaredBetween } from './distance-kernels.js';
import type { KMeansWorkspace } from './hamerly.js';

/** The seeding's view of the points: nearest centre so far, its squared distance, Hamerly's l. */
interface SeedingState {
  data: Float64Array;
  n: number;
  d: number;
  k: number;
  /** Nearest centre so far. */
  labels: Int32Array;
  /** Squared distance to the nearest centre so far. */
  closest: Float64Array;
  /** Lower bound on the distance to every centre but the nearest. */
  lower: Float64Array;
}

/** The candidates drawn for one new centre. */
interface Candidates {
  count: number;
  /** The candidates' rows (count x d). */
  rows: Float64Array;
  /** gaps[t * k + j]: squared distance from candidate t to centre j. */
  gaps: Float64Array;
  /** The potential each candidate would leave. */
  potentials: Float64Array;
  /** measured[t * n + i]: squared distance from point i to candidate t, where it was needed. */
  measured: Float64Array;
}

/**
 * Every new centre is the best (lowest resulting potential) of 2 + floor(ln k) candidates drawn with
 * probability proportional to the squared distance to the nearest centre so far. Returns the k x d
 * centroids (row-major) and marks the workspace as seeded.
 */
export function seedKMeansPlusPlus(X: Matrix, k: number, rng: Rng, ws: KMeansWorkspace): Float64Array {
  const { rows: n, cols: d, data } = X;
  const centroids = new Float64Array(k * d);
  if (ws.closest.length < n) {
    ws.closest = new Float64Array(n);
    ws.cumulative = new Float64Array(n);
  }
  const { labels, closest, cumulative, lower } = ws;
  const state: SeedingState = { data, n, d, k, labels, closest, lower };
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

  if (ws.trialDists.length < trials * n) ws.trialDists = new Float64Array(trials * n);
  const candidates: Candidates = {
    count: trials,
    rows: new Float64Array(trials * d),
    gaps: new Float64Array(trials * k),
    potentials: new Float64Array(trials),
    measured: ws.trialDists,
  };
  const { rows, gaps, potentials } = candidates;
  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let i = 0; i < n; i++) {
      running += closest[i]!;
      cumulative[i] = running;
    }
    for (let t = 0; t < trials; t++) {
      const candidate = potential > 0 ? searchSorted(cumulative, rng.next() * potential) : rng.int(n);
      rows.set(data.subarray(candidate * d, (candidate + 1) * d), t * d);
      for (let j = 0; j < c; j++) gaps[t * k + j] = squaredBetween(rows, t * d, centroids, j * d, d);
    }
    evaluateCandidates(state, candidates);
    let best = 0;
    for (let t = 1; t < trials; t++) if (potentials[t]! < potentials[best]!) best = t;

    centroids.set(rows.subarray(best * d, (best + 1) * d), c * d);
    potential = addCentre(state, candidates, best, c);
  }
  ws.seeded = true;
  return centroids;
}

/**
 * The potential (sum over points of the squared distance to the nearest centre) each candidate
 * would leave, all candidates in one pass over the data. A candidate at least twice as far from a
 * point's centre as the point itself cannot be nearer than that centre (triangle inequality), so
 * most of these distances are never computed. The ones computed are kept in `measured` for
 * `addCentre`.
 */
function evaluateCandidates(state: SeedingState, candidates: Candidates): void {
  const { data, n, d, k, closest, labels } = state;
  const { count: trials, rows, gaps, potentials, measured } = candidates;
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
    distancesTo(data, i * d, rows, d, needed, count, dists);
    for (let q = 0; q < count; q++) {
      const t = needed[q]!;
      const dist = dists[q]!;
      measured[t * n + i] = dist;
      potentials[t]! += Math.min(dist, current);
    }
  }
}

/**
 * Makes candidate `best` centre `c`: updates each point's nearest centre and squared distance, and
 * keeps `lower` a lower bound on the distance to every centre but the nearest (Hamerly's l), so the
 * iterations can start without a full assignment pass. The squared distance from a point to the new
 * centre is known wherever the gap test below fails: `evaluateCandidates` measured it under the same
 * test. Returns the new potential.
 */
function addCentre(state: SeedingState, candidates: Candidates, best: number, c: number): number {
  const { n, k, closest, labels, lower } = state;
  const gapRow = best * k;
  const measuredRow = best * n;
  const { gaps, measured } = candidates;
  let potential = 0;
  for (let i = 0; i < n; i++) {
    const current = closest[i]!;
    const gap = gaps[gapRow + labels[i]!]!;
    if (gap >= 4 * current) {
      // The new centre is at least sqrt(gap) - sqrt(current) away from the point.
      lower[i] = Math.min(lower[i]!, Math.sqrt(gap) - Math.sqrt(current));
    } else {
      const dist = measured[measuredRow + i]!;
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
