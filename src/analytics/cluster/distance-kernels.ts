/**
 * The distance kernels of the clustering code, shared by k-means (seeding, Hamerly passes, the final
 * assignment) and the silhouette. All work on row-major Float64Arrays addressed by offsets, and
 * every squared distance is summed in column order, so each kernel gives exactly the value of the
 * plain one-column-at-a-time loop: which kernel measures a distance never changes a result.
 */

/** Squared Euclidean distance between the `d` values at `aOffset` in `a` and at `bOffset` in `b`. */
export function squaredBetween(
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  d: number,
): number {
  // Four columns per step, added to the one sum in column order: the same value as a plain loop,
  // with less loop overhead.
  let sum = 0;
  let t = 0;
  for (; t + 3 < d; t += 4) {
    const e0 = a[aOffset + t]! - b[bOffset + t]!;
    const e1 = a[aOffset + t + 1]! - b[bOffset + t + 1]!;
    const e2 = a[aOffset + t + 2]! - b[bOffset + t + 2]!;
    const e3 = a[aOffset + t + 3]! - b[bOffset + t + 3]!;
    sum += e0 * e0;
    sum += e1 * e1;
    sum += e2 * e2;
    sum += e3 * e3;
  }
  for (; t < d; t++) {
    const diff = a[aOffset + t]! - b[bOffset + t]!;
    sum += diff * diff;
  }
  return sum;
}

/**
 * Squared distances from the point at `offset` to the rows `indices[0..count)` of `rows`, into
 * `out[0..count)`. Four rows at a time, then the last three, two or one together: independent sums
 * per coordinate keep the processor busy instead of waiting on one running sum (up to four times
 * faster per distance); each distance is summed in the same order as `squaredBetween`, so the
 * values are identical.
 */
export function distancesTo(
  data: Float64Array,
  offset: number,
  rows: Float64Array,
  d: number,
  indices: Int32Array,
  count: number,
  out: Float64Array,
): void {
  let q = 0;
  for (; q + 3 < count; q += 4) {
    const r0 = indices[q]! * d;
    const r1 = indices[q + 1]! * d;
    const r2 = indices[q + 2]! * d;
    const r3 = indices[q + 3]! * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < d; t++) {
      const x = data[offset + t]!;
      const e0 = x - rows[r0 + t]!;
      const e1 = x - rows[r1 + t]!;
      const e2 = x - rows[r2 + t]!;
      const e3 = x - rows[r3 + t]!;
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    out[q] = s0;
    out[q + 1] = s1;
    out[q + 2] = s2;
    out[q + 3] = s3;
  }
  if (q + 2 < count) {
    const r0 = indices[q]! * d;
    const r1 = indices[q + 1]! * d;
    const r2 = indices[q + 2]! * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let t = 0; t < d; t++) {
      const x = data[offset + t]!;
      const e0 = x - rows[r0 + t]!;
      const e1 = x - rows[r1 + t]!;
      const e2 = x - rows[r2 + t]!;
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
    }
    out[q] = s0;
    out[q + 1] = s1;
    out[q + 2] = s2;
    return;
  }
  if (q + 1 < count) {
    const r0 = indices[q]! * d;
    const r1 = indices[q + 1]! * d;
    let s0 = 0;
    let s1 = 0;
    for (let t = 0; t < d; t++) {
      const x = data[offset + t]!;
      const e0 = x - rows[r0 + t]!;
      const e1 = x - rows[r1 + t]!;
      s0 += e0 * e0;
      s1 += e1 * e1;
    }
    out[q] = s0;
    out[q + 1] = s1;
    return;
  }
  if (q < count) out[q] = squaredBetween(data, offset, rows, indices[q]! * d, d);
}

/**
 * Euclidean distances between rows [iStart, iEnd) and [jStart, jEnd) of `data` into `block`
 * (row-major, `stride` values per row, the first at `jStart`; the silhouette's tiles). Two rows against four partners at a time: eight independent sums per
 * coordinate keep the processor busy and every loaded coordinate is used four or two times.
 * Differences are squared directly (not via norms), so close points keep full relative accuracy.
 */
export function distanceBlock(
  data: Float64Array,
  d: number,
  iStart: number,
  iEnd: number,
  jStart: number,
  jEnd: number,
  block: Float64Array,
  stride: number,
): void {
  let i = iStart;
  for (; i + 1 < iEnd; i += 2) {
    const a0 = i * d;
    const a1 = a0 + d;
    const r0 = (i - iStart) * stride - jStart;
    const r1 = r0 + stride;
    let j = jStart;
    for (; j + 3 < jEnd; j += 4) {
      const b0 = j * d;
      const b1 = b0 + d;
      const b2 = b1 + d;
      const b3 = b2 + d;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let c = 0; c < d; c++) {
        const x0 = data[a0 + c]!;
        const x1 = data[a1 + c]!;
        const y0 = data[b0 + c]!;
        const y1 = data[b1 + c]!;
        const y2 = data[b2 + c]!;
        const y3 = data[b3 + c]!;
        const e00 = x0 - y0;
        const e01 = x0 - y1;
        const e02 = x0 - y2;
        const e03 = x0 - y3;
        const e10 = x1 - y0;
        const e11 = x1 - y1;
        const e12 = x1 - y2;
        const e13 = x1 - y3;
        s00 += e00 * e00;
        s01 += e01 * e01;
        s02 += e02 * e02;
        s03 += e03 * e03;
        s10 += e10 * e10;
        s11 += e11 * e11;
        s12 += e12 * e12;
        s13 += e13 * e13;
      }
      block[r0 + j] = Math.sqrt(s00);
      block[r0 + j + 1] = Math.sqrt(s01);
      block[r0 + j + 2] = Math.sqrt(s02);
      block[r0 + j + 3] = Math.sqrt(s03);
      block[r1 + j] = Math.sqrt(s10);
      block[r1 + j + 1] = Math.sqrt(s11);
      block[r1 + j + 2] = Math.sqrt(s12);
      block[r1 + j + 3] = Math.sqrt(s13);
    }
    for (; j < jEnd; j++) {
      block[r0 + j] = Math.sqrt(squaredBetween(data, a0, data, j * d, d));
      block[r1 + j] = Math.sqrt(squaredBetween(data, a1, data, j * d, d));
    }
  }
  for (; i < iEnd; i++) {
    const r0 = (i - iStart) * stride - jStart;
    for (let j = jStart; j < jEnd; j++)
      block[r0 + j] = Math.sqrt(squaredBetween(data, i * d, data, j * d, d));
  }
}
