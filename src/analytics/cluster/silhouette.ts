/**
 * Silhouette score (mean over points of (b - a) / max(a, b), Euclidean distances). Exact on all rows
 * up to `maxExact` rows; above that, exact on a seeded random sample of `sampleSize` rows. The default
 * sample of 5,000 rows (12.5 million pairs) keeps the pair pass to about a second even when nine
 * labellings are scored together, while the sampling error of the mean (per-point silhouettes spread
 * about 0.2, so roughly 0.2 / sqrt(5000) = 0.003) stays below the gaps between k that matter.
 */
import type { Matrix } from '../types.js';
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

/** Rows per tile of the pair pass: a tile's per-cluster sums stay in the processor cache. */
const TILE = 128;

/**
 * For every pair of rows, adds their distance to both rows' per-cluster sums, for every labelling.
 * Pairs are visited in tiles of TILE x TILE rows so the partner rows' sums stay cached. Within a
 * tile four partner rows are handled at once: four independent sums per coordinate keep the
 * processor busy instead of waiting on one running sum. Every sum still receives its additions in
 * the same order as a plain double loop over i < j, so the result is identical to it.
 */
function accumulateDistances(sample: Matrix, codes: Int32Array, count: number, width: number): Float64Array {
  const { rows: m, cols: d, data } = sample;
  const sums = new Float64Array(m * width);
  for (let iTile = 0; iTile < m; iTile += TILE) {
    const iEnd = Math.min(iTile + TILE, m);
    for (let jTile = iTile; jTile < m; jTile += TILE) {
      const jEnd = Math.min(jTile + TILE, m);
      for (let i = iTile; i < iEnd; i++) {
        accumulateRow(data, d, sums, codes, count, width, i, Math.max(i + 1, jTile), jEnd);
      }
    }
  }
  return sums;
}

/** Pairs (i, j) for j in [from, to). */
function accumulateRow(
  data: Float64Array,
  d: number,
  sums: Float64Array,
  codes: Int32Array,
  count: number,
  width: number,
  i: number,
  from: number,
  to: number,
): void {
  const iOffset = i * d;
  const iBase = i * width;
  const iCodes = i * count;
  let j = from;
  for (; j + 3 < to; j += 4) {
    const o0 = j * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let c = 0; c < d; c++) {
      const x = data[iOffset + c]!;
      const e0 = x - data[o0 + c]!;
      const e1 = x - data[o1 + c]!;
      const e2 = x - data[o2 + c]!;
      const e3 = x - data[o3 + c]!;
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    addPair(sums, codes, count, width, iBase, iCodes, j, Math.sqrt(s0));
    addPair(sums, codes, count, width, iBase, iCodes, j + 1, Math.sqrt(s1));
    addPair(sums, codes, count, width, iBase, iCodes, j + 2, Math.sqrt(s2));
    addPair(sums, codes, count, width, iBase, iCodes, j + 3, Math.sqrt(s3));
  }
  for (; j < to; j++) {
    const jOffset = j * d;
    let squared = 0;
    for (let c = 0; c < d; c++) {
      const diff = data[iOffset + c]! - data[jOffset + c]!;
      squared += diff * diff;
    }
    addPair(sums, codes, count, width, iBase, iCodes, j, Math.sqrt(squared));
  }
}

function addPair(
  sums: Float64Array,
  codes: Int32Array,
  count: number,
  width: number,
  iBase: number,
  iCodes: number,
  j: number,
  dist: number,
): void {
  const jBase = j * width;
  const jCodes = j * count;
  for (let t = 0; t < count; t++) {
    sums[iBase + codes[jCodes + t]!]! += dist;
    sums[jBase + codes[iCodes + t]!]! += dist;
  }
}
