/**
 * Gradient-boosted trees for two classes on the forest's bins: logistic loss, each tree fitted
 * best-first to the current gradients with Newton leaf values, shrunk by the learning rate, with an
 * L2 penalty on leaf values. Training stops early when the loss on a validation slice of the
 * training rows stops falling, and keeps the trees up to the best round. Nothing is random but the
 * validation slice, drawn from the seed, so a seed fixes the model.
 */
import { type BinnedMatrix, selectRows } from './bin-features.js';
import { GradientHistogramPool, type GradientRows } from './boosting/gradient-histograms.js';
import { type BoostTreeLimits, growBoostedTree } from './boosting/grow-boosted-tree.js';
import { stratifiedSplit } from './evaluate.js';
import type { ForestImage } from './forest-kernel.js';
import {
  checkFeatures,
  forestImage,
  normalized,
  type PackedTrees,
  packTrees,
  scoreImage,
} from './random-forest.js';
import { classWeights } from './tree/draw-rows.js';
import { FLAG_CATEGORICAL, FLAG_MISSING_LEFT } from './tree/node-store.js';

export interface BoostingOptions {
  /** Shrinkage of every tree's values (default 0.1). */
  learningRate?: number;
  /** Most boosting rounds (default 300); early stopping usually ends sooner. */
  maxIterations?: number;
  /** Leaves per tree (default 31). */
  maxLeafNodes?: number;
  /** Depth limit (default 12); the leaf limit usually binds first. */
  maxDepth?: number;
  /** Fewest training rows in a leaf (default 20). */
  minSamplesLeaf?: number;
  /** L2 penalty on leaf values (default 1). */
  l2?: number;
  /** Share of the training rows held back to decide when to stop (default 0.1; 0 turns it off). */
  validationFraction?: number;
  /** Stop after this many rounds without a better validation loss (default 10). */
  patience?: number;
  /**
   * 'balanced' weighs each class by n / (2 n_class); 'auto' does so when the rarer class is under
   * 5% of the rows (default), where unweighted trees find few splits worth making for it.
   */
  classWeight?: 'balanced' | 'none' | 'auto';
  seed?: number;
}

export type ResolvedBoostingOptions = Required<BoostingOptions>;

/**
 * A boosted model in the forest's node layout (see ForestModel). Every node's `value` is its own
 * shrunk Newton value in log-odds, internal nodes included; a row's log-odds are `baseScore` plus
 * the values of the leaves it reaches.
 */
export interface BoostedModel extends PackedTrees {
  version: 1;
  kind: 'boosting';
  /** The starting log-odds, corrected for class weights so probabilities are the data's own. */
  baseScore: number;
  /** Loss reduction per feature over all splits, summing to 1. */
  importances: Float64Array;
  /** Rounds kept (the best on the validation slice). */
  iterations: number;
  options: ResolvedBoostingOptions;
}

export function resolveBoostingOptions(options: BoostingOptions): ResolvedBoostingOptions {
  const resolved: ResolvedBoostingOptions = {
    learningRate: options.learningRate ?? 0.1,
    maxIterations: options.maxIterations ?? 300,
    maxLeafNodes: options.maxLeafNodes ?? 31,
    maxDepth: options.maxDepth ?? 12,
    minSamplesLeaf: options.minSamplesLeaf ?? 20,
    l2: options.l2 ?? 1,
    validationFraction: options.validationFraction ?? 0.1,
    patience: options.patience ?? 10,
    classWeight: options.classWeight ?? 'auto',
    seed: options.seed ?? 1,
  };
  if (!(resolved.learningRate > 0 && resolved.learningRate <= 1))
    throw new RangeError('learningRate must be in (0, 1]');
  if (!Number.isInteger(resolved.maxIterations) || resolved.maxIterations < 1)
    throw new RangeError('maxIterations must be >= 1');
  if (resolved.maxLeafNodes < 2 || resolved.minSamplesLeaf < 1 || resolved.maxDepth < 1)
    throw new RangeError('bad tree size limits');
  if (!(resolved.validationFraction >= 0 && resolved.validationFraction < 0.5))
    throw new RangeError('validationFraction must be in [0, 0.5)');
  return resolved;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The class weights boosting uses for these labels. */
function boostingWeights(labels: Uint8Array, mode: ResolvedBoostingOptions['classWeight']): [number, number] {
  if (mode !== 'auto') return classWeights(labels, mode);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  const rarer = Math.min(positives, labels.length - positives) / Math.max(1, labels.length);
  return classWeights(labels, rarer < 0.05 ? 'balanced' : 'none');
}

/** Trains a boosted model on binned rows with 0/1 labels. */
export function trainBoosting(
  data: BinnedMatrix,
  labels: Uint8Array,
  options: BoostingOptions = {},
): BoostedModel {
  if (labels.length !== data.rows) throw new RangeError('labels and rows differ in length');
  if (data.rows === 0 || data.cols === 0) throw new RangeError('no training data');
  for (let i = 0; i < labels.length; i++) if (labels[i]! > 1) throw new RangeError('labels must be 0 or 1');
  const resolved = resolveBoostingOptions(options);

  // 1. The validation slice, stratified, from the seed; too few rows of a class and there is none.
  let fit = data;
  let fitLabels = labels;
  let valid: BinnedMatrix | null = null;
  let validLabels = new Uint8Array(0);
  if (resolved.validationFraction > 0) {
    const split = stratifiedSplit(labels, { testFraction: resolved.validationFraction, seed: resolved.seed });
    let validPositives = 0;
    for (const i of split.test) validPositives += labels[i]!;
    if (validPositives >= 5 && split.test.length - validPositives >= 5) {
      fit = selectRows(data, split.train);
      fitLabels = Uint8Array.from(split.train, (i) => labels[i]!);
      valid = selectRows(data, split.test);
      validLabels = Uint8Array.from(split.test, (i) => labels[i]!);
    }
  }

  // 2. Start from the (weighted) log-odds of the fitting rows.
  const [w0, w1] = boostingWeights(fitLabels, resolved.classWeight);
  const n = fit.rows;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += fitLabels[i]!;
  const weightedRate = (w1 * positives) / (w1 * positives + w0 * (n - positives));
  const start = Math.log(weightedRate / (1 - weightedRate));
  const raw = new Float64Array(n).fill(start);
  const validRaw = new Float64Array(valid?.rows ?? 0).fill(start);
  const rows: GradientRows = {
    data: fit,
    gradients: new Float64Array(n),
    hessians: new Float64Array(n),
    index: new Int32Array(n),
    orderedGradients: new Float64Array(n),
    orderedHessians: new Float64Array(n),
  };
  const pool = new GradientHistogramPool(rows);
  const limits: BoostTreeLimits = {
    l2: resolved.l2,
    minSamplesLeaf: resolved.minSamplesLeaf,
    minHessian: 1e-3,
    maxLeafNodes: resolved.maxLeafNodes,
    maxDepth: resolved.maxDepth,
    learningRate: resolved.learningRate,
  };

  // 3. Rounds: gradients of the weighted log loss, one tree, then the scores move by its leaves.
  const trees: ReturnType<typeof growBoostedTree>[] = [];
  let bestLoss = valid ? weightedLogLoss(validRaw, validLabels, w0, w1) : Number.POSITIVE_INFINITY;
  let bestRounds = 0;
  for (let round = 0; round < resolved.maxIterations; round++) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(raw[i]!);
      const w = fitLabels[i] === 1 ? w1 : w0;
      rows.gradients[i] = w * (p - fitLabels[i]!);
      rows.hessians[i] = w * Math.max(p * (1 - p), 1e-16);
    }
    const grown = growBoostedTree({ data: fit, rows, pool, limits });
    if (grown.leaves.length < 2) break;
    trees.push(grown);
    for (const leaf of grown.leaves) {
      for (let k = leaf.start; k < leaf.end; k++) raw[rows.index[k]!]! += leaf.value;
    }
    if (!valid) {
      bestRounds = trees.length;
      continue;
    }
    addTree(grown.tree, valid, validRaw);
    const loss = weightedLogLoss(validRaw, validLabels, w0, w1);
    if (loss < bestLoss - 1e-7 * Math.abs(bestLoss)) {
      bestLoss = loss;
      bestRounds = trees.length;
    } else if (trees.length - bestRounds >= resolved.patience) break;
  }
  // At least one tree, so the model always has a layout to score with.
  const kept = trees.slice(0, Math.max(1, Math.min(bestRounds, trees.length)));
  if (kept.length === 0) kept.push(stumpTree());
  const importances = new Float64Array(data.cols);
  for (const t of kept) for (let f = 0; f < data.cols; f++) importances[f]! += t.gains[f]!;
  return {
    version: 1,
    kind: 'boosting',
    ...packTrees(
      kept.map((t) => t.tree),
      data.cols,
    ),
    baseScore: start - Math.log(w1 / w0),
    importances: normalized(importances),
    iterations: kept.length,
    options: resolved,
  };
}

/** A one-leaf tree adding nothing, for data where no split ever helps. */
function stumpTree(): ReturnType<typeof growBoostedTree> {
  return {
    tree: {
      feature: Int16Array.of(-1),
      flags: new Uint8Array(1),
      threshold: new Int32Array(1),
      left: new Int32Array(1),
      value: new Float32Array(1),
      masks: new Uint8Array(0),
    },
    leaves: [],
    gains: new Float64Array(0),
  };
}

/** Mean class-weighted log loss of log-odds `raw` against the labels. */
function weightedLogLoss(raw: Float64Array, labels: Uint8Array, w0: number, w1: number): number {
  let loss = 0;
  let weight = 0;
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i]!;
    // log(1 + e^r) - y r, written so large |r| does not overflow.
    const softplus = r > 0 ? r + Math.log1p(Math.exp(-r)) : Math.log1p(Math.exp(r));
    const w = labels[i] === 1 ? w1 : w0;
    loss += w * (softplus - labels[i]! * r);
    weight += w;
  }
  return loss / weight;
}

/** Adds one tree's leaf values to `raw`, walking it node by node (the validation rows are few). */
function addTree(
  tree: ReturnType<typeof growBoostedTree>['tree'],
  data: BinnedMatrix,
  raw: Float64Array,
): void {
  const { codes, rows } = data;
  for (let i = 0; i < rows; i++) {
    let node = 0;
    while (tree.feature[node]! >= 0) {
      const code = codes[tree.feature[node]! * rows + i]!;
      const flags = tree.flags[node]!;
      let left: boolean;
      if (flags === FLAG_CATEGORICAL) {
        const at = tree.threshold[node]! + (code >> 3);
        left = ((tree.masks[at]! >> (code & 7)) & 1) === 1;
      } else if (code === 255) left = flags === FLAG_MISSING_LEFT;
      else left = code <= tree.threshold[node]!;
      node = tree.left[node]! + (left ? 0 : 1);
    }
    raw[i]! += tree.value[node]!;
  }
}

/** The boosted model laid out for the scoring kernel, summing its trees instead of averaging. */
export function boostingImage(model: BoostedModel): ForestImage {
  let image = boostingImages.get(model);
  if (!image) {
    image = { ...forestImage(model), sum: true };
    boostingImages.set(model, image);
  }
  return image;
}

const boostingImages = new WeakMap<BoostedModel, ForestImage>();

/** Probability of class 1 for every row (rows [rowStart, rowEnd) when given). */
export function predictBoosting(
  model: BoostedModel,
  data: BinnedMatrix,
  rowStart = 0,
  rowEnd = data.rows,
): Float64Array {
  checkFeatures(model, data);
  return boostedProbabilities(model, scoreImage(boostingImage(model), data, rowStart, rowEnd));
}

/** Turns summed leaf values into probabilities, in place. */
export function boostedProbabilities(
  model: Pick<BoostedModel, 'baseScore'>,
  sums: Float64Array,
): Float64Array {
  for (let i = 0; i < sums.length; i++) sums[i] = sigmoid(model.baseScore + sums[i]!);
  return sums;
}
