/**
 * The best split of a node from its histograms: for each feature in the node's random order, until
 * `mtry` non-constant ones were tried, the cut with the lowest class-weighted Gini impurity
 * (written as the highest sum of l²/w over both sides).
 */
import { type BinnedMatrix, MISSING_BIN } from '../bin-features.js';
import { BINS, HIST_HI, HIST_LO, type HistogramPool } from './histogram-pool.js';
import type { StoredSplit } from './node-store.js';

/** What the split search needs to know about the tree being grown. */
export interface SplitContext {
  /** 1 / class weight: turns a class-weighted total back into a sample count. */
  inv0: number;
  inv1: number;
  /** A bin holding at least one sample weighs more than this. */
  eps: number;
  minLeaf: number;
}

/** Class-weighted totals of a node's samples. */
export interface NodeTotals {
  w0: number;
  w1: number;
}

/** A node as the split search sees it. */
export interface SearchNode extends NodeTotals {
  /** Its rows' run in the node rows. */
  start: number;
  end: number;
  /** Feature order for this node's split search (a fresh permutation). */
  order: Int32Array;
  /** Histograms already built, by feature; the search adds the ones it builds. */
  hists: (Float64Array | undefined)[];
}

/** The search's fixed inputs for one tree. */
export interface SplitSearch {
  data: Pick<BinnedMatrix, 'cols' | 'categorical' | 'valueBins'>;
  hists: HistogramPool;
  ctx: SplitContext;
  /** Features tried per split. */
  mtry: number;
}

/** The chosen split, with its score and the class-weighted totals of its left side. */
export interface FoundSplit extends StoredSplit {
  score: number;
  l0: number;
  l1: number;
}

interface CandidateSplit {
  score: number;
  threshold: number;
  missingLeft: boolean;
  leftCodes: Uint8Array | null;
  l0: number;
  l1: number;
}

/** The best split of `node`, or null when no feature has an allowed cut. */
export function findSplit(search: SplitSearch, node: SearchNode): FoundSplit | null {
  const { data, hists, ctx, mtry } = search;
  const d = data.cols;
  let best: FoundSplit | null = null;
  let tried = 0;
  const missing: number[] = [];
  for (let k = 0; k < mtry; k++) if (!node.hists[node.order[k]!]) missing.push(node.order[k]!);
  if (missing.length > 1) {
    const built = hists.buildMany(missing, node.start, node.end);
    missing.forEach((f, j) => {
      node.hists[f] = built[j]!;
    });
  }
  for (let k = 0; k < d && tried < mtry; k++) {
    const f = node.order[k]!;
    let h = node.hists[f];
    if (!h) {
      h = hists.build(f, node.start, node.end);
      node.hists[f] = h;
    }
    const categorical = data.categorical[f] === 1;
    const split = categorical
      ? bestCategoricalSplit(h, node, ctx)
      : bestNumericSplit(h, data.valueBins[f]!, node, ctx);
    if (split === 'constant') continue;
    tried++;
    if (split && (best === null || split.score > best.score)) {
      best = {
        score: split.score,
        feature: f,
        categorical,
        threshold: split.threshold,
        missingLeft: split.missingLeft,
        leftCodes: split.leftCodes,
        l0: split.l0,
        l1: split.l1,
      };
    }
  }
  return best;
}

/** Fills `lut` with 1 for every code the split sends left, 0 for the others. */
export function fillGoesLeft(split: StoredSplit, lut: Uint8Array): void {
  if (split.categorical) lut.set(split.leftCodes!);
  else {
    for (let c = 0; c < BINS; c++) lut[c] = c <= split.threshold ? 1 : 0;
    lut[MISSING_BIN] = split.missingLeft ? 1 : 0;
  }
}

/** The best cut of one feature so far, offered cut by cut. */
class BestCut {
  score = -1;
  /** The cut's threshold code (numeric) or position in the category order; -1 while none is allowed. */
  at = -1;
  missingLeft = false;
  l0 = 0;
  l1 = 0;

  constructor(
    private readonly totals: NodeTotals,
    private readonly ctx: SplitContext,
  ) {}

  /**
   * Scores the cut whose left side has class-weighted totals (l0, l1): the sum of l²/w over both
   * sides, when each side has at least minLeaf samples and some weight. Keeps it when it beats the
   * best so far (a tie keeps the earlier cut).
   */
  offer(at: number, missingLeft: boolean, l0: number, l1: number): void {
    const { inv0, inv1, eps } = this.ctx;
    const minLeaf = this.ctx.minLeaf - 1e-6;
    const r0 = this.totals.w0 - l0;
    const r1 = this.totals.w1 - l1;
    const wl = l0 + l1;
    const wr = r0 + r1;
    if (!(l0 * inv0 + l1 * inv1 >= minLeaf && r0 * inv0 + r1 * inv1 >= minLeaf && wl > eps && wr > eps))
      return;
    const score = (l0 * l0 + l1 * l1) / wl + (r0 * r0 + r1 * r1) / wr;
    if (score > this.score) {
      this.score = score;
      this.at = at;
      this.missingLeft = missingLeft;
      this.l0 = l0;
      this.l1 = l1;
    }
  }
}

function bestNumericSplit(
  h: Float64Array,
  valueBins: number,
  totals: NodeTotals,
  ctx: SplitContext,
): CandidateSplit | null | 'constant' {
  const m0 = h[MISSING_BIN * 2]!;
  const m1 = h[MISSING_BIN * 2 + 1]!;
  const hasMissing = m0 + m1 > ctx.eps;
  let nonEmpty = hasMissing ? 1 : 0;
  const best = new BestCut(totals, ctx);
  let l0 = 0;
  let l1 = 0;
  const last = Math.min(valueBins - 1, h[HIST_HI]!);
  for (let t = h[HIST_LO]!; t <= last; t++) {
    const h0 = h[t * 2]!;
    const h1 = h[t * 2 + 1]!;
    if (h0 + h1 <= ctx.eps) continue;
    nonEmpty++;
    l0 += h0;
    l1 += h1;
    // Missing values go right, or left when there are any.
    best.offer(t, false, l0, l1);
    if (hasMissing) best.offer(t, true, l0 + m0, l1 + m1);
  }
  if (nonEmpty <= 1) return 'constant';
  if (best.at < 0) return null;
  return {
    score: best.score,
    threshold: best.at,
    missingLeft: best.missingLeft,
    leftCodes: null,
    l0: best.l0,
    l1: best.l1,
  };
}

/**
 * Two classes make the best categorical split easy: order the categories by their share of class 1
 * and the best partition is one of the cuts along that order.
 */
function bestCategoricalSplit(
  h: Float64Array,
  totals: NodeTotals,
  ctx: SplitContext,
): CandidateSplit | null | 'constant' {
  const present: number[] = [];
  for (let c = h[HIST_LO]!; c <= h[HIST_HI]!; c++) if (h[c * 2]! + h[c * 2 + 1]! > ctx.eps) present.push(c);
  if (h[MISSING_BIN * 2]! + h[MISSING_BIN * 2 + 1]! > ctx.eps) present.push(MISSING_BIN);
  if (present.length <= 1) return 'constant';
  const share = (c: number): number => h[c * 2 + 1]! / (h[c * 2]! + h[c * 2 + 1]!);
  present.sort((a, b) => share(a) - share(b) || a - b);
  const best = new BestCut(totals, ctx);
  let l0 = 0;
  let l1 = 0;
  for (let k = 0; k + 1 < present.length; k++) {
    const c = present[k]!;
    l0 += h[c * 2]!;
    l1 += h[c * 2 + 1]!;
    best.offer(k, false, l0, l1);
  }
  if (best.at < 0) return null;
  const leftCodes = new Uint8Array(BINS);
  for (let k = 0; k <= best.at; k++) leftCodes[present[k]!] = 1;
  return { score: best.score, threshold: -1, missingLeft: false, leftCodes, l0: best.l0, l1: best.l1 };
}
