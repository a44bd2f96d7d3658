/**
 * Grows one boosting tree best-first: the leaf whose split lowers the loss most is split next,
 * until the tree has its maximum number of leaves or no split helps. Every node, internal ones
 * included, carries its own shrunk Newton value, so a customer's score can be read as the sum of
 * the changes along their path (tree-path contributions).
 */

import type { BinnedMatrix } from '../bin-features.js';
import type { TreeArrays } from '../random-forest.js';
import { NodeStore } from '../tree/node-store.js';
import { fillGoesLeft } from '../tree/split-search.js';
import {
  findGainSplit,
  type GainLimits,
  type GainSplit,
  type GradientTotals,
  newtonValue,
} from './gain-split.js';
import { BINS, type GradientHistogramPool, type GradientRows } from './gradient-histograms.js';

export interface BoostTreeLimits extends GainLimits {
  maxLeafNodes: number;
  maxDepth: number;
  learningRate: number;
}

/** A leaf of the grown tree and its rows: the run [start, end) of the row index. */
export interface GrownLeaf {
  value: number;
  start: number;
  end: number;
}

export interface GrownBoostTree {
  tree: Omit<TreeArrays, 'importances'>;
  leaves: GrownLeaf[];
  /** Loss reduction per feature from this tree's splits. */
  gains: Float64Array;
}

interface OpenNode extends GradientTotals {
  node: number;
  start: number;
  end: number;
  depth: number;
  hists: Float64Array[];
  split: GainSplit | null;
}

/** What one tree is grown from: the binned rows, this round's gradients, shared scratch. */
export interface BoostTreeInput {
  data: BinnedMatrix;
  rows: GradientRows;
  pool: GradientHistogramPool;
  limits: BoostTreeLimits;
}

/** Grows one tree on the current gradients. Pure given its inputs; reuses `rows.index` as scratch. */
export function growBoostedTree(input: BoostTreeInput): GrownBoostTree {
  const { data, rows, pool, limits } = input;
  const n = data.rows;
  const index = rows.index;
  for (let i = 0; i < n; i++) index[i] = i;
  const store = new NodeStore();
  const gains = new Float64Array(data.cols);
  const leaves: GrownLeaf[] = [];
  const shrunk = (t: GradientTotals): number => limits.learningRate * newtonValue(t, limits.l2);

  let g = 0;
  let h = 0;
  for (let i = 0; i < n; i++) {
    g += rows.gradients[i]!;
    h += rows.hessians[i]!;
  }
  const root: OpenNode = { node: store.add(), start: 0, end: n, depth: 0, g, h, n, hists: [], split: null };
  store.setLeaf(root.node, shrunk(root));
  const open: OpenNode[] = [];
  const consider = (item: OpenNode, hists: Float64Array[]): void => {
    const canSplit = item.n >= 2 * limits.minSamplesLeaf && item.depth < limits.maxDepth;
    item.split = canSplit ? findGainSplit(hists, data, item, limits) : null;
    if (item.split) {
      item.hists = hists;
      open.push(item);
    } else {
      for (const hist of hists) pool.release(hist);
      leaves.push({ value: store.value[item.node]!, start: item.start, end: item.end });
    }
  };
  consider(root, pool.buildAll(0, n));

  const goesLeft = new Uint8Array(BINS);
  const scratch = new Int32Array(n);
  let leafCount = 1;
  while (open.length > 0 && leafCount < limits.maxLeafNodes) {
    // The open leaf with the largest gain (the earliest on a tie, for determinism).
    let pick = 0;
    for (let k = 1; k < open.length; k++) if (open[k]!.split!.gain > open[pick]!.split!.gain) pick = k;
    const item = open.splice(pick, 1)[0]!;
    const split = item.split!;
    gains[split.feature]! += split.gain;
    fillGoesLeft(split, goesLeft);
    const mid = partitionRun(data, index, scratch, item, split.feature, goesLeft);
    const leftNode = store.setSplit(item.node, split);
    leafCount++;
    const depth = item.depth + 1;
    // Exact row counts now that the rows are partitioned (the search only estimated them).
    const leftTotals = { g: split.left.g, h: split.left.h, n: mid - item.start };
    const rightTotals = { g: item.g - split.left.g, h: item.h - split.left.h, n: item.end - mid };
    const left: OpenNode = {
      node: leftNode,
      start: item.start,
      end: mid,
      depth,
      ...leftTotals,
      hists: [],
      split: null,
    };
    const right: OpenNode = {
      node: leftNode + 1,
      start: mid,
      end: item.end,
      depth,
      ...rightTotals,
      hists: [],
      split: null,
    };
    store.setLeaf(left.node, shrunk(left));
    store.setLeaf(right.node, shrunk(right));
    if (leafCount >= limits.maxLeafNodes) {
      // The tree is full: its last two leaves need no histograms.
      for (const hist of item.hists) pool.release(hist);
      for (const child of [left, right]) {
        leaves.push({ value: store.value[child.node]!, start: child.start, end: child.end });
      }
      break;
    }
    const leftSmaller = mid - item.start <= item.end - mid;
    const small = leftSmaller ? left : right;
    const large = leftSmaller ? right : left;
    const smallHists = pool.buildAll(small.start, small.end);
    const largeHists = pool.subtractInPlace(item.hists, smallHists);
    consider(small, smallHists);
    consider(large, largeHists);
  }
  for (const item of open) {
    for (const hist of item.hists) pool.release(hist);
    leaves.push({ value: store.value[item.node]!, start: item.start, end: item.end });
  }
  return { tree: store.toTree(new Float64Array(0)), leaves, gains };
}

/** Stable partition of a node's run of the row index: rows going left first. Returns the middle. */
function partitionRun(
  data: BinnedMatrix,
  index: Int32Array,
  scratch: Int32Array,
  item: { start: number; end: number },
  feature: number,
  goesLeft: Uint8Array,
): number {
  const base = feature * data.rows;
  const codes = data.codes;
  let li = item.start;
  let ri = 0;
  for (let k = item.start; k < item.end; k++) {
    const i = index[k]!;
    if (goesLeft[codes[base + i]!] === 1) index[li++] = i;
    else scratch[ri++] = i;
  }
  index.set(scratch.subarray(0, ri), li);
  return li;
}
