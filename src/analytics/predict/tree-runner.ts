/**
 * Where a forest's trees are grown and its customers scored. The engine stays on the calling thread
 * unless its caller hands it another runner (the jobs layer's thread pool): results are identical
 * either way, because every tree is grown from its own seed by the same `growTree`.
 */
import type { BinnedMatrix } from './bin-features.js';
import type { ForestImage } from './forest-kernel.js';
import {
  type BoostedModel,
  type BoostingOptions,
  boostedProbabilities,
  boostingImage,
  trainBoosting,
} from './gradient-boosting.js';
import {
  checkFeatures,
  type ForestModel,
  type ForestOptions,
  forestImage,
  type GrowRequest,
  growRequest,
  growTreesHere,
  packForest,
  scoreImage,
  type TreeArrays,
} from './random-forest.js';

export interface TreeRunner {
  /** The requested trees in seed order, each equal to `growTree` with its seed. */
  growTrees(request: GrowRequest): Promise<TreeArrays[]>;
  /** Every row's score, equal to `scoreImage` over all the rows. */
  scoreRows(image: ForestImage, data: BinnedMatrix): Promise<Float64Array>;
  /**
   * A boosted model equal to `trainBoosting` (its rounds depend on each other, so it is trained on
   * one thread; a pool runs it beside a forest's trees).
   */
  boost(request: BoostRequest): Promise<BoostedModel>;
}

/** What boosting is trained on. */
export interface BoostRequest {
  data: BinnedMatrix;
  labels: Uint8Array;
  options: BoostingOptions;
}

/** The default: everything on the calling thread. */
export const callingThreadTrees: TreeRunner = {
  growTrees: async (request) => growTreesHere(request),
  scoreRows: async (image, data) => scoreImage(image, data, 0, data.rows),
  boost: async ({ data, labels, options }) => trainBoosting(data, labels, options),
};

/** `trainForest` with the trees grown by `runner`. */
export async function trainForestWith(
  runner: TreeRunner,
  data: BinnedMatrix,
  labels: Uint8Array,
  options: ForestOptions = {},
): Promise<ForestModel> {
  const request = growRequest(data, labels, options);
  return packForest(await runner.growTrees(request), data.cols, request.options);
}

/** `predictForest` with the rows scored by `runner`. */
export async function predictForestWith(
  runner: TreeRunner,
  model: ForestModel,
  data: BinnedMatrix,
): Promise<Float64Array> {
  checkFeatures(model, data);
  return runner.scoreRows(forestImage(model), data);
}

/** `predictBoosting` with the rows scored by `runner`. */
export async function predictBoostingWith(
  runner: TreeRunner,
  model: BoostedModel,
  data: BinnedMatrix,
): Promise<Float64Array> {
  checkFeatures(model, data);
  return boostedProbabilities(model, await runner.scoreRows(boostingImage(model), data));
}
