/**
 * Worker side of the forest pool: holds the binned training data once, then grows trees by index or
 * scores a block of rows on request; or trains a whole boosted model. Everything it computes comes from the engine's pure functions,
 * so a tree grown here is identical to one grown on the calling thread.
 */
import type { BinnedMatrix } from '../analytics/predict/bin-features.js';
import type { ForestImage } from '../analytics/predict/forest-kernel.js';
import { type BoostedModel, trainBoosting } from '../analytics/predict/gradient-boosting.js';
import {
  type ResolvedForestOptions,
  scoreImage,
  type TreeArrays,
} from '../analytics/predict/random-forest.js';
import { growTree } from '../analytics/predict/tree/grow-tree.js';
import { rowMajorCodes } from '../analytics/predict/tree/node-rows.js';
import type { BoostRequest } from '../analytics/predict/tree-runner.js';
import { serveRequests } from '../worker-thread.js';

export type ForestRequest =
  | { kind: 'init'; data: BinnedMatrix; labels: Uint8Array; options: ResolvedForestOptions }
  | { kind: 'grow'; seed: number }
  | { kind: 'release' }
  | { kind: 'boost'; request: BoostRequest }
  | { kind: 'score'; image: ForestImage; data: BinnedMatrix; rowStart: number; rowEnd: number };

/** A grown tree for 'grow', a block's scores for 'score', a model for 'boost', else nothing. */
export type ForestReply = TreeArrays | Float64Array | BoostedModel | null;

let training: {
  data: BinnedMatrix;
  labels: Uint8Array;
  options: ResolvedForestOptions;
  rowCodes: Uint8Array;
} | null = null;

serveRequests<ForestRequest, ForestReply>((request) => {
  switch (request.kind) {
    case 'init':
      training = {
        data: request.data,
        labels: request.labels,
        options: request.options,
        rowCodes: rowMajorCodes(request.data),
      };
      return { value: null };
    case 'release':
      training = null;
      return { value: null };
    case 'grow': {
      if (!training) throw new Error('grow before init');
      const { data, labels, options, rowCodes } = training;
      const tree = growTree(data, labels, options, request.seed, rowCodes);
      const { feature, flags, threshold, left, value, masks, importances } = tree;
      const buffers = [feature, flags, threshold, left, value, masks, importances].map(
        (a) => a.buffer as ArrayBuffer,
      );
      return { value: tree, transfer: buffers };
    }
    case 'boost': {
      const { data, labels, options } = request.request;
      return { value: trainBoosting(data, labels, options) };
    }
    case 'score': {
      const scores = scoreImage(request.image, request.data, request.rowStart, request.rowEnd);
      return { value: scores, transfer: [scores.buffer as ArrayBuffer] };
    }
  }
});
