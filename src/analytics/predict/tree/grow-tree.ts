/**
 * Grows one tree of the forest, depth-first: draw the tree's rows, then for each node decide leaf
 * or split, search the split on histograms, partition the node's rows, and hand the larger child
 * histograms derived from its parent's. Every random choice comes from the tree's own seed.
 */
import { createRng, type Rng } from '../../rng.js';
import type { BinnedMatrix } from '../bin-features.js';
import type { ResolvedForestOptions, TreeArrays } from '../random-forest.js';
import { classWeights, drawRows } from './draw-rows.js';
import { BINS, HistogramPool } from './histogram-pool.js';
import { collectRows, partition, rowMajorCodes } from './node-rows.js';
import { NodeStore } from './node-store.js';
import {
  fillGoesLeft,
  findSplit,
  type SearchNode,
  type SplitContext,
  type SplitSearch,
} from './split-search.js';

/** A node waiting to be made a leaf or split. */
interface PendingNode extends SearchNode {
  node: number;
  depth: number;
}

/** Everything one tree's growth works on. */
interface Growth {
  options: ResolvedForestOptions;
  search: SplitSearch;
  rng: Rng;
  store: NodeStore;
  importances: Float64Array;
  /** Feature orders of retired nodes, for reuse. */
  orders: Int32Array[];
}

/** Grows one tree from its seed. Pure: the same inputs always give the same tree. */
export function growTree(
  data: BinnedMatrix,
  labels: Uint8Array,
  options: ResolvedForestOptions,
  seed: number,
  rowCodes: Uint8Array = rowMajorCodes(data),
): TreeArrays {
  const rng = createRng(seed);
  const d = data.cols;
  const weights = classWeights(labels, options.classWeight);
  const [cw0, cw1] = weights;
  const ctx: SplitContext = {
    inv0: 1 / cw0,
    inv1: 1 / cw1,
    eps: 0.5 * Math.min(cw0, cw1),
    minLeaf: options.minSamplesLeaf,
  };
  // 1. Rows for this tree, with their codes in node order.
  const counts = drawRows(data.rows, options, rng);
  const rows = collectRows({ counts, labels, weights, rowCodes, cols: d });
  const growth: Growth = {
    options,
    search: { data, hists: new HistogramPool(rows), ctx, mtry: options.featuresPerSplit },
    rng,
    store: new NodeStore(),
    importances: new Float64Array(d),
    orders: [],
  };
  const { store, importances } = growth;
  const goesLeft = new Uint8Array(BINS);
  const stack: PendingNode[] = [
    { node: store.add(), start: 0, end: rows.count, depth: 0, w0: rows.w0, w1: rows.w1, ...fresh(growth) },
  ];

  while (stack.length > 0) {
    const item = stack.pop()!;
    if (!willSplit(item, options, ctx)) {
      makeLeaf(growth, item);
      continue;
    }
    // 2. The best split among the node's first non-constant features, if it improves the node.
    const weight = item.w0 + item.w1;
    const parentScore = (item.w0 * item.w0 + item.w1 * item.w1) / weight;
    const best = findSplit(growth.search, item);
    if (best === null || best.score - parentScore <= 1e-10 * weight) {
      makeLeaf(growth, item);
      continue;
    }
    importances[best.feature]! += best.score - parentScore;
    // Split nodes keep their value too: tree-path contributions are differences along the path.
    store.value[item.node] = nodeShare(ctx, item);

    // 3. Partition the node's rows.
    fillGoesLeft(best, goesLeft);
    const mid = partition(rows, item.start, item.end, best.feature, goesLeft);
    const leftNode = store.setSplit(item.node, best);
    const depth = item.depth + 1;
    const leftItem: PendingNode = {
      node: leftNode,
      start: item.start,
      end: mid,
      depth,
      w0: best.l0,
      w1: best.l1,
      ...fresh(growth),
    };
    const rightItem: PendingNode = {
      node: leftNode + 1,
      start: mid,
      end: item.end,
      depth,
      w0: Math.max(0, item.w0 - best.l0),
      w1: Math.max(0, item.w1 - best.l1),
      ...fresh(growth),
    };

    // 4. Histograms for the larger child's first features.
    const leftSmaller = mid - item.start <= item.end - mid;
    const small = leftSmaller ? leftItem : rightItem;
    const large = leftSmaller ? rightItem : leftItem;
    inheritHistograms(growth, item, small, large);
    retire(growth, item);
    // Depth-first, smaller child first: the stack stays short.
    stack.push(large, small);
  }

  let total = 0;
  for (let f = 0; f < d; f++) total += importances[f]!;
  if (total > 0) for (let f = 0; f < d; f++) importances[f]! /= total;
  return store.toTree(importances);
}

/** A new node's feature order (a fresh permutation from the tree's generator) and no histograms. */
function fresh(growth: Growth): Pick<PendingNode, 'order' | 'hists'> {
  const d = growth.search.data.cols;
  const order = growth.orders.pop() ?? new Int32Array(d);
  for (let i = 0; i < d; i++) order[i] = i;
  for (let i = d - 1; i > 0; i--) {
    const j = growth.rng.int(i + 1);
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return { order, hists: new Array(d) };
}

/** Gives a finished node's histograms and feature order back for reuse. */
function retire(growth: Growth, item: PendingNode): void {
  for (const h of item.hists) if (h) growth.search.hists.release(h);
  growth.orders.push(item.order);
}

/** A node's share of class 1 among its drawn samples (unweighted): a leaf's probability. */
function nodeShare(ctx: SplitContext, item: PendingNode): number {
  const positives = item.w1 * ctx.inv1;
  const total = item.w0 * ctx.inv0 + positives;
  return total > 0 ? Math.min(1, Math.max(0, positives / total)) : 0;
}

function makeLeaf(growth: Growth, item: PendingNode): void {
  growth.store.setLeaf(item.node, nodeShare(growth.search.ctx, item));
  retire(growth, item);
}

/** Whether a node is big and mixed enough to try splitting (a split may still not be found). */
function willSplit(item: PendingNode, options: ResolvedForestOptions, ctx: SplitContext): boolean {
  const weight = item.w0 + item.w1;
  const count = item.w0 * ctx.inv0 + item.w1 * ctx.inv1;
  const pure = item.w0 <= 1e-9 * weight || item.w1 <= 1e-9 * weight;
  return !(
    pure ||
    item.depth >= options.maxDepth ||
    count < options.minSamplesSplit - 1e-6 ||
    count < 2 * options.minSamplesLeaf - 1e-6
  );
}

/**
 * The larger child gets its first features' histograms by subtracting the smaller child's from the
 * parent's wherever the parent has that feature (cost: the smaller child's rows, not the larger's).
 * The smaller child keeps a histogram built on the way when it will search that feature itself.
 */
function inheritHistograms(
  growth: Growth,
  parent: PendingNode,
  small: PendingNode,
  large: PendingNode,
): void {
  const { options, search } = growth;
  const { hists, ctx, mtry } = search;
  const d = search.data.cols;
  const wanted = willSplit(large, options, ctx) ? Math.min(d, mtry) : 0;
  const smallSplits = willSplit(small, options, ctx);
  for (let k = 0; k < wanted; k++) {
    const f = large.order[k]!;
    const parentHist = parent.hists[f];
    if (!parentHist) continue;
    let smallHist = small.hists[f];
    const keepSmall = smallHist !== undefined || (smallSplits && firstFeatures(small.order, f, mtry));
    if (!smallHist) smallHist = hists.build(f, small.start, small.end);
    large.hists[f] = hists.difference(parentHist, smallHist);
    if (keepSmall) small.hists[f] = smallHist;
    else hists.release(smallHist);
  }
}

function firstFeatures(order: Int32Array, f: number, limit: number): boolean {
  for (let k = 0; k < limit && k < order.length; k++) if (order[k] === f) return true;
  return false;
}
