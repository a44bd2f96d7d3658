import {
  type BinnedMatrix,
  binFeatures,
  fitBinner,
  selectRows,
} from '../../../../src/analytics/predict/bin-features.js';
import { stratifiedSplit } from '../../../../src/analytics/predict/evaluate.js';
import {
  generateUptake,
  type UptakeData,
  type UptakeOptions,
} from '../../../../src/analytics/predict/generate-uptake.js';
import type { ForestModel } from '../../../../src/analytics/predict/random-forest.js';

export interface PlantedSplit {
  data: UptakeData;
  train: BinnedMatrix;
  test: BinnedMatrix;
  trainLabels: Uint8Array;
  testLabels: Uint8Array;
  /** True probabilities of the held-out rows (their AUC is the best achievable). */
  testTruth: Float64Array;
  trainRows: Uint32Array;
  testRows: Uint32Array;
}

/** Planted-uptake customers, binned and split 70/30 (stratified, seeded). */
export function plantedSplit(options: UptakeOptions): PlantedSplit {
  const data = generateUptake(options);
  const binned = binFeatures(fitBinner(data.columns), data.columns);
  const split = stratifiedSplit(data.labels, { testFraction: 0.3, seed: options.seed + 1 });
  return {
    data,
    train: selectRows(binned, split.train),
    test: selectRows(binned, split.test),
    trainLabels: Uint8Array.from(split.train, (i) => data.labels[i]!),
    testLabels: Uint8Array.from(split.test, (i) => data.labels[i]!),
    testTruth: Float64Array.from(split.test, (i) => data.probabilities[i]!),
    trainRows: split.train,
    testRows: split.test,
  };
}

/**
 * The forest's definition, node by node, with none of the scoring kernel's tricks: the mean over
 * trees of the value of the leaf each row reaches. Rows [rowStart, rowEnd) only, when given.
 */
export function plainWalk(
  model: ForestModel,
  data: BinnedMatrix,
  rowStart = 0,
  rowEnd = data.rows,
): Float64Array {
  const { codes, rows } = data;
  const expected = new Float64Array(rowEnd - rowStart);
  for (let i = rowStart; i < rowEnd; i++) {
    let sum = 0;
    for (let t = 0; t + 1 < model.treeStart.length; t++) {
      let node = model.treeStart[t]!;
      while (model.feature[node]! >= 0) {
        const code = codes[model.feature[node]! * rows + i]!;
        const flags = model.flags[node]!;
        const goLeft =
          flags === 2
            ? ((model.masks[model.threshold[node]! + (code >> 3)]! >> (code & 7)) & 1) === 1
            : code === 255
              ? flags === 1
              : code <= model.threshold[node]!;
        node = model.left[node]! + (goLeft ? 0 : 1);
      }
      sum += model.value[node]!;
    }
    expected[i - rowStart] = sum / (model.treeStart.length - 1);
  }
  return expected;
}
