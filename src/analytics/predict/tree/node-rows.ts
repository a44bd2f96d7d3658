/**
 * A tree's drawn rows, kept in node order: every node of the tree owns one contiguous run
 * [start, end), and splitting a node partitions its run in place. Labels, weights and the rows'
 * feature codes move together, so histogram building reads memory in order instead of
 * jumping across the whole table.
 */
import type { BinnedMatrix } from '../bin-features.js';

export interface NodeRows {
  /** Number of distinct rows drawn. */
  count: number;
  /** Features per row. */
  cols: number;
  /** Labels and (class and multiplicity) weights, in node order. */
  ys: Uint8Array;
  ws: Float64Array;
  /** The rows' codes, row by row, each row padded to `stride` bytes (whole 32-bit words). */
  codes: Uint8Array;
  stride: number;
  /** `codes` as words, for moving a row's codes in `stride / 4` steps. */
  words: Uint32Array;
  /** Where `partition` parks a node's right-going rows. */
  scratch: { ys: Uint8Array; ws: Float64Array; words: Uint32Array };
  /** Class-weighted totals of all the rows (the root node's). */
  w0: number;
  w1: number;
}

/** The codes row by row (code of row i, feature f at i * cols + f), for growing trees. */
export function rowMajorCodes(data: BinnedMatrix): Uint8Array {
  const { rows, cols, codes } = data;
  const out = new Uint8Array(rows * cols);
  for (let f = 0; f < cols; f++) {
    const base = f * rows;
    for (let i = 0; i < rows; i++) out[i * cols + f] = codes[base + i]!;
  }
  return out;
}

/** What `collectRows` reads: the draw, the labels and class weights, and row-major codes. */
export interface RowSource {
  /** Multiplicity of each training row in this tree (see drawRows). */
  counts: Uint16Array;
  labels: Uint8Array;
  weights: readonly [number, number];
  /** Row-major codes (see rowMajorCodes): a customer's features share a cache line. */
  rowCodes: Uint8Array;
  cols: number;
}

/** Gathers the drawn rows, in increasing row order, with their labels, weights and codes. */
export function collectRows(source: RowSource): NodeRows {
  const { counts, labels, rowCodes, cols: d } = source;
  const [cw0, cw1] = source.weights;
  const n = counts.length;
  let used = 0;
  for (let i = 0; i < n; i++) if (counts[i]! > 0) used++;
  // Original row ids, only to gather the codes below.
  const rows = new Int32Array(used);
  const ys = new Uint8Array(used);
  const ws = new Float64Array(used);
  let w0 = 0;
  let w1 = 0;
  for (let i = 0, k = 0; i < n; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    const y = labels[i]!;
    const w = c * (y === 1 ? cw1 : cw0);
    rows[k] = i;
    ys[k] = y;
    ws[k] = w;
    k++;
    if (y === 1) w1 += w;
    else w0 += w;
  }
  const stride = (d + 3) & ~3;
  const codes = new Uint8Array(used * stride);
  for (let k = 0; k < used; k++) codes.set(rowCodes.subarray(rows[k]! * d, rows[k]! * d + d), k * stride);
  return {
    count: used,
    cols: d,
    ys,
    ws,
    codes,
    stride,
    words: new Uint32Array(codes.buffer),
    scratch: {
      ys: new Uint8Array(used),
      ws: new Float64Array(used),
      words: new Uint32Array(used * (stride >> 2)),
    },
    w0,
    w1,
  };
}

/**
 * Splits the run [start, end) on `feature`: rows whose code c has `goesLeft[c] === 1` first, then
 * the others, each side in its old order (stable, so rows stay in increasing order for
 * cache-friendly reads). Returns where the right side starts.
 */
export function partition(
  node: NodeRows,
  start: number,
  end: number,
  feature: number,
  goesLeft: Uint8Array,
): number {
  const { ys, ws, codes, stride, words: nodeWords, scratch } = node;
  const words = stride >> 2;
  let li = start;
  let ri = 0;
  for (let k = start; k < end; k++) {
    const from = k * words;
    if (goesLeft[codes[k * stride + feature]!] === 1) {
      ys[li] = ys[k]!;
      ws[li] = ws[k]!;
      // Left rows move down in place (li <= k), right rows wait in the scratch buffers.
      const to = li * words;
      if (to !== from) for (let j = 0; j < words; j++) nodeWords[to + j] = nodeWords[from + j]!;
      li++;
    } else {
      scratch.ys[ri] = ys[k]!;
      scratch.ws[ri] = ws[k]!;
      const to = ri * words;
      for (let j = 0; j < words; j++) scratch.words[to + j] = nodeWords[from + j]!;
      ri++;
    }
  }
  ys.set(scratch.ys.subarray(0, ri), li);
  ws.set(scratch.ws.subarray(0, ri), li);
  nodeWords.set(scratch.words.subarray(0, ri * words), li * words);
  return li;
}
