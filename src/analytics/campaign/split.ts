/**
 * The treatment/control split of a campaign audience: seeded random assignment, stratified by
 * segment and score decile, so the control group mirrors the treated one on both.
 *
 * How many of each stratum are held back is decided first, for all strata at once: each stratum
 * holds back floor(n × holdout) plus 0 or 1, and the 0-or-1 choices are a controlled rounding of
 * the fractional parts (Bacharach's theorem), so every stratum, every segment (row total) and every
 * decile (column total) is within one customer of its proportional share. Which customers of a
 * stratum are held back is then a seeded shuffle.
 */
import { createRng } from '../rng.js';

/** One member of the audience, as the split sees it. */
export interface SplitCandidate {
  /** The customer's row in the dataset (what the split returns groups for). */
  row: number;
  /** Segment index, or 0 when the audience is not segmented. */
  segment: number;
  /** Score decile 1..10, or 0 when no score cuts the audience. */
  decile: number;
}

export interface SplitOptions {
  /** Share held back, in (0, 1). */
  holdout: number;
  seed: number;
}

export interface SplitResult {
  /** 1 for control, 0 for treatment, in candidate order. */
  control: Uint8Array;
  controlCount: number;
}

const EPSILON = 1e-9;

/**
 * Rounds every entry of a matrix of fractions in [0, 1) to 0 or 1 so that each row sum and column
 * sum ends at the floor or ceiling of its exact value. The matrix is bordered with a column and a
 * row that make every line sum to a whole number; then, while some entry is fractional, a cycle
 * through fractional entries (one exists: a line with one fractional entry cannot sum to a whole
 * number) is shifted by ±ε, alternately, until one entry becomes 0 or 1. Line sums never change.
 */
export function controlledRounding(fractions: number[][]): number[][] {
  const rows = fractions.length;
  const cols = rows > 0 ? fractions[0]!.length : 0;
  const a: number[][] = fractions.map((row) => [...row, 0]);
  a.push(new Array<number>(cols + 1).fill(0));
  for (let i = 0; i < rows; i++) {
    const sum = a[i]!.slice(0, cols).reduce((s, v) => s + v, 0);
    a[i]![cols] = complement(sum);
  }
  let borderSum = 0;
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += a[i]![j]!;
    a[rows]![j] = complement(sum);
    borderSum += a[rows]![j]!;
  }
  a[rows]![cols] = complement(borderSum);
  const isFractional = (v: number) => v > EPSILON && v < 1 - EPSILON;
  const R = rows + 1;
  const C = cols + 1;
  for (;;) {
    const cycle = findCycle(a, R, C, isFractional);
    if (cycle === null) break;
    // Alternate +, −, +, … around the even cycle; ε is the largest step that keeps all in [0, 1].
    let up = Number.POSITIVE_INFINITY;
    let down = Number.POSITIVE_INFINITY;
    cycle.forEach(([i, j], k) => {
      const v = a[i]![j]!;
      if (k % 2 === 0) up = Math.min(up, 1 - v);
      else down = Math.min(down, v);
    });
    const step = Math.min(up, down);
    cycle.forEach(([i, j], k) => {
      a[i]![j]! += k % 2 === 0 ? step : -step;
    });
    for (const [i, j] of cycle) a[i]![j] = snap(a[i]![j]!);
  }
  return a.slice(0, rows).map((row) => row.slice(0, cols).map((v) => Math.round(v)));
}

function complement(sum: number): number {
  const c = Math.ceil(sum - EPSILON) - sum;
  return c < EPSILON ? 0 : c;
}

function snap(v: number): number {
  if (v < EPSILON) return 0;
  if (v > 1 - EPSILON) return 1;
  return v;
}

/**
 * A cycle of fractional entries alternating row moves and column moves, as a list of [row, col]
 * starting with a row move; null when no entry is fractional. Walks from an entry, leaving each
 * line by another fractional entry, until a line repeats.
 */
function findCycle(
  a: number[][],
  R: number,
  C: number,
  isFractional: (v: number) => boolean,
): [number, number][] | null {
  let start: [number, number] | null = null;
  for (let i = 0; i < R && !start; i++)
    for (let j = 0; j < C; j++)
      if (isFractional(a[i]![j]!)) {
        start = [i, j];
        break;
      }
  if (!start) return null;
  // Vertices: rows 0..R-1, columns R..R+C-1. Edges: fractional entries. Walk without going back.
  const path: number[] = [start[0]];
  const seen = new Map<number, number>([[start[0], 0]]);
  let previous = -1;
  let current = start[0];
  for (;;) {
    const next = neighbour(a, R, C, current, previous, isFractional);
    if (next === null) throw new Error('controlled rounding found a line with a single fractional entry');
    const at = seen.get(next);
    if (at !== undefined) {
      const vertices = path.slice(at);
      vertices.push(next);
      const edges: [number, number][] = [];
      for (let k = 0; k + 1 < vertices.length; k++) {
        const u = vertices[k]!;
        const v = vertices[k + 1]!;
        edges.push(u < R ? [u, v - R] : [v, u - R]);
      }
      return edges;
    }
    seen.set(next, path.length);
    path.push(next);
    previous = current;
    current = next;
  }
}

function neighbour(
  a: number[][],
  R: number,
  C: number,
  vertex: number,
  previous: number,
  isFractional: (v: number) => boolean,
): number | null {
  if (vertex < R) {
    for (let j = 0; j < C; j++) if (R + j !== previous && isFractional(a[vertex]![j]!)) return R + j;
  } else {
    const j = vertex - R;
    for (let i = 0; i < R; i++) if (i !== previous && isFractional(a[i]![j]!)) return i;
  }
  return null;
}

/** Splits the audience into treatment and control; the same candidates and seed give the same split. */
export function splitAudience(candidates: readonly SplitCandidate[], options: SplitOptions): SplitResult {
  const { holdout, seed } = options;
  if (!(holdout > 0 && holdout < 1)) throw new RangeError('The holdout share must be between 0 and 1.');
  const segments = [...new Set(candidates.map((c) => c.segment))].sort((x, y) => x - y);
  const deciles = [...new Set(candidates.map((c) => c.decile))].sort((x, y) => x - y);
  const segmentAt = new Map(segments.map((s, i) => [s, i]));
  const decileAt = new Map(deciles.map((d, j) => [d, j]));
  const members: number[][][] = segments.map(() => deciles.map(() => []));
  candidates.forEach((c, k) => {
    members[segmentAt.get(c.segment)!]![decileAt.get(c.decile)!]!.push(k);
  });
  const exact = members.map((row) => row.map((cell) => cell.length * holdout));
  const extra = controlledRounding(exact.map((row) => row.map((v) => v - Math.floor(v + EPSILON))));
  const control = new Uint8Array(candidates.length);
  let controlCount = 0;
  const rng = createRng(seed);
  members.forEach((row, i) => {
    row.forEach((cell, j) => {
      const held = Math.floor(exact[i]![j]! + EPSILON) + extra[i]![j]!;
      // A partial Fisher–Yates shuffle: the first `held` of a uniform permutation.
      const order = [...cell];
      for (let k = 0; k < held; k++) {
        const pick = k + rng.int(order.length - k);
        [order[k], order[pick]] = [order[pick]!, order[k]!];
        control[order[k]!] = 1;
      }
      controlCount += held;
    });
  });
  return { control, controlCount };
}
