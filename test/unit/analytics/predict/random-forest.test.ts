import { RandomForestClassifier } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import {
  binFeatures,
  type FeatureColumn,
  fitBinner,
} from '../../../../src/analytics/predict/bin-features.js';
import { rocAuc } from '../../../../src/analytics/predict/evaluate.js';
import {
  type ForestModel,
  predictForest,
  trainForest,
} from '../../../../src/analytics/predict/random-forest.js';
import {
  deserializeForest,
  type SerializedForest,
  serializeForest,
} from '../../../../src/analytics/predict/serialize-forest.js';
import { plainWalk, plantedSplit } from './planted.js';

const sameModel = (a: ForestModel, b: ForestModel): void => {
  expect(Array.from(a.treeStart)).toEqual(Array.from(b.treeStart));
  expect(Array.from(a.feature)).toEqual(Array.from(b.feature));
  expect(Array.from(a.threshold)).toEqual(Array.from(b.threshold));
  expect(Array.from(a.value)).toEqual(Array.from(b.value));
  expect(Array.from(a.masks)).toEqual(Array.from(b.masks));
};

describe('trainForest', () => {
  it('ranks planted uptake well above chance and close to the best achievable', () => {
    const s = plantedSplit({ rows: 3000, numeric: 8, categorical: 2, seed: 11, baseRate: 0.15 });
    const model = trainForest(s.train, s.trainLabels, { nTrees: 40, seed: 1, minSamplesLeaf: 5 });
    const auc = rocAuc(predictForest(model, s.test), s.testLabels);
    const best = rocAuc(s.testTruth, s.testLabels);
    expect(best).toBeGreaterThan(0.8);
    expect(auc).toBeGreaterThan(0.75);
    expect(auc).toBeGreaterThan(best - 0.08);
  });

  it('is at least as good as ml-random-forest on the same small planted problem', () => {
    const s = plantedSplit({ rows: 900, numeric: 6, categorical: 0, seed: 5, baseRate: 0.3, missingRate: 0 });
    const dense = (rows: Uint32Array): number[][] =>
      Array.from(rows, (i) => s.data.columns.map((c) => c.values[i] as number));
    const oracle = new RandomForestClassifier({ nEstimators: 10, maxFeatures: 0.5, seed: 3, noOOB: true });
    oracle.train(dense(s.trainRows), Array.from(s.trainLabels));
    const oracleAuc = rocAuc(oracle.predictProbability(dense(s.testRows), 1), s.testLabels);
    const ours = trainForest(s.train, s.trainLabels, { nTrees: 50, seed: 3 });
    const ourAuc = rocAuc(predictForest(ours, s.test), s.testLabels);
    expect(oracleAuc).toBeGreaterThan(0.6);
    expect(ourAuc).toBeGreaterThan(0.65);
    expect(ourAuc).toBeGreaterThan(oracleAuc - 0.02);
  });

  it('gives identical forests for the same seed and different ones for another seed', () => {
    const s = plantedSplit({ rows: 1500, numeric: 6, categorical: 1, seed: 3 });
    const a = trainForest(s.train, s.trainLabels, { nTrees: 8, seed: 42 });
    const b = trainForest(s.train, s.trainLabels, { nTrees: 8, seed: 42 });
    sameModel(a, b);
    const c = trainForest(s.train, s.trainLabels, { nTrees: 8, seed: 43 });
    expect(Array.from(c.feature)).not.toEqual(Array.from(a.feature));
  });

  it('learns a categorical rule natively and a missing-value rule exactly', () => {
    const n = 400;
    const region = Array.from({ length: n }, (_, i) => ['a', 'b', 'c', 'd', 'e'][i % 5]!);
    const income = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? Number.NaN : (i * 13) % 101));
    const columns: FeatureColumn[] = [
      { name: 'region', kind: 'categorical', values: region },
      { name: 'income', kind: 'numeric', values: income },
    ];
    const binned = binFeatures(fitBinner(columns), columns);
    // Holders: regions a, c, e (not contiguous in any order of codes) or a missing income.
    const labels = Uint8Array.from({ length: n }, (_, i) =>
      region[i] === 'a' || region[i] === 'c' || region[i] === 'e' || Number.isNaN(income[i]!) ? 1 : 0,
    );
    const model = trainForest(binned, labels, {
      nTrees: 10,
      seed: 1,
      maxFeatures: 'all',
      bootstrap: false,
      maxSamples: 1,
    });
    const p = predictForest(model, binned);
    for (let i = 0; i < n; i++) expect(p[i]).toBe(labels[i]);
    expect(model.importances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('ranks the informative feature first and ignores noise', () => {
    const n = 2000;
    const signal = Float64Array.from({ length: n }, (_, i) => (i * 7) % 100);
    const noise = Float64Array.from({ length: n }, (_, i) => (i * 31) % 17);
    const columns: FeatureColumn[] = [
      { name: 'noise', kind: 'numeric', values: noise },
      { name: 'signal', kind: 'numeric', values: signal },
    ];
    const labels = Uint8Array.from(signal, (v) => (v > 70 ? 1 : 0));
    const binned = binFeatures(fitBinner(columns), columns);
    const model = trainForest(binned, labels, { nTrees: 20, seed: 2, maxFeatures: 'all', minSamplesLeaf: 5 });
    expect(model.importances[1]!).toBeGreaterThan(0.9);
    expect(rocAuc(predictForest(model, binned), labels)).toBe(1);
  });

  it('finds a rare product (1.5% holders) with balanced class weights', () => {
    const s = plantedSplit({ rows: 6000, numeric: 8, categorical: 1, seed: 21, baseRate: 0.015 });
    const model = trainForest(s.train, s.trainLabels, { nTrees: 40, seed: 5, minSamplesLeaf: 10 });
    expect(rocAuc(predictForest(model, s.test), s.testLabels)).toBeGreaterThan(0.75);
  });

  it('scores exactly as a plain walk of the stored trees, missing-left and categorical splits included', () => {
    const s = plantedSplit({ rows: 2000, numeric: 6, categorical: 3, seed: 9 });
    const model = trainForest(s.train, s.trainLabels, { nTrees: 8, seed: 3 });
    expect(Array.from(model.flags)).toContain(1);
    expect(Array.from(model.flags)).toContain(2);
    const expected = plainWalk(model, s.test);
    expect(Array.from(predictForest(model, s.test))).toEqual(Array.from(expected));
  });

  it('draws at most maxRowsPerTree rows per tree', () => {
    const s = plantedSplit({ rows: 4000, numeric: 6, categorical: 1, seed: 5 });
    const full = trainForest(s.train, s.trainLabels, { nTrees: 5, seed: 1, minSamplesLeaf: 1 });
    const capped = trainForest(s.train, s.trainLabels, {
      nTrees: 5,
      seed: 1,
      minSamplesLeaf: 1,
      maxRowsPerTree: 100,
    });
    // A tree on at most 100 draws has at most 100 leaves, so at most 199 nodes.
    for (let t = 0; t < 5; t++)
      expect(capped.treeStart[t + 1]! - capped.treeStart[t]!).toBeLessThanOrEqual(199);
    expect(full.feature.length).toBeGreaterThan(5 * 199);
  });

  it('survives a JSON round trip with the same predictions, and rejects a damaged model', () => {
    const s = plantedSplit({ rows: 1000, numeric: 5, categorical: 2, seed: 4 });
    const model = trainForest(s.train, s.trainLabels, { nTrees: 5, seed: 1 });
    const stored = JSON.parse(JSON.stringify(serializeForest(model))) as SerializedForest;
    const restored = deserializeForest(stored);
    expect(Array.from(predictForest(restored, s.test))).toEqual(Array.from(predictForest(model, s.test)));
    expect(Array.from(restored.importances)).toEqual(Array.from(model.importances));
    const damaged = { ...stored, arrays: { ...stored.arrays, left: stored.arrays.left.slice(0, 8) } };
    expect(() => deserializeForest(damaged)).toThrow(/damaged/);
  });

  it('rejects labels that do not fit the data', () => {
    const s = plantedSplit({ rows: 200, numeric: 4, categorical: 0, seed: 1 });
    expect(() => trainForest(s.train, s.trainLabels.subarray(1))).toThrow(RangeError);
    expect(() =>
      trainForest(
        s.train,
        s.trainLabels.map(() => 2),
      ),
    ).toThrow(/0 or 1/);
    expect(() => trainForest(s.train, s.trainLabels, { nTrees: 0 })).toThrow(/nTrees/);
    const model = trainForest(s.train, s.trainLabels, { nTrees: 2 });
    expect(() => predictForest({ ...model, nFeatures: 9 }, s.test)).toThrow(/expects 9 features/);
  });
});
