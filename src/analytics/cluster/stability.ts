/**
 * How reproducible a clustering is: the agreement (adjusted Rand index) between a fit and fits of
 * the same k from other seeds on a subsample. Segments that come out differently with every seed
 * are an artefact of the starting points, not something a campaign should be built on.
 */
import type { Matrix } from '../types.js';
import { kmeans } from './kmeans.js';
import { selectRows } from './matrix.js';
import { sampleIndices } from './sample-rows.js';

/** Rows the stability refits run on, and how many other seeds are tried. */
export const STABILITY_DEFAULTS = { sampleSize: 3000, seeds: 2, nInit: 3 } as const;

/**
 * The adjusted Rand index of two labelings of the same rows: 1 for the same partition (whatever the
 * numbering), about 0 for agreement no better than chance.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n !== b.length) throw new RangeError('labelings differ in length');
  if (n < 2) return 1;
  const table = new Map<number, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  let ka = 0;
  for (let i = 0; i < n; i++) ka = Math.max(ka, a[i]! + 1);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const key = y * ka + x;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(x, (rows.get(x) ?? 0) + 1);
    cols.set(y, (cols.get(y) ?? 0) + 1);
  }
  const pairs = (m: number) => (m * (m - 1)) / 2;
  let index = 0;
  for (const m of table.values()) index += pairs(m);
  let sumA = 0;
  for (const m of rows.values()) sumA += pairs(m);
  let sumB = 0;
  for (const m of cols.values()) sumB += pairs(m);
  const expected = (sumA * sumB) / pairs(n);
  const max = (sumA + sumB) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/**
 * The mean adjusted Rand index between `labels` (a fit of X with k clusters) and refits of k with
 * other seeds, on a seeded subsample of the rows.
 */
export function seedStability(X: Matrix, labels: Int32Array, k: number, seed: number): number {
  const { sampleSize, seeds, nInit } = STABILITY_DEFAULTS;
  const indices = X.rows > sampleSize ? sampleIndices(X.rows, sampleSize, seed + 7919) : null;
  const rows = indices === null ? X : selectRows(X, indices);
  const reference = indices === null ? labels : Int32Array.from(indices, (i) => labels[i]!);
  let total = 0;
  for (let r = 1; r <= seeds; r++) {
    const refit = kmeans(rows, { k, seed: seed + 104_729 * r, nInit, restartSampleSize: Infinity });
    total += adjustedRandIndex(reference, refit.labels);
  }
  return total / seeds;
}
