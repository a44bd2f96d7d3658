/** The nodes of the tree being grown, in growable typed arrays, and how a split is recorded. */
import type { TreeArrays } from '../random-forest.js';
import { BINS } from './histogram-pool.js';

/** Node flags (see ForestModel): missing codes go left / the split is categorical. */
export const FLAG_MISSING_LEFT = 1;
export const FLAG_CATEGORICAL = 2;

/** A split as it is stored: numeric by threshold, or categorical by the set of codes going left. */
export interface StoredSplit {
  feature: number;
  categorical: boolean;
  threshold: number;
  missingLeft: boolean;
  /** For categorical splits: which codes go left (one byte per code, 1 = left). */
  leftCodes: Uint8Array | null;
}

/** A growable store of tree nodes. */
export class NodeStore {
  feature = new Int16Array(1024);
  flags = new Uint8Array(1024);
  threshold = new Int32Array(1024);
  left = new Int32Array(1024);
  value = new Float32Array(1024);
  masks = new Uint8Array(1024);
  size = 0;
  maskSize = 0;

  add(): number {
    if (this.size === this.feature.length) {
      const grow = <T extends Int16Array | Uint8Array | Int32Array | Float32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.feature = grow(this.feature);
      this.flags = grow(this.flags);
      this.threshold = grow(this.threshold);
      this.left = grow(this.left);
      this.value = grow(this.value);
    }
    return this.size++;
  }

  addMask(mask: Uint8Array): number {
    if (this.maskSize + 32 > this.masks.length) {
      const bigger = new Uint8Array(this.masks.length * 2);
      bigger.set(this.masks);
      this.masks = bigger;
    }
    const at = this.maskSize;
    this.masks.set(mask, at);
    this.maskSize += 32;
    return at;
  }

  setLeaf(node: number, value: number): void {
    this.feature[node] = -1;
    this.value[node] = value;
  }

  /** Makes `node` a split with two new children; returns the left child (the right one follows it). */
  setSplit(node: number, split: StoredSplit): number {
    const leftNode = this.add();
    this.add();
    this.feature[node] = split.feature;
    this.left[node] = leftNode;
    if (split.categorical) {
      const mask = new Uint8Array(32);
      for (let c = 0; c < BINS; c++) if (split.leftCodes![c] === 1) mask[c >> 3]! |= 1 << (c & 7);
      this.flags[node] = FLAG_CATEGORICAL;
      this.threshold[node] = this.addMask(mask);
    } else {
      this.flags[node] = split.missingLeft ? FLAG_MISSING_LEFT : 0;
      this.threshold[node] = split.threshold;
    }
    return leftNode;
  }

  /** The grown tree, trimmed to its size. */
  toTree(importances: Float64Array): TreeArrays {
    return {
      feature: this.feature.slice(0, this.size),
      flags: this.flags.slice(0, this.size),
      threshold: this.threshold.slice(0, this.size),
      left: this.left.slice(0, this.size),
      value: this.value.slice(0, this.size),
      masks: this.masks.slice(0, this.maskSize),
      importances,
    };
  }
}
