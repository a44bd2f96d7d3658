/**
 * Lloyd's algorithm accelerated with Hamerly's bounds.
 *
 * Hamerly keeps, per point, an upper bound on the distance to its own centroid and a lower bound on
 * the distance to every other centroid. When the bounds prove the assignment cannot change, the point
 * is skipped without computing any distance; otherwise the same nearest-centroid test as Lloyd's is
 * made. The iterations therefore visit exactly the assignments plain Lloyd visits from the same
 * starting centroids (up to exact distance ties) and stop at the same fixed point. On top of that,
 * points far from any border sleep through whole epochs (see `lloydHamerly`), and the seeding leaves
 * valid bounds behind so the first iteration needs no full pass.
 */
import type { Matrix } from '../types.js';
import { distancesTo, squaredBetween } from './distance-kernels.js';

/** Options for a single run from given starting centroids. */
export interface KMeansRunOptions {
  maxIterations?: number;
  /**
   * Stop once no centroid moves more than this (squared distance). 0, the default, runs until no
   * assignment changes, which is an exact Lloyd fixed point.
   */
  tolerance?: number;
}

/** Per-point buffers of one k-means fit, reused across its restarts. */
export interface KMeansWorkspace {
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

export function createWorkspace(n: number): KMeansWorkspace {
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

/** Small buffers for the centroid scan of one point. */
export interface Scratch {
  indices: Int32Array;
  dists: Float64Array;
}

export function createScratch(k: number): Scratch {
  return { indices: new Int32Array(k), dists: new Float64Array(k) };
}

/** Everything a Hamerly pass reads and writes, by name, so no two arrays can be swapped. */
interface HamerlyState {
  data: Float64Array;
  n: number;
  d: number;
  /** k x d, row-major. */
  centroids: Float64Array;
  k: number;
  labels: Int32Array;
  /** Upper bound on the distance to the own centroid (Hamerly's u). */
  upper: Float64Array;
  /** Lower bound on the distance to any other centroid (Hamerly's l). */
  lower: Float64Array;
  /** Per-cluster sums of the member rows (k x d) and member counts, kept current as points move. */
  sums: Float64Array;
  counts: Float64Array;
  /** 1 for points set aside until the next full pass. */
  asleep: Uint8Array;
  /** awake[0..awakeCount): the points examined between full passes, in ascending order. */
  awake: Int32Array;
  awakeCount: number;
  scratch: Scratch;
}

/** How the centroids moved in the last update and where they now stand relative to each other. */
interface CentroidMoves {
  /** Distance each centroid moved. */
  moves: Float64Array;
  maxMove: number;
  maxMoveIndex: number;
  secondMove: number;
  /** Half the distance from each centroid to its nearest other centroid. */
  halfGap: Float64Array;
  /** centreGaps[a * k + b]: distance between centroids a and b. */
  centreGaps: Float64Array;
  /** Moves accumulated since the last full pass, per centroid and the largest per iteration. */
  drift: Float64Array;
  driftTotal: number;
}

/**
 * How long a point may sleep: at each full pass, points whose bounds leave more than
 * 2 * EPOCH_FACTOR * (largest centroid move) of slack are set aside, and only the others are
 * examined until the centroids have moved that much in total. Late iterations, where centroids creep,
 * then touch only the points near cluster borders.
 */
const EPOCH_FACTOR = 8;

/** The outcome of `lloydHamerly`: final centroids (a copy), labels and assignment passes. */
export interface HamerlyFit {
  centroids: Matrix;
  labels: Int32Array;
  iterations: number;
}

/**
 * Lloyd iterations accelerated with Hamerly's bounds. `centroids` is updated in place; the returned
 * labels are the workspace's. When `useSeed` is set the labels and bounds left by the seeding are
 * reused, which saves the first full assignment pass.
 *
 * On top of Hamerly's per-iteration test, points are put to sleep in epochs: a sleeping point's
 * bounds are brought up to date from the accumulated centroid moves only at the next full pass, and
 * its assignment provably cannot change before then (its upper bound grows and its lower bound
 * shrinks by at most the accumulated largest move each).
 */
export function lloydHamerly(
  X: Matrix,
  centroids: Float64Array,
  options: Required<KMeansRunOptions>,
  ws: KMeansWorkspace,
  useSeed: boolean,
): HamerlyFit {
  const { rows: n, cols: d, data } = X;
  const k = centroids.length / d;
  const state: HamerlyState = {
    data,
    n,
    d,
    centroids,
    k,
    labels: ws.labels,
    upper: ws.upper,
    lower: ws.lower,
    sums: new Float64Array(k * d),
    counts: new Float64Array(k),
    asleep: ws.asleep,
    awake: ws.awake,
    awakeCount: 0,
    scratch: createScratch(k),
  };
  // Both starts add the rows to their cluster sums in ascending order, as `recomputeSums` does, in
  // the same pass that labels them: one pass over the data fewer.
  if (useSeed && ws.seeded) seededBounds(state, ws.closest);
  else fullAssign(state);
  ws.seeded = false;

  const previous = new Float64Array(k * d);
  const step: CentroidMoves = {
    moves: new Float64Array(k),
    maxMove: 0,
    maxMoveIndex: -1,
    secondMove: 0,
    halfGap: new Float64Array(k),
    centreGaps: new Float64Array(k * k),
    drift: new Float64Array(k),
    driftTotal: Number.POSITIVE_INFINITY,
  };
  let budget = 0;
  state.asleep.fill(0);

  // Counted as assignment passes, the initial one included, as scikit-learn and ml-kmeans count.
  let iterations = 1;
  // Incremental sums drift by rounding; a run only ends once a pass over freshly summed centroids
  // changes nothing, so the result is an exact fixed point with centroids equal to the cluster means.
  // That confirming pass is not counted when it changes nothing.
  let sumsExact = true;
  let confirming = false;

  while (iterations < options.maxIterations) {
    previous.set(centroids);
    if (relocateEmptyClusters(state)) {
      sumsExact = false;
      step.driftTotal = Number.POSITIVE_INFINITY;
    }
    moveCentroidsToMeans(state);
    const maxSquaredMove = measureMoves(state, previous, step);
    const withinTolerance = options.tolerance > 0 && maxSquaredMove <= options.tolerance;
    measureCentreGaps(state, step);

    let changes: number;
    // A new epoch when the sleepers' margin is used up, or when moves have shrunk so much that a
    // smaller margin would put many more points to sleep.
    if (step.driftTotal > budget || 4 * EPOCH_FACTOR * step.maxMove < budget) {
      budget = EPOCH_FACTOR * step.maxMove;
      changes = fullPass(state, step, 2 * budget);
      step.drift.fill(0);
      step.driftTotal = 0;
    } else {
      changes = awakePass(state, step);
    }
    iterations++;

    // Within tolerance: the pass just made relabelled every point to the final centroids, as
    // scikit-learn's closing assignment step does; the centroids are not moved again.
    if (withinTolerance) break;
    if (changes === 0) {
      if (confirming) iterations--;
      if (sumsExact) break;
      recomputeSums(state);
      sumsExact = true;
      confirming = true;
    } else {
      sumsExact = false;
      confirming = false;
    }
  }

  return {
    centroids: { data: Float64Array.from(centroids), rows: k, cols: d },
    labels: state.labels,
    iterations,
  };
}

/** Sets every non-empty cluster's centroid to the mean of its members. */
function moveCentroidsToMeans(state: HamerlyState): void {
  const { centroids, d, k, sums, counts } = state;
  for (let j = 0; j < k; j++) {
    const count = counts[j]!;
    if (count === 0) continue;
    const offset = j * d;
    for (let t = 0; t < d; t++) centroids[offset + t] = sums[offset + t]! / count;
  }
}

/**
 * Records how far each centroid moved from `previous`, the largest and second-largest move, and
 * adds the moves to the drift. Returns the largest squared move.
 */
function measureMoves(state: HamerlyState, previous: Float64Array, step: CentroidMoves): number {
  const { centroids, d, k } = state;
  const { moves, drift } = step;
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
  step.maxMove = maxMove;
  step.secondMove = secondMove;
  step.maxMoveIndex = maxMoveIndex;
  step.driftTotal += maxMove;
  return maxSquaredMove;
}

/** Distances between all centroids, and half the distance from each to its nearest neighbour. */
function measureCentreGaps(state: HamerlyState, step: CentroidMoves): void {
  const { centroids, d, k } = state;
  const { centreGaps, halfGap } = step;
  for (let j = 0; j < k; j++) {
    let nearest = Number.POSITIVE_INFINITY;
    for (let other = 0; other < k; other++) {
      const gap = other === j ? 0 : Math.sqrt(squaredBetween(centroids, j * d, centroids, other * d, d));
      centreGaps[j * k + other] = gap;
      if (other !== j) nearest = Math.min(nearest, gap);
    }
    halfGap[j] = 0.5 * nearest;
  }
}

/**
 * Turns the seeding's squared distances into Hamerly upper bounds and sums the rows per cluster
 * (ascending row order, as `recomputeSums`).
 */
function seededBounds(state: HamerlyState, closest: Float64Array): void {
  const { data, n, d, labels, upper, sums, counts } = state;
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
function fullAssign(state: HamerlyState): void {
  const { data, n, d, centroids, k, labels, upper, lower, sums, counts } = state;
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

function recomputeSums(state: HamerlyState): void {
  const { data, n, d, labels, sums, counts } = state;
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
function relocateEmptyClusters(state: HamerlyState): boolean {
  const { data, n, d, centroids, k, labels, sums, counts, upper, lower } = state;
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
 * Fills `awake` with the awake indices in ascending order and sets `awakeCount`. Returns how many
 * points changed cluster.
 */
function fullPass(state: HamerlyState, step: CentroidMoves, sleepSlack: number): number {
  const { n, labels, upper, lower, asleep, awake } = state;
  const { moves, drift, driftTotal, maxMoveIndex, maxMove, secondMove } = step;
  let changes = 0;
  let awakeCount = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i]!;
    if (asleep[i] === 1) {
      changes += updatePoint(state, step, i, a, upper[i]! + drift[a]!, lower[i]! - driftTotal);
    } else {
      const l = lower[i]! - (a === maxMoveIndex ? secondMove : maxMove);
      changes += updatePoint(state, step, i, a, upper[i]! + moves[a]!, l);
    }
    if (lower[i]! - upper[i]! >= sleepSlack) {
      asleep[i] = 1;
    } else {
      asleep[i] = 0;
      awake[awakeCount++] = i;
    }
  }
  state.awakeCount = awakeCount;
  return changes;
}

/** A Hamerly pass over the awake points only. Returns how many changed cluster. */
function awakePass(state: HamerlyState, step: CentroidMoves): number {
  const { labels, upper, lower, awake, awakeCount } = state;
  const { moves, maxMoveIndex, maxMove, secondMove } = step;
  let changes = 0;
  for (let index = 0; index < awakeCount; index++) {
    const i = awake[index]!;
    const a = labels[i]!;
    const l = lower[i]! - (a === maxMoveIndex ? secondMove : maxMove);
    changes += updatePoint(state, step, i, a, upper[i]! + moves[a]!, l);
  }
  return changes;
}

/**
 * Brings point `i` (in cluster `a`, with bounds `u` on the distance to its centroid and `l` on the
 * distance to every other) up to date: by the bounds alone when they settle it, else by
 * `examinePoint`. Returns 1 if the point changed cluster.
 */
function updatePoint(
  state: HamerlyState,
  step: CentroidMoves,
  i: number,
  a: number,
  u: number,
  l: number,
): number {
  const half = step.halfGap[a]!;
  if (settleByBounds(state, i, u, l, half)) return 0;
  return examinePoint(state, step.centreGaps, i, a, half, l);
}

/**
 * Hamerly's test: the point keeps its centroid when its distance to it (at most `u`) is no more
 * than half the gap to the nearest other centroid or than its lower bound `l` on the distance to
 * every other centroid. Stores the bounds and returns true when the test holds.
 */
function settleByBounds(state: HamerlyState, i: number, u: number, l: number, half: number): boolean {
  if (u > Math.max(half, l)) return false;
  state.upper[i] = u;
  // Every other centroid is at least 2 * half from this point's centroid.
  state.lower[i] = Math.max(l, 2 * half - u);
  return true;
}

/**
 * The check for a point whose bounds failed: tightens the upper bound, and if that is not enough
 * makes Lloyd's nearest-centroid choice (the lowest index on an exact tie), skipping every centroid
 * more than twice as far from the point's centroid as the point is (it cannot be nearer). Moves the
 * point between clusters when needed, keeping `sums` and `counts` current. Returns 1 if it moved.
 */
function examinePoint(
  state: HamerlyState,
  centreGaps: Float64Array,
  i: number,
  a: number,
  half: number,
  l: number,
): number {
  const { data, d, centroids, k, scratch } = state;
  const offset = i * d;
  const ownSquared = squaredBetween(data, offset, centroids, a * d, d);
  const own = Math.sqrt(ownSquared);
  if (settleByBounds(state, i, own, l, half)) return 0;

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
  state.upper[i] = Math.sqrt(best);
  state.lower[i] = Math.min(Math.sqrt(secondSquared), secondBound);
  if (bestJ === a) return 0;
  const { sums, counts, labels } = state;
  subtractRow(data, offset, sums, a * d, d);
  addRow(data, offset, sums, bestJ * d, d);
  counts[a]!--;
  counts[bestJ]!++;
  labels[i] = bestJ;
  return 1;
}
