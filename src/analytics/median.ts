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

/** Below this many values a plain selection is as quick as the radix pass and needs no view. */
const RADIX_MIN = 1 << 14;
/** Buckets of the radix pass: sign, exponent and the first 4 mantissa bits of a double. */
const BUCKETS = 1 << 16;
/** One histogram, reused: the analytics run one median at a time per thread. */
const bucketCounts = new Int32Array(BUCKETS);

/**
 * The bucket of a double from its upper 32 bits, in the order of the numbers: negatives with their
 * bits flipped below positives with the sign bit set, as in a radix sort of IEEE 754 keys. No
 * branch: a column of zeros and amounts mixed at random would mispredict one at every value.
 * -0 and +0 land in neighbouring buckets; being equal, either order is right.
 */
function bucketOf(high: number): number {
  const top = high >>> 16;
  return top ^ (0x8000 | ((top >>> 15) * 0x7fff));
}

/**
 * The buckets of -∞ and +∞, shared with the NaNs whose payload starts with four zero bits. Every
 * bucket below the first or above the second holds NaNs only.
 */
const NEGATIVE_INFINITY_BUCKET = 0x000f;
const POSITIVE_INFINITY_BUCKET = 0xfff0;

/**
 * The median of the non-NaN values of a large array, without copying or reordering it: one pass
 * counts the values per bucket of their leading bits, which names the bucket(s) holding the middle
 * rank(s); a second pass gathers only those, usually a few percent, and selection finishes there.
 * Every value in an earlier bucket is smaller than every gathered one, so the result is the exact
 * median, the same number a selection over all values gives.
 *
 * Neither pass branches per value: a column with missing values at random, or with the gathered
 * bucket's values scattered through it, would mispredict a branch at every few values. NaNs are
 * counted like any value and their buckets emptied afterwards; the gathering pass writes every value
 * and advances only past those in the middle buckets.
 */
function radixMedian(values: Float64Array): number {
  const high = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const counts = bucketCounts;
  counts.fill(0);
  const length = values.length;
  for (let i = 0; i < length; i++) counts[bucketOf(high[2 * i + 1]!)]!++;
  counts.fill(0, 0, NEGATIVE_INFINITY_BUCKET);
  counts.fill(0, POSITIVE_INFINITY_BUCKET + 1);
  // Rare: an infinity, or a NaN with an unusual payload, in the infinities' buckets; count exactly.
  if (counts[NEGATIVE_INFINITY_BUCKET]! > 0 || counts[POSITIVE_INFINITY_BUCKET]! > 0) {
    let negative = 0;
    let positive = 0;
    for (let i = 0; i < length; i++) {
      const v = values[i]!;
      if (v === Number.NEGATIVE_INFINITY) negative++;
      else if (v === Number.POSITIVE_INFINITY) positive++;
    }
    counts[NEGATIVE_INFINITY_BUCKET] = negative;
    counts[POSITIVE_INFINITY_BUCKET] = positive;
  }
  let n = 0;
  for (let b = 0; b < BUCKETS; b++) n += counts[b]!;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  const lowRank = n % 2 === 1 ? mid : mid - 1;
  // Buckets first..last hold the ranks lowRank and mid; `below` values come before them.
  let below = 0;
  let first = 0;
  while (below + counts[first]! <= lowRank) below += counts[first++]!;
  let last = first;
  let through = below + counts[first]!;
  while (through <= mid) through += counts[++last]!;
  const size = through - below;
  // One spare slot: the branch-free pass writes each value before deciding whether to keep it.
  const gathered = new Float64Array(size + 1);
  let m = 0;
  if (first > NEGATIVE_INFINITY_BUCKET && last < POSITIVE_INFINITY_BUCKET) {
    // No NaN shares these buckets, so the bucket alone decides.
    const span = last - first;
    for (let i = 0; i < length; i++) {
      const offset = bucketOf(high[2 * i + 1]!) - first;
      gathered[m] = values[i]!;
      // 1 when 0 <= offset <= span: neither offset nor span - offset is negative.
      m += ((offset | (span - offset)) >>> 31) ^ 1;
    }
  } else {
    for (let i = 0; i < length; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      const b = bucketOf(high[2 * i + 1]!);
      if (b >= first && b <= last) gathered[m++] = v;
    }
  }
  const middle = gathered.subarray(0, size);
  // A bucket of one repeated value (the zeros of an amount column) needs no selection.
  let min = middle[0]!;
  let max = min;
  for (let i = 1; i < size; i++) {
    const v = middle[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return min;
  return middleOf(middle, mid - below, n % 2 === 1);
}

/**
 * After selecting rank `upperRank` of `values`, the median: that value for an odd count, else its
 * mean with the largest value before it (the lower middle).
 */
function middleOf(values: Float64Array, upperRank: number, odd: boolean): number {
  const upper = selectInPlace(values, upperRank);
  if (odd) return upper;
  let lower = values[0]!;
  for (let i = 1; i < upperRank; i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + upper) / 2;
}

/**
 * The median of the non-NaN values (the mean of the two middle ones for an even count), NaN when
 * there are none. `values` is not modified.
 */
export function median(values: ArrayLike<number>): number {
  if (values instanceof Float64Array && values.length >= RADIX_MIN) return radixMedian(values);
  const scratch = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) scratch[n++] = v;
  }
  return medianInPlace(scratch.subarray(0, n));
}

/** The median of `values` (no NaN), which it may reorder; NaN when empty. */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  if (n >= RADIX_MIN) return radixMedian(values);
  return middleOf(values, n >> 1, n % 2 === 1);
}
