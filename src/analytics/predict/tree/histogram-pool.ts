/**
 * Per-node histograms of class weights by code, built from a tree's node rows and recycled: a tree
 * builds thousands of them and holds only a few at a time.
 *
 * Layout: per bin [class-0 weight, class-1 weight] (sample counts follow from the class weights, so
 * they need no slot of their own), then two trailing slots with the range of value codes the
 * histogram holds (missing is always looked at), so small nodes deep in the tree scan and clear a
 * few bins, not 256.
 */
import { MISSING_BIN } from '../bin-features.js';
import type { NodeRows } from './node-rows.js';

export const BINS = 256;
export const HIST_SIZE = BINS * 2;
/** Slot of the lowest value code present (BINS when none). */
export const HIST_LO = HIST_SIZE;
/** Slot of the highest value code present (-1 when none). */
export const HIST_HI = HIST_SIZE + 1;

export class HistogramPool {
  private readonly free: Float64Array[] = [];

  constructor(private readonly node: NodeRows) {}

  /** A cleared histogram. */
  take(): Float64Array {
    return this.free.pop() ?? new Float64Array(HIST_SIZE + 2);
  }

  /** Clears `h` (only the bins it used) and keeps it for reuse. */
  release(h: Float64Array): void {
    const lo = h[HIST_LO]!;
    const hi = h[HIST_HI]!;
    if (lo <= hi) h.fill(0, lo * 2, hi * 2 + 2);
    h.fill(0, MISSING_BIN * 2, HIST_SIZE);
    this.free.push(h);
  }

  /** The histogram of feature `f` over the rows [start, end). */
  build(f: number, start: number, end: number): Float64Array {
    const { codes, stride, ys, ws } = this.node;
    const h = this.take();
    let lo = BINS;
    let hi = -1;
    for (let k = start; k < end; k++) {
      const b = codes[k * stride + f]!;
      h[b * 2 + ys[k]!]! += ws[k]!;
      if (b !== MISSING_BIN) {
        if (b < lo) lo = b;
        if (b > hi) hi = b;
      }
    }
    h[HIST_LO] = lo;
    h[HIST_HI] = hi;
    return h;
  }

  /**
   * Several features in one pass over a big node's rows: the label and weight are read once, and
   * the histogram updates of different features overlap instead of waiting on each other.
   */
  buildMany(features: number[], start: number, end: number): Float64Array[] {
    const m = features.length;
    if (m === 1) return features.map((f) => this.build(f, start, end));
    const { codes, stride, ys, ws } = this.node;
    const hists = features.map(() => this.take());
    const offsets = Int32Array.from(features);
    for (let k = start; k < end; k++) {
      const at = k * stride;
      const y = ys[k]!;
      const w = ws[k]!;
      let j = 0;
      for (; j + 3 <= m; j += 3) {
        hists[j]![codes[at + offsets[j]!]! * 2 + y]! += w;
        hists[j + 1]![codes[at + offsets[j + 1]!]! * 2 + y]! += w;
        hists[j + 2]![codes[at + offsets[j + 2]!]! * 2 + y]! += w;
      }
      for (; j < m; j++) hists[j]![codes[at + offsets[j]!]! * 2 + y]! += w;
    }
    // Big nodes: find each histogram's code range afterwards (256 bins) instead of per row.
    for (const h of hists) {
      let lo = 0;
      while (lo < MISSING_BIN && h[lo * 2]! + h[lo * 2 + 1]! === 0) lo++;
      let hi = MISSING_BIN - 1;
      while (hi >= lo && h[hi * 2]! + h[hi * 2 + 1]! === 0) hi--;
      h[HIST_LO] = lo < MISSING_BIN ? lo : BINS;
      h[HIST_HI] = hi >= lo ? hi : -1;
    }
    return hists;
  }

  /**
   * A child's histogram as its parent's minus its sibling's: costs a pass over bins, not rows. The
   * child's code range is taken as the parent's (a superset, which the split search tolerates).
   */
  difference(parent: Float64Array, sibling: Float64Array): Float64Array {
    const h = this.take();
    const lo = parent[HIST_LO]!;
    const hi = parent[HIST_HI]!;
    if (lo <= hi) for (let j = lo * 2; j < hi * 2 + 2; j++) h[j] = parent[j]! - sibling[j]!;
    for (let j = MISSING_BIN * 2; j < HIST_SIZE; j++) h[j] = parent[j]! - sibling[j]!;
    h[HIST_LO] = lo;
    h[HIST_HI] = hi;
    return h;
  }
}
