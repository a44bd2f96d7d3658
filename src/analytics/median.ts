/**
 * Medians without sorting: a selection pass is linear on average, which matters when every feature
 * of a million customers needs a median (overall, and again per segment).
 */

/**
 * Rearranges `values` in place so that `values[k]` is the k-th smallest, everything before it is no
 * larger and everything after it no smaller (Hoare's selection with a median-of-three pivot, which
 * copes with long runs of equal values such as the zeros in amount columns).
 */
export function selectInPlace(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (right > left + 1) {
    const mid = (left + right) >>> 1;
    // Order left, mid and right, then use the middle one as the pivot, parked at left + 1.
    swap(values, mid, left + 1);
    if (values[left]! > values[right]!) swap(values, left, right);
    if (values[left + 1]! > values[right]!) swap(values, left + 1, right);
    if (values[left]! > values[left + 1]!) swap(values, left, left + 1);
    let i = left + 1;
    let j = right;
    const pivot = values[left + 1]!;
    for (;;) {
      do i++;
      while (values[i]! < pivot);
      do j--;
      while (values[j]! > pivot);
      if (j < i) break;
      swap(values, i, j);
    }
    values[left + 1] = values[j]!;
    values[j] = pivot;
    if (j >= k) right = j - 1;
    if (j <= k) left = i;
  }
  if (right === left + 1 && values[right]! < values[left]!) swap(values, left, right);
  return values[k]!;
}

function swap(values: Float64Array, a: number, b: number): void {
  const t = values[a]!;
  values[a] = values[b]!;
  values[b] = t;
}

/**
 * The median of the non-NaN values (the mean of the two middle ones for an even count), NaN when
 * there are none. `values` is not modified.
 */
export function median(values: ArrayLike<number>): number {
  const scratch = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) scratch[n++] = v;
  }
  return medianInPlace(scratch.subarray(0, n));
}

/** The median of `values` (no NaN), reordering them; NaN when empty. */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  const upper = selectInPlace(values, mid);
  if (n % 2 === 1) return upper;
  // After selection everything before `mid` is no larger: the lower middle is their maximum.
  let lower = values[0]!;
  for (let i = 1; i < mid; i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + upper) / 2;
}
