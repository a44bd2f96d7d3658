/**
 * Stored tree models: a trained forest or boosted model as JSON-friendly data (typed arrays as
 * base64), and back with its arrays checked. Both share the packed node layout, stored alike.
 */
import type { BoostedModel, ResolvedBoostingOptions } from './gradient-boosting.js';
import type { ForestModel, PackedTrees, ResolvedForestOptions } from './random-forest.js';

type TreeArrayName = 'treeStart' | 'feature' | 'flags' | 'threshold' | 'left' | 'value' | 'masks';

/** A forest as JSON-friendly data, for storing in SQLite. */
export interface SerializedForest {
  version: 1;
  nFeatures: number;
  options: ResolvedForestOptions;
  importances: number[];
  arrays: Record<TreeArrayName, string>;
}

/** A boosted model as JSON-friendly data: the forest's fields plus its starting log-odds. */
export interface SerializedBoosting {
  version: 1;
  kind: 'boosting';
  nFeatures: number;
  baseScore: number;
  iterations: number;
  options: ResolvedBoostingOptions;
  importances: number[];
  arrays: Record<TreeArrayName, string>;
}

const toBase64 = (a: ArrayBufferView): string =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function fromBase64<T>(text: string, make: (buffer: ArrayBuffer, length: number) => T, bytes: number): T {
  const raw = Buffer.from(text, 'base64');
  // Copy into a fresh, aligned buffer: Buffer slices may sit at any offset of a shared pool.
  const buffer = new ArrayBuffer(raw.length);
  new Uint8Array(buffer).set(raw);
  if (raw.length % bytes !== 0) throw new RangeError('stored model is damaged');
  return make(buffer, raw.length / bytes);
}

function encodeTrees(model: PackedTrees): Record<TreeArrayName, string> {
  return {
    treeStart: toBase64(model.treeStart),
    feature: toBase64(model.feature),
    flags: toBase64(model.flags),
    threshold: toBase64(model.threshold),
    left: toBase64(model.left),
    value: toBase64(model.value),
    masks: toBase64(model.masks),
  };
}

/** Decodes packed trees and checks that their arrays fit together. */
function decodeTrees(a: Record<TreeArrayName, string>, nFeatures: number): PackedTrees {
  const trees: PackedTrees = {
    nFeatures,
    treeStart: fromBase64(a.treeStart, (b, l) => new Int32Array(b, 0, l), 4),
    feature: fromBase64(a.feature, (b, l) => new Int16Array(b, 0, l), 2),
    flags: fromBase64(a.flags, (b, l) => new Uint8Array(b, 0, l), 1),
    threshold: fromBase64(a.threshold, (b, l) => new Int32Array(b, 0, l), 4),
    left: fromBase64(a.left, (b, l) => new Int32Array(b, 0, l), 4),
    value: fromBase64(a.value, (b, l) => new Float32Array(b, 0, l), 4),
    masks: fromBase64(a.masks, (b, l) => new Uint8Array(b, 0, l), 1),
  };
  const nodes = trees.feature.length;
  if (
    trees.flags.length !== nodes ||
    trees.threshold.length !== nodes ||
    trees.left.length !== nodes ||
    trees.value.length !== nodes ||
    trees.treeStart[trees.treeStart.length - 1] !== nodes
  ) {
    throw new RangeError('stored model is damaged');
  }
  for (let i = 0; i < nodes; i++) {
    if (trees.feature[i]! >= nFeatures) throw new RangeError('stored model is damaged');
    if (trees.feature[i]! >= 0 && (trees.left[i]! <= i || trees.left[i]! + 1 >= nodes)) {
      throw new RangeError('stored model is damaged');
    }
  }
  return trees;
}

/** Encodes a forest for storage; `deserializeForest` gives back a model with the same predictions. */
export function serializeForest(model: ForestModel): SerializedForest {
  return {
    version: 1,
    nFeatures: model.nFeatures,
    options: model.options,
    importances: Array.from(model.importances),
    arrays: encodeTrees(model),
  };
}

/** Decodes a stored forest and checks that its arrays fit together. */
export function deserializeForest(stored: SerializedForest): ForestModel {
  if (stored.version !== 1) throw new RangeError(`unknown model version ${String(stored.version)}`);
  return {
    version: 1,
    ...decodeTrees(stored.arrays, stored.nFeatures),
    options: stored.options,
    importances: Float64Array.from(stored.importances),
  };
}

/** Encodes a boosted model; `deserializeBoosting` gives back a model with the same predictions. */
export function serializeBoosting(model: BoostedModel): SerializedBoosting {
  return {
    version: 1,
    kind: 'boosting',
    nFeatures: model.nFeatures,
    baseScore: model.baseScore,
    iterations: model.iterations,
    options: model.options,
    importances: Array.from(model.importances),
    arrays: encodeTrees(model),
  };
}

/** Decodes a stored boosted model and checks that its arrays fit together. */
export function deserializeBoosting(stored: SerializedBoosting): BoostedModel {
  if (stored.version !== 1 || stored.kind !== 'boosting' || !Number.isFinite(stored.baseScore)) {
    throw new RangeError('stored model is damaged');
  }
  return {
    version: 1,
    kind: 'boosting',
    ...decodeTrees(stored.arrays, stored.nFeatures),
    baseScore: stored.baseScore,
    iterations: stored.iterations,
    options: stored.options,
    importances: Float64Array.from(stored.importances),
  };
}
