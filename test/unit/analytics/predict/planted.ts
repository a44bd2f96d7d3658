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
