import { createRng } from '../../../../src/analytics/rng.js';
import type { Matrix } from '../../../../src/analytics/types.js';

/**
 * Seeded Gaussian blobs for the clustering tests: `k` centres spread `spread` apart (one per axis,
 * repeated), `perCluster` points each with unit noise. Returns the matrix and the planted labels.
 */
export function makeBlobs(options: {
  k: number;
  perCluster: number;
  dims: number;
  seed: number;
  spread?: number;
  noise?: number;
}): { X: Matrix; truth: Int32Array } {
  const { k, perCluster, dims, seed, spread = 8, noise = 1 } = options;
  const rng = createRng(seed);
  const n = k * perCluster;
  const data = new Float64Array(n * dims);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    truth[i] = c;
    for (let j = 0; j < dims; j++) {
      const centre = j === c % dims ? spread * (1 + Math.floor(c / dims)) : 0;
      data[i * dims + j] = centre + noise * rng.normal();
    }
  }
  return { X: { data, rows: n, cols: dims }, truth };
}

/** Seeded skewed data without planted structure (log-normal columns), like amounts before scaling. */
export function makeSkewed(rows: number, dims: number, seed: number): Matrix {
  const rng = createRng(seed);
  const data = new Float64Array(rows * dims);
  for (let i = 0; i < data.length; i++) data[i] = Math.exp(rng.normal());
  return { data, rows, cols: dims };
}

/** Whether two labellings define the same partition (equal up to renaming the clusters). */
export function samePartition(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  const forward = new Map<number, number>();
  const backward = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if ((forward.get(x) ?? y) !== y || (backward.get(y) ?? x) !== x) return false;
    forward.set(x, y);
    backward.set(y, x);
  }
  return true;
}
