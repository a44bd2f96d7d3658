/**
 * Worker side of the forest pool: holds the binned training data once, then grows trees by index or
 * scores a block of rows on request. Everything it computes comes from the pure functions in
 * random-forest.ts, so a tree grown here is identical to one grown on the main thread.
 */
import { parentPort } from 'node:worker_threads';
import type { BinnedMatrix } from './bin-features.js';
import type { ForestImage } from './forest-kernel.js';
import { growTree, type ResolvedForestOptions, rowMajorCodes, scoreImage } from './random-forest.js';

export type WorkerRequest =
  | { kind: 'init'; data: BinnedMatrix; labels: Uint8Array; options: ResolvedForestOptions }
  | { kind: 'grow'; index: number; seed: number }
  | { kind: 'release' }
  | {
      kind: 'predict';
      image: ForestImage;
      data: BinnedMatrix;
      rowStart: number;
      rowEnd: number;
    };

let training: {
  data: BinnedMatrix;
  labels: Uint8Array;
  options: ResolvedForestOptions;
  rowCodes: Uint8Array;
} | null = null;

parentPort?.on('message', (request: WorkerRequest) => {
  try {
    if (request.kind === 'release') {
      training = null;
    } else if (request.kind === 'init') {
      training = {
        data: request.data,
        labels: request.labels,
        options: request.options,
        rowCodes: rowMajorCodes(request.data),
      };
      parentPort!.postMessage({ kind: 'ready' });
    } else if (request.kind === 'grow') {
      if (!training) throw new Error('grow before init');
      const tree = growTree(
        training.data,
        training.labels,
        training.options,
        request.seed,
        training.rowCodes,
      );
      const buffers = [
        tree.feature,
        tree.flags,
        tree.threshold,
        tree.left,
        tree.value,
        tree.masks,
        tree.importances,
      ].map((a) => a.buffer as ArrayBuffer);
      parentPort!.postMessage({ kind: 'tree', index: request.index, tree }, buffers);
    } else {
      const scores = scoreImage(request.image, request.data, request.rowStart, request.rowEnd);
      parentPort!.postMessage({ kind: 'scores', rowStart: request.rowStart, scores }, [
        scores.buffer as ArrayBuffer,
      ]);
    }
  } catch (error) {
    parentPort!.postMessage({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
    });
  }
});
