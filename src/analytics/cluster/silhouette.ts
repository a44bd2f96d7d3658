/**
 * Silhouette score (mean over points of (b - a) / max(a, b), Euclidean distances). Exact on all rows
 * up to `maxExact` rows; above that, exact on a seeded random sample of `sampleSize` rows. The pair
 * pass costs about 20-30 ns per pair of 17-feature rows whatever the number of labellings scored
 * together, so 20,000 rows (200 million pairs) take a few seconds; the default sample of 5,000 rows
 * (12.5 million pairs) takes well under a second, while the sampling error of the mean (per-point
 * silhouettes spread about 0.2, so roughly 0.2 / sqrt(5000) = 0.003) stays below the gaps between k
 * that matter.
 */
import type { Matrix } from '../types.js';
import { distanceBlock } from './distance-kernels.js';
import { selectRows } from './matrix.js';
import { sampleIndices } from './sample-rows.js';

export { sampleIndices };

export const SILHOUETTE_DEFAULTS = { maxExact: 20_000, sampleSize: 5_000 } as const;

export interface SilhouetteOptions {
  /** Compute on all rows up to this many rows (default 20,000). */
  maxExact?: number;
  /** Rows in the seeded sample used above `maxExact` (default 5,000). */
  sampleSize?: number;
  seed: number;
}

export interface SilhouetteResult {
  score: number;
  /** True when every row was used. */
  exact: boolean;
  /** How many rows the score was computed on. */
  size: number;
}

/**
 * Silhouette of `labels` (values in 0..k-1) on the rows of `X`. A point alone in its cluster scores
 * 0, as does a labelling with fewer than two non-empty clusters among the rows used.
 */
export function silhouetteScore(
  X: Matrix,
  labels: Int32Array,
  k: number,
  options: SilhouetteOptions,
): SilhouetteResult {
  const [result] = silhouetteScores(X, [{ labels, k }], options);
  return result!;
}

/**
 * Silhouettes of several labellings of the same rows (for example one per k), computed on one shared
 * sample with each pairwise distance computed once for all of them.
 */
export function silhouetteScores(
  X: Matrix,
  labellings: readonly { labels: Int32Array; k: number }[],
  options: SilhouetteOptions,
): SilhouetteResult[] {
  const n = X.rows;
  for (const { labels, k } of labellings) {
    if (labels.length !== n) throw new RangeError(`labels has ${labels.length} entries, X has ${n} rows`);
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  }
  const maxExact = options.maxExact ?? SILHOUETTE_DEFAULTS.maxExact;
  const sampleSize = options.sampleSize ?? SILHOUETTE_DEFAULTS.sampleSize;
  const exact = n <= maxExact || sampleSize >= n;
  const rows = exact ? null : sampleIndices(n, sampleSize, options.seed);
  const sample = rows === null ? X : selectRows(X, rows);
  const m = sample.rows;

  // One column block per labelling: sums[i * width + offset[t] + cluster] accumulates distances from
  // point i to the members of `cluster` under labelling t.
  const count = labellings.length;
  const offsets = new Int32Array(count);
  let width = 0;
  for (let t = 0; t < count; t++) {
    offsets[t] = width;
    width += labellings[t]!.k;
  }
  const codes = new Int32Array(m * count);
  const sizes = new Float64Array(width);
  for (let t = 0; t < count; t++) {
    const { labels, k } = labellings[t]!;
    for (let i = 0; i < m; i++) {
      const label = labels[rows === null ? i : rows[i]!]!;
      if (label < 0 || label >= k) throw new RangeError(`label ${label} is outside 0..${k - 1}`);
      codes[i * count + t] = offsets[t]! + label;
      sizes[offsets[t]! + label]!++;
    }
  }

  const sums = accumulateDistances(sample, codes, count, width);

  const results: SilhouetteResult[] = [];
  for (let t = 0; t < count; t++) {
    const { k } = labellings[t]!;
    const offset = offsets[t]!;
    let present = 0;
    for (let c = 0; c < k; c++) if (sizes[offset + c]! > 0) present++;
    let total = 0;
    if (present >= 2) {
      for (let i = 0; i < m; i++) {
        const own = codes[i * count + t]!;
        const ownSize = sizes[own]!;
        if (ownSize <= 1) continue;
        const a = sums[i * width + own]! / (ownSize - 1);
        let b = Number.POSITIVE_INFINITY;
        for (let c = offset; c < offset + k; c++) {
          if (c === own || sizes[c] === 0) continue;
          const mean = sums[i * width + c]! / sizes[c]!;
          if (mean < b) b = mean;
        }
        const denominator = Math.max(a, b);
        if (denominator > 0) total += (b - a) / denominator;
      }
    }
    results.push({ score: m > 0 ? total / m : 0, exact, size: m });
  }
  return results;
}

/** Rows per tile of the pair pass: a tile's distances (TILE x TILE) stay in the first-level cache. */
const TILE = 64;

/**
 * For every pair of rows, adds their distance to both rows' per-cluster sums, for every labelling.
 *
 * Rows are first ordered by their tuple of codes across all labellings, so rows that every labelling
 * puts together ("atoms") are contiguous. Pairs are visited in TILE x TILE tiles: the tile's
 * distances are computed once into a scratch block (each square root shared by every labelling),
 * then summed over each run of same-atom partners with a plain running sum, and only a run's total
 * is added to the per-labelling sums. With k-means labellings a tile row crosses few atom
 * boundaries, so the per-labelling additions fall from one per pair to a few per tile row.
 *
 * The order of additions is fixed by the data and labellings alone, so the result is deterministic;
 * it differs from a plain double loop only by rounding.
 */
function accumulateDistances(sample: Matrix, codes: Int32Array, count: number, width: number): Float64Array {
  const { rows: m, cols: d, data } = sample;
  const order = orderByAtom(codes, count, m);
  // Atom of each ordered position, the end of its run, and each atom's codes.
  const atomOf = new Int32Array(m);
  const atomEnd: number[] = [];
  const atomCodes: number[] = [];
  for (let p = 0; p < m; p++) {
    const row = order[p]!;
    if (p > 0 && compareCodes(codes, count, order[p - 1]!, row) !== 0) atomEnd.push(p);
    if (p === 0 || atomEnd.length === atomCodes.length / count) {
      for (let t = 0; t < count; t++) atomCodes.push(codes[row * count + t]!);
    }
    atomOf[p] = atomCodes.length / count - 1;
  }
  atomEnd.push(m);
  const ends = Int32Array.from(atomEnd);
  const atomCode = Int32Array.from(atomCodes);

  const ordered = new Float64Array(m * d);
  for (let p = 0; p < m; p++) ordered.set(data.subarray(order[p]! * d, order[p]! * d + d), p * d);

  const orderedSums = new Float64Array(m * width);
  const block = new Float64Array(TILE * TILE);
  const column = new Float64Array(TILE);
  for (let iTile = 0; iTile < m; iTile += TILE) {
    const iEnd = Math.min(iTile + TILE, m);
    for (let jTile = iTile; jTile < m; jTile += TILE) {
      const jEnd = Math.min(jTile + TILE, m);
      distanceBlock(ordered, d, iTile, iEnd, jTile, jEnd, block, TILE);
      const cols = jEnd - jTile;
      // A diagonal tile holds both (i, j) and (j, i): its rows alone see every pair. Off the diagonal
      // each distance also goes to the column's sums, summed per run of one atom of tile rows.
      const mirror = jTile !== iTile;
      let i = iTile;
      while (i < iEnd) {
        const iAtom = atomOf[i]!;
        const iRunEnd = Math.min(ends[iAtom]!, iEnd);
        if (mirror) column.fill(0, 0, cols);
        for (let r = i; r < iRunEnd; r++) {
          const rowStart = (r - iTile) * TILE - jTile;
          const base = r * width;
          let j = jTile;
          // Each tile row: its distances to the tile's columns, summed per run of one atom.
          while (j < jEnd) {
            const atom = atomOf[j]!;
            const runEnd = Math.min(ends[atom]!, jEnd);
            let sum = 0;
            if (mirror) {
              for (let q = j; q < runEnd; q++) {
                const value = block[rowStart + q]!;
                sum += value;
                column[q - jTile]! += value;
              }
            } else {
              for (let q = j; q < runEnd; q++) sum += block[rowStart + q]!;
            }
            const codeBase = atom * count;
            for (let t = 0; t < count; t++) orderedSums[base + atomCode[codeBase + t]!]! += sum;
            j = runEnd;
          }
        }
        if (mirror) {
          const codeBase = iAtom * count;
          for (let q = 0; q < cols; q++) {
            const sum = column[q]!;
            const base = (jTile + q) * width;
            for (let t = 0; t < count; t++) orderedSums[base + atomCode[codeBase + t]!]! += sum;
          }
        }
        i = iRunEnd;
      }
    }
  }

  const sums = new Float64Array(m * width);
  for (let p = 0; p < m; p++) {
    sums.set(orderedSums.subarray(p * width, p * width + width), order[p]! * width);
  }
  return sums;
}

/** Row indices sorted by their codes across all labellings (ties by index, so the order is fixed). */
function orderByAtom(codes: Int32Array, count: number, m: number): Int32Array {
  const order = Array.from({ length: m }, (_, i) => i);
  order.sort((a, b) => compareCodes(codes, count, a, b) || a - b);
  return Int32Array.from(order);
}

function compareCodes(codes: Int32Array, count: number, a: number, b: number): number {
  const aBase = a * count;
  const bBase = b * count;
  for (let t = 0; t < count; t++) {
    const diff = codes[aBase + t]! - codes[bBase + t]!;
    if (diff !== 0) return diff;
  }
  return 0;
}
