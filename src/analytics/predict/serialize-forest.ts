/** Stored forests: a trained forest as JSON-friendly data, and back with its arrays checked. */
import type { ForestModel, ResolvedForestOptions } from './random-forest.js';

/** A forest as JSON-friendly data (typed arrays as base64), for storing in SQLite. */
export interface SerializedForest {
  version: 1;
  nFeatures: number;
  options: ResolvedForestOptions;
  importances: number[];
  arrays: Record<'treeStart' | 'feature' | 'flags' | 'threshold' | 'left' | 'value' | 'masks', string>;
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

/** Encodes a forest for storage; `deserializeForest` gives back a model with the same predictions. */
export function serializeForest(model: ForestModel): SerializedForest {
  return {
    version: 1,
    nFeatures: model.nFeatures,
    options: model.options,
    importances: Array.from(model.importances),
    arrays: {
      treeStart: toBase64(model.treeStart),
      feature: toBase64(model.feature),
      flags: toBase64(model.flags),
      threshold: toBase64(model.threshold),
      left: toBase64(model.left),
      value: toBase64(model.value),
      masks: toBase64(model.masks),
    },
  };
}

/** Decodes a stored forest and checks that its arrays fit together. */
export function deserializeForest(stored: SerializedForest): ForestModel {
  if (stored.version !== 1) throw new RangeError(`unknown model version ${String(stored.version)}`);
  const a = stored.arrays;
  const model: ForestModel = {
    version: 1,
    nFeatures: stored.nFeatures,
    options: stored.options,
    importances: Float64Array.from(stored.importances),
    treeStart: fromBase64(a.treeStart, (b, l) => new Int32Array(b, 0, l), 4),
    feature: fromBase64(a.feature, (b, l) => new Int16Array(b, 0, l), 2),
    flags: fromBase64(a.flags, (b, l) => new Uint8Array(b, 0, l), 1),
    threshold: fromBase64(a.threshold, (b, l) => new Int32Array(b, 0, l), 4),
    left: fromBase64(a.left, (b, l) => new Int32Array(b, 0, l), 4),
    value: fromBase64(a.value, (b, l) => new Float32Array(b, 0, l), 4),
    masks: fromBase64(a.masks, (b, l) => new Uint8Array(b, 0, l), 1),
  };
  const nodes = model.feature.length;
  if (
    model.flags.length !== nodes ||
    model.threshold.length !== nodes ||
    model.left.length !== nodes ||
    model.value.length !== nodes ||
    model.treeStart[model.treeStart.length - 1] !== nodes
  ) {
    throw new RangeError('stored model is damaged');
  }
  for (let i = 0; i < nodes; i++) {
    if (model.feature[i]! >= model.nFeatures) throw new RangeError('stored model is damaged');
    if (model.feature[i]! >= 0 && (model.left[i]! <= i || model.left[i]! + 1 >= nodes)) {
      throw new RangeError('stored model is damaged');
    }
  }
  return model;
}
