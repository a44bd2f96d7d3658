/**
 * Density-based clustering (DBSCAN) on a few PCA components, made to scale:
 * 1. the radius `eps` is read off the data: a quantile of the distance to the `minPoints`-th
 *    neighbour, measured on a seeded sample;
 * 2. DBSCAN runs on a seeded sample (20,000 rows by default) with a uniform grid of cell side
 *    `eps`, so a neighbour search looks at the 3^d cells around a point instead of every point;
 * 3. every customer then joins the cluster of any core point within `eps` (a grid lookup that
 *    usually stops at the first cell), or is an outlier.
 * Clusters smaller than `minClusterShare` of the customers count as outliers too: a pocket of a
 * few dozen customers is not a segment a campaign can target.
 */
import type { Matrix } from '../types.js';
import { selectRows } from './matrix.js';
import { sampleIndices } from './sample-rows.js';

export const DENSITY_DEFAULTS = {
  minPoints: 10,
  /** eps is this quantile of the distance to the minPoints-th neighbour. */
  epsQuantile: 0.95,
  fitSampleSize: 20_000,
  /** Rows whose neighbour distance is measured to choose eps. */
  epsSampleSize: 2_000,
  minClusterShare: 0.01,
  /** At most this many dense clusters are kept (largest first); the rest join the outliers. */
  maxClusters: 8,
} as const;

export interface DensityOptions {
  seed: number;
  minPoints?: number;
  epsQuantile?: number;
  /** A fixed radius instead of the quantile rule. */
  eps?: number;
  fitSampleSize?: number;
  epsSampleSize?: number;
  minClusterShare?: number;
  maxClusters?: number;
}

export interface DensityResult {
  /** Cluster per row, 0..clusters-1 largest first; -1 for an outlier. */
  labels: Int32Array;
  clusters: number;
  outliers: number;
  eps: number;
  minPoints: number;
  /** Rows DBSCAN itself ran on. */
  fitRows: number;
}

/** Grid cells are addressed by a single number: 17 bits per dimension, up to 3 dimensions. */
const CELL_BITS = 2 ** 17;
const MAX_DIMS = 3;

/** Points bucketed into cells of side `eps`: `order` lists point indices cell by cell. */
interface Grid {
  eps: number;
  dims: number;
  origin: Float64Array;
  cellStart: Map<number, number>;
  cellEnd: Map<number, number>;
  order: Int32Array;
  /** Key offsets of the 3^dims cells around (and including) a cell, own cell first. */
  around: number[];
}

function cellCoordinate(value: number, origin: number, eps: number): number {
  return Math.min(CELL_BITS - 1, Math.max(0, Math.floor((value - origin) / eps) + 1));
}

function cellKey(data: Float64Array, row: number, grid: Pick<Grid, 'dims' | 'origin' | 'eps'>): number {
  let key = 0;
  for (let j = grid.dims - 1; j >= 0; j--) {
    key = key * CELL_BITS + cellCoordinate(data[row * grid.dims + j]!, grid.origin[j]!, grid.eps);
  }
  return key;
}

function neighbourOffsets(dims: number): number[] {
  let offsets = [0];
  for (let j = 0; j < dims; j++) {
    const step = CELL_BITS ** j;
    offsets = offsets.flatMap((o) => [o, o - step, o + step]);
  }
  return offsets;
}

/** Buckets the rows `members` of `points` into a grid of side `eps`. */
function buildGrid(points: Matrix, members: Int32Array, eps: number, origin: Float64Array): Grid {
  const dims = points.cols;
  const base = { dims, origin, eps };
  const keys = new Float64Array(members.length);
  for (let t = 0; t < members.length; t++) keys[t] = cellKey(points.data, members[t]!, base);
  const sorted = Array.from(members.keys()).sort((a, b) => keys[a]! - keys[b]!);
  const order = new Int32Array(members.length);
  const cellStart = new Map<number, number>();
  const cellEnd = new Map<number, number>();
  sorted.forEach((t, position) => {
    order[position] = members[t]!;
    const key = keys[t]!;
    if (!cellStart.has(key)) cellStart.set(key, position);
    cellEnd.set(key, position + 1);
  });
  return { ...base, cellStart, cellEnd, order, around: neighbourOffsets(dims) };
}

function squaredGap(a: Float64Array, i: number, b: Float64Array, j: number, dims: number): number {
  let sum = 0;
  for (let t = 0; t < dims; t++) {
    const diff = a[i * dims + t]! - b[j * dims + t]!;
    sum += diff * diff;
  }
  return sum;
}

/**
 * Calls `visit(j)` for every grid member within eps of row `i` of `from`; stops early when `visit`
 * returns true (and then returns true).
 */
function forNeighbours(
  grid: Grid,
  gridPoints: Float64Array,
  from: Float64Array,
  i: number,
  visit: (j: number) => boolean | undefined,
): boolean {
  const key = cellKey(from, i, grid);
  const limit = grid.eps * grid.eps;
  for (const offset of grid.around) {
    const start = grid.cellStart.get(key + offset);
    if (start === undefined) continue;
    const end = grid.cellEnd.get(key + offset)!;
    for (let p = start; p < end; p++) {
      const j = grid.order[p]!;
      if (squaredGap(from, i, gridPoints, j, grid.dims) <= limit && visit(j)) return true;
    }
  }
  return false;
}

/** The `minPoints`-th neighbour distance of a seeded sample of rows, at the given quantile. */
function chooseEps(
  points: Matrix,
  minPoints: number,
  quantile: number,
  sampleSize: number,
  seed: number,
): number {
  const { rows: n, cols: dims, data } = points;
  const queries = sampleIndices(n, sampleSize, seed ^ 0x5eed);
  const kth = new Float64Array(queries.length);
  const nearest = new Float64Array(minPoints);
  queries.forEach((i, q) => {
    // A sorted list of the minPoints smallest distances seen so far (itself excluded).
    nearest.fill(Number.POSITIVE_INFINITY);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const distance = squaredGap(data, i, data, j, dims);
      if (distance >= nearest[minPoints - 1]!) continue;
      let t = minPoints - 1;
      while (t > 0 && nearest[t - 1]! > distance) {
        nearest[t] = nearest[t - 1]!;
        t--;
      }
      nearest[t] = distance;
    }
    kth[q] = Math.sqrt(nearest[minPoints - 1]!);
  });
  const finite = Array.from(kth)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const value = finite[Math.min(finite.length - 1, Math.floor(quantile * finite.length))] ?? 0;
  // Many identical customers give a zero distance; a zero radius would make every point its own cell.
  return value > 0 ? value : 1e-9;
}

function find(parent: Int32Array, i: number): number {
  let root = i;
  while (parent[root] !== root) root = parent[root]!;
  while (parent[i] !== root) {
    const next = parent[i]!;
    parent[i] = root;
    i = next;
  }
  return root;
}

/**
 * DBSCAN on the rows of `points` (at most 3 columns: the caller passes PCA components). Rows are
 * customers; the same data and seed give the same labels.
 */
export function densityCluster(points: Matrix, options: DensityOptions): DensityResult {
  const { rows: n, cols: dims, data } = points;
  if (dims < 1 || dims > MAX_DIMS)
    throw new RangeError(`density clustering takes 1 to 3 columns, got ${dims}`);
  const minPoints = options.minPoints ?? DENSITY_DEFAULTS.minPoints;
  const fitSize = options.fitSampleSize ?? DENSITY_DEFAULTS.fitSampleSize;
  const minShare = options.minClusterShare ?? DENSITY_DEFAULTS.minClusterShare;
  const maxClusters = options.maxClusters ?? DENSITY_DEFAULTS.maxClusters;
  if (n <= minPoints) throw new RangeError(`density clustering needs more than ${minPoints} rows, got ${n}`);

  const fitRows =
    n > fitSize ? sampleIndices(n, fitSize, options.seed) : Int32Array.from({ length: n }, (_, i) => i);
  const fit = selectRows(points, fitRows);
  const eps =
    options.eps ??
    chooseEps(
      fit,
      minPoints,
      options.epsQuantile ?? DENSITY_DEFAULTS.epsQuantile,
      options.epsSampleSize ?? DENSITY_DEFAULTS.epsSampleSize,
      options.seed,
    );

  const origin = new Float64Array(dims).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dims; j++) origin[j] = Math.min(origin[j]!, data[i * dims + j]!);

  // 1. Core points of the sample: at least minPoints sample rows (itself included) within eps.
  const m = fit.rows;
  const all = Int32Array.from({ length: m }, (_, r) => r);
  const sampleGrid = buildGrid(fit, all, eps, origin);
  const core = new Uint8Array(m);
  for (let r = 0; r < m; r++) {
    let count = 0;
    forNeighbours(sampleGrid, fit.data, fit.data, r, () => ++count >= minPoints);
    if (count >= minPoints) core[r] = 1;
  }

  // 2. Core points within eps of each other are one cluster.
  const coreRows = all.filter((r) => core[r] === 1);
  const coreGrid = buildGrid(fit, coreRows, eps, origin);
  const parent = Int32Array.from({ length: m }, (_, r) => r);
  for (const r of coreRows) {
    forNeighbours(coreGrid, fit.data, fit.data, r, (j) => {
      const a = find(parent, r);
      const b = find(parent, j);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      return false;
    });
  }

  // 3. Every row joins the cluster of a core point within eps, or is an outlier.
  const raw = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    forNeighbours(coreGrid, fit.data, data, i, (j) => {
      raw[i] = find(parent, j);
      return true;
    });
  }

  // 4. Clusters numbered largest first; small ones and those beyond maxClusters are outliers.
  const sizes = new Map<number, number>();
  for (let i = 0; i < n; i++) if (raw[i]! >= 0) sizes.set(raw[i]!, (sizes.get(raw[i]!) ?? 0) + 1);
  const kept = [...sizes.entries()]
    .filter(([, size]) => size >= Math.max(minPoints, minShare * n))
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, maxClusters);
  const newLabel = new Map(kept.map(([root], position) => [root, position]));
  const labels = new Int32Array(n);
  let outliers = 0;
  for (let i = 0; i < n; i++) {
    const label = raw[i]! >= 0 ? (newLabel.get(raw[i]!) ?? -1) : -1;
    labels[i] = label;
    if (label < 0) outliers++;
  }
  return { labels, clusters: kept.length, outliers, eps, minPoints, fitRows: m };
}
