import { createRng } from '../src/analytics/rng.js';

export interface StratifiedSampleOptions {
  /** Upper bound on the sample size. */
  maxPoints: number;
  seed: number;
  /** Every non-empty group keeps at least this many rows (or all of them), so small segments stay visible. */
  minPerGroup?: number;
}

/**
 * Allocates `budget` rows across groups in proportion to their sizes, except that a group whose share
 * would fall below `minPerGroup` gets that floor (or all its rows) and the rest is re-shared among
 * the others. Largest remainders settle the rounding, so the quotas add up to the budget exactly.
 */
export function allocateSample(counts: readonly number[], budget: number, minPerGroup: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= budget) return [...counts];
  const floors = counts.map((c) => Math.min(c, minPerGroup));
  if (floors.reduce((a, b) => a + b, 0) >= budget) return shareEvenly(counts, budget);
  const fixed = counts.map(() => false);
  // Each pass fixes the groups that proportional shares would push below their floor; it ends within
  // as many passes as there are groups.
  for (;;) {
    const fixedRows = floors.reduce((sum, f, g) => (fixed[g] ? sum + f : sum), 0);
    const freeCount = counts.reduce((sum, c, g) => (fixed[g] ? sum : sum + c), 0);
    const rest = budget - fixedRows;
    let changed = false;
    counts.forEach((c, g) => {
      if (!fixed[g] && (c / freeCount) * rest < floors[g]!) {
        fixed[g] = true;
        changed = true;
      }
    });
    if (changed) continue;
    const exact = counts.map((c, g) => (fixed[g] ? floors[g]! : (c / freeCount) * rest));
    const quota = exact.map((e) => Math.floor(e));
    let left = budget - quota.reduce((a, b) => a + b, 0);
    const byRemainder = exact
      .map((e, g) => ({ g, remainder: e - Math.floor(e) }))
      .sort((a, b) => b.remainder - a.remainder || a.g - b.g);
    for (const { g } of byRemainder) {
      if (left <= 0) break;
      if (quota[g]! < counts[g]!) {
        quota[g]!++;
        left--;
      }
    }
    return quota;
  }
}

/** Too many groups for the floor: share the budget equally instead, still capped by group size. */
function shareEvenly(counts: readonly number[], budget: number): number[] {
  const quota = counts.map(() => 0);
  let left = budget;
  let progressed = true;
  while (left > 0 && progressed) {
    progressed = false;
    for (let g = 0; g < counts.length && left > 0; g++) {
      if (quota[g]! < counts[g]!) {
        quota[g]!++;
        left--;
        progressed = true;
      }
    }
  }
  return quota;
}

/**
 * A seeded sample of row indices, stratified by group label: each group keeps its share of the
 * sample (with a floor for small groups). One pass of selection sampling per row, so a million rows
 * cost a million random draws and no copies; the result is in increasing row order.
 * Labels outside 0..groupCount-1 are never sampled.
 */
export function stratifiedSample(
  labels: ArrayLike<number>,
  groupCount: number,
  options: StratifiedSampleOptions,
): Int32Array {
  const counts = new Array<number>(groupCount).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label >= 0 && label < groupCount) counts[label]!++;
  }
  const quota = allocateSample(counts, Math.max(0, Math.floor(options.maxPoints)), options.minPerGroup ?? 30);
  const needed = [...quota];
  const remaining = [...counts];
  const picked = new Int32Array(quota.reduce((a, b) => a + b, 0));
  const rng = createRng(options.seed);
  let out = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!(label >= 0 && label < groupCount)) continue;
    // Knuth's algorithm S: take this row with probability needed / remaining for its group.
    if (needed[label]! > 0 && rng.next() * remaining[label]! < needed[label]!) {
      picked[out++] = i;
      needed[label]!--;
    }
    remaining[label]!--;
  }
  return picked;
}
