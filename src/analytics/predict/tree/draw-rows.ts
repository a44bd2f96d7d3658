/**
 * Which training rows a tree sees: a bootstrap draw (with replacement) or a plain sample, as a
 * multiplicity per row, and the class weights those rows carry.
 */
import type { Rng } from '../../rng.js';
import type { ResolvedForestOptions } from '../random-forest.js';

/** Class weights [w0, w1] for the labels under the chosen weighting. */
export function classWeights(labels: Uint8Array, mode: 'balanced' | 'none'): [number, number] {
  if (mode === 'none') return [1, 1];
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return [1, 1];
  return [labels.length / (2 * negatives), labels.length / (2 * positives)];
}

/** The options that decide a tree's draw. */
export type DrawOptions = Pick<ResolvedForestOptions, 'bootstrap' | 'maxSamples' | 'maxRowsPerTree'>;

/**
 * How many times each of `n` rows was drawn for one tree (a bootstrap row drawn twice counts
 * twice). Draws from `rng`, so a tree's seed fixes its rows.
 */
export function drawRows(n: number, options: DrawOptions, rng: Rng): Uint16Array {
  const counts = new Uint16Array(n);
  // Stored models from before the row cap have none: they drew maxSamples * n rows.
  const cap = options.maxRowsPerTree ?? Number.POSITIVE_INFINITY;
  const draws = Math.max(1, Math.min(cap, Math.round(options.maxSamples * n)));
  if (options.bootstrap) {
    for (let k = 0; k < draws; k++) {
      const i = rng.int(n);
      if (counts[i]! < 65535) counts[i]!++;
    }
  } else {
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let k = 0; k < Math.min(draws, n); k++) {
      const j = k + rng.int(n - k);
      const pick = pool[j]!;
      pool[j] = pool[k]!;
      pool[k] = pick;
      counts[pick] = 1;
    }
  }
  return counts;
}
