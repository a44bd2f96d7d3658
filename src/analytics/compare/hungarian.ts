/**
 * Minimum-cost assignment (the Hungarian method, in the O(n³) shortest-augmenting-path form of
 * Jonker–Volgenant / Kuhn–Munkres with potentials).
 *
 * Segment matching between two runs is a small rectangular problem (at most 10 x 10), but it must
 * be exact: a greedy "closest first" pairing can steal a segment's true partner and then report a
 * stable segment as dissolved.
 */

/**
 * Pairs rows with columns of `cost` (rows x cols, row-major) so the summed cost is minimal.
 * Returns, for each row, the matched column or -1 when there are more rows than columns.
 */
export function solveAssignment(cost: ArrayLike<number>, rows: number, cols: number): Int32Array {
  const result = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return result;
  if (cost.length !== rows * cols) {
    throw new RangeError(`cost has ${cost.length} entries, expected ${rows} x ${cols}`);
  }

  // The algorithm needs rows <= columns; transpose when it is the other way round.
  const transpose = rows > cols;
  const n = transpose ? cols : rows;
  const m = transpose ? rows : cols;
  const at = (i: number, j: number): number => {
    const value = transpose ? cost[j * cols + i] : cost[i * cols + j];
    if (value === undefined || Number.isNaN(value)) throw new RangeError('cost contains NaN');
    return value;
  };

  // 1-based arrays as in the classic formulation: p[j] is the row matched to column j (0 = none).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);

  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = at(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (reduced < minv[j]!) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    // Walk the augmenting path back, flipping matched and unmatched edges.
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }

  for (let j = 1; j <= m; j++) {
    const i = p[j]!;
    if (i === 0) continue;
    if (transpose) result[j - 1] = i - 1;
    else result[i - 1] = j - 1;
  }
  return result;
}
