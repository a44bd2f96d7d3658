/**
 * Where a forest's trees are grown and its customers scored. The engine stays on the calling thread
 * unless its caller hands it another runner (the jobs layer's thread pool): results are identical
 * either way, because every tree is grown from its own seed by the same `growTree`.
 */
import type { BinnedMatrix } from './bin-features.js';
import type { ForestImage } from './forest-kernel.js';
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
}

/** The default: everything on the calling thread. */
export const callingThreadTrees: TreeRunner = {
  growTrees: async (request) => growTreesHere(request),
  scoreRows: async (image, data) => scoreImage(image, data, 0, data.rows),
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
