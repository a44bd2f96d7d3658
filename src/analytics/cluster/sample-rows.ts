/** Seeded row sampling shared by k-means, the k search and the silhouette. */
import { createRng } from '../rng.js';

/** A seeded sample of `size` distinct row indices out of `n`, in ascending order. */
export function sampleIndices(n: number, size: number, seed: number): Int32Array {
  const take = Math.max(0, Math.min(size, n));
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  const rng = createRng(seed);
  // Partial Fisher-Yates: the first `take` slots end up a uniform sample without replacement.
  for (let i = 0; i < take; i++) {
    const j = i + rng.int(n - i);
    const swap = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = swap;
  }
  return pool.slice(0, take).sort();
}
