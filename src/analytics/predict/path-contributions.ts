/**
 * Why a tree ensemble scores a customer as it does: tree-path contributions (Saabas). Along the
 * customer's path through each tree, every split moves the node value from the parent's to the
 * child's; that move is credited to the split's feature. Summed over the trees, a customer's score
 * is the ensemble's mean root value plus one contribution per feature, exactly.
 *
 * Works on the packed tree layout that forests and boosted trees share (see ForestModel), which
 * needs a value on every node, splits included. `scale` says how trees combine: 1 / trees for a
 * forest's mean of probabilities, 1 for boosting's sum of log-odds.
 */
import { type BinnedMatrix, MISSING_BIN } from './bin-features.js';
import { FLAG_CATEGORICAL, FLAG_MISSING_LEFT } from './tree/node-store.js';

/** Trees back to back, every node (leaves and splits) carrying its value. */
export interface PackedTrees {
  nFeatures: number;
  /** First node of each tree, plus the total node count at the end. */
  treeStart: Int32Array;
  /** Split feature, or -1 for a leaf. */
  feature: Int16Array;
  flags: Uint8Array;
  threshold: Int32Array;
  /** Left child; the right child is the next node. */
  left: Int32Array;
  value: Float32Array;
  masks: Uint8Array;
}

/** Which child of `node` a customer with feature code `code` goes to. */
export function childFor(trees: PackedTrees, node: number, code: number): number {
  const flags = trees.flags[node]!;
  let goLeft: boolean;
  if (flags === FLAG_CATEGORICAL) {
    const at = trees.threshold[node]! + (code >> 3);
    goLeft = (trees.masks[at]! & (1 << (code & 7))) !== 0;
  } else if (code === MISSING_BIN) goLeft = flags === FLAG_MISSING_LEFT;
  else goLeft = code <= trees.threshold[node]!;
  return goLeft ? trees.left[node]! : trees.left[node]! + 1;
}

/**
 * Adds one customer's contributions (unscaled) to `out` (length nFeatures) and returns the summed
 * root values. `codes` holds the customer's codes at `at .. at + cols`.
 */
function addPaths(trees: PackedTrees, codes: Uint8Array, at: number, out: Float64Array): number {
  const { treeStart, feature, value } = trees;
  let roots = 0;
  const nTrees = treeStart.length - 1;
  for (let t = 0; t < nTrees; t++) {
    let node = treeStart[t]!;
    roots += value[node]!;
    let f = feature[node]!;
    while (f >= 0) {
      const child = childFor(trees, node, codes[at + f]!);
      out[f]! += value[child]! - value[node]!;
      node = child;
      f = feature[node]!;
    }
  }
  return roots;
}

/**
 * Every feature's contribution for the given rows (row-major, rows × nFeatures) and the bias (the
 * scaled mean of the root values, the same for every row): bias + a row's contributions is its score.
 */
export function pathContributions(
  trees: PackedTrees,
  data: BinnedMatrix,
  scale: number,
  rowIndex: ArrayLike<number>,
): { contributions: Float64Array; bias: number } {
  const cols = data.cols;
  if (cols !== trees.nFeatures) throw new RangeError(`expected ${trees.nFeatures} features, got ${cols}`);
  const contributions = new Float64Array(rowIndex.length * cols);
  const codes = new Uint8Array(cols);
  const one = new Float64Array(cols);
  let bias = 0;
  for (let k = 0; k < rowIndex.length; k++) {
    const row = rowIndex[k]!;
    for (let f = 0; f < cols; f++) codes[f] = data.codes[f * data.rows + row]!;
    one.fill(0);
    bias = addPaths(trees, codes, 0, one) * scale;
    for (let f = 0; f < cols; f++) contributions[k * cols + f] = one[f]! * scale;
  }
  if (rowIndex.length === 0) {
    for (let t = 0; t + 1 < trees.treeStart.length; t++) bias += trees.value[trees.treeStart[t]!]! * scale;
  }
  return { contributions, bias };
}
