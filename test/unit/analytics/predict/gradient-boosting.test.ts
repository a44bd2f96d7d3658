import { describe, expect, it } from 'vitest';
import {
  binFeatures,
  type FeatureColumn,
  fitBinner,
  selectRows,
} from '../../../../src/analytics/predict/bin-features.js';
import {
  type Candidates,
  chooseModel,
  MODEL_KINDS,
  pickByValidation,
} from '../../../../src/analytics/predict/choose-model.js';
import { rocAuc, stratifiedSplit } from '../../../../src/analytics/predict/evaluate.js';
import {
  type BoostedModel,
  predictBoosting,
  trainBoosting,
} from '../../../../src/analytics/predict/gradient-boosting.js';
import { fitLogistic, predictLogistic } from '../../../../src/analytics/predict/logistic-regression.js';
import { predictForest, trainForest } from '../../../../src/analytics/predict/random-forest.js';
import {
  deserializeBoosting,
  type SerializedBoosting,
  serializeBoosting,
} from '../../../../src/analytics/predict/serialize-forest.js';
import { PROPENSITY_FOREST, trainPropensity } from '../../../../src/analytics/predict/train-propensity.js';
import { callingThreadTrees } from '../../../../src/analytics/predict/tree-runner.js';
import { createRng } from '../../../../src/analytics/rng.js';
import { plainWalk, plantedSplit } from './planted.js';
import { ingestText, plantedCsv } from './propensity-fixture.js';

const sameModel = (a: BoostedModel, b: BoostedModel): void => {
  expect(serializeBoosting(a)).toEqual(serializeBoosting(b));
};

/**
 * A rule no single feature and no straight line captures: uptake is likely when x and y have the
 * same sign (an interaction), plus a threshold on z. A category adds noise.
 */
function interaction(rows: number, seed: number): { columns: FeatureColumn[]; labels: Uint8Array } {
  const rng = createRng(seed);
  const x = new Float64Array(rows);
  const y = new Float64Array(rows);
  const z = new Float64Array(rows);
  const noise = new Float64Array(rows);
  const region: string[] = [];
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    x[i] = rng.normal();
    y[i] = rng.normal();
    z[i] = rng.next() * 10;
    noise[i] = rng.normal();
    region.push(['north', 'south', 'east'][rng.int(3)]!);
    const logit = (x[i]! * y[i]! > 0 ? 1.8 : -1.8) + (z[i]! > 7 ? 1 : 0) - 0.5;
    labels[i] = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return {
    columns: [
      { name: 'x', kind: 'numeric', values: x },
      { name: 'y', kind: 'numeric', values: y },
      { name: 'z', kind: 'numeric', values: z },
      { name: 'noise', kind: 'numeric', values: noise },
      { name: 'region', kind: 'categorical', values: region },
    ],
    labels,
  };
}

describe('trainBoosting', () => {
  it('gives the same model for the same seed, and another validation slice for another seed', () => {
    const s = plantedSplit({ rows: 2000, numeric: 6, categorical: 1, seed: 4 });
    const a = trainBoosting(s.train, s.trainLabels, { seed: 5 });
    const b = trainBoosting(s.train, s.trainLabels, { seed: 5 });
    sameModel(a, b);
    const c = trainBoosting(s.train, s.trainLabels, { seed: 6 });
    expect(serializeBoosting(c)).not.toEqual(serializeBoosting(a));
  });

  it('finds an interaction the logistic regression cannot, and beats or matches the forest on it', () => {
    const { columns, labels } = interaction(6000, 21);
    const binned = binFeatures(fitBinner(columns), columns);
    const split = stratifiedSplit(labels, { testFraction: 0.3, seed: 2 });
    const trainLabels = Uint8Array.from(split.train, (i) => labels[i]!);
    const testLabels = Uint8Array.from(split.test, (i) => labels[i]!);
    const boosting = trainBoosting(selectRows(binned, split.train), trainLabels, { seed: 1 });
    const boostAuc = rocAuc(predictBoosting(boosting, selectRows(binned, split.test)), testLabels);
    const forest = trainForest(selectRows(binned, split.train), trainLabels, {
      ...PROPENSITY_FOREST,
      seed: 1,
    });
    const forestAuc = rocAuc(predictForest(forest, selectRows(binned, split.test)), testLabels);
    const logistic = fitLogistic(columns, labels, {}, split.train);
    const testColumns = columns.map((c) =>
      c.kind === 'numeric'
        ? { ...c, values: Float64Array.from(split.test, (i) => c.values[i]!) }
        : { ...c, values: Array.from(split.test, (i) => c.values[i]!) },
    );
    const logisticAuc = rocAuc(predictLogistic(logistic, testColumns), testLabels);
    expect(logisticAuc).toBeLessThan(0.7);
    expect(boostAuc).toBeGreaterThan(0.8);
    expect(boostAuc).toBeGreaterThanOrEqual(forestAuc - 0.005);
    // The interaction's two features carry most of the gain; the pure-noise feature little.
    expect(boosting.importances[0]! + boosting.importances[1]!).toBeGreaterThan(0.6);
    expect(boosting.importances[3]!).toBeLessThan(0.1);
  });

  it('ranks planted uptake at least as well as the forest', () => {
    const s = plantedSplit({ rows: 12000, numeric: 8, categorical: 2, seed: 11, baseRate: 0.15 });
    const boostAuc = rocAuc(
      predictBoosting(trainBoosting(s.train, s.trainLabels, { seed: 1 }), s.test),
      s.testLabels,
    );
    const forestAuc = rocAuc(
      predictForest(trainForest(s.train, s.trainLabels, { ...PROPENSITY_FOREST, seed: 1 }), s.test),
      s.testLabels,
    );
    expect(boostAuc).toBeGreaterThanOrEqual(forestAuc - 0.005);
    expect(boostAuc).toBeGreaterThan(rocAuc(s.testTruth, s.testLabels) - 0.05);
  });

  it('stops early on labels nothing predicts, keeping only the rounds that helped', () => {
    const s = plantedSplit({ rows: 3000, numeric: 5, categorical: 0, seed: 8 });
    const rng = createRng(99);
    const coinFlips = Uint8Array.from(s.trainLabels, () => (rng.next() < 0.3 ? 1 : 0));
    const model = trainBoosting(s.train, coinFlips, { seed: 1, maxIterations: 200 });
    expect(model.iterations).toBeLessThan(30);
    expect(model.treeStart.length - 1).toBe(model.iterations);
  });

  it('scores as the sum of its leaves over the base log-odds, and every node carries a value', () => {
    const s = plantedSplit({ rows: 1500, numeric: 5, categorical: 2, seed: 6 });
    const model = trainBoosting(s.train, s.trainLabels, { seed: 2 });
    const trees = model.treeStart.length - 1;
    // plainWalk averages leaf values over the trees: times the tree count, it is their sum.
    const sums = plainWalk(model as never, s.test);
    const expected = Array.from(sums, (mean) => 1 / (1 + Math.exp(-(model.baseScore + mean * trees))));
    const scores = predictBoosting(model, s.test);
    scores.forEach((p, i) => {
      expect(p).toBeCloseTo(expected[i]!, 9);
    });
    // Internal nodes hold their own shrunk Newton value (path contributions read them).
    let internal = 0;
    let nonZero = 0;
    for (let i = 0; i < model.feature.length; i++) {
      if (model.feature[i]! < 0) continue;
      internal++;
      if (model.value[i] !== 0) nonZero++;
      expect(Number.isFinite(model.value[i]!)).toBe(true);
    }
    expect(internal).toBeGreaterThan(trees);
    expect(nonZero).toBeGreaterThan(internal / 2);
    // At most 31 leaves per tree.
    for (let t = 0; t < trees; t++) {
      const nodes = model.treeStart[t + 1]! - model.treeStart[t]!;
      expect((nodes + 1) / 2).toBeLessThanOrEqual(31);
    }
  });

  it('weighs a rare product by default, and its probabilities keep the data’s base rate', () => {
    const s = plantedSplit({ rows: 20000, numeric: 6, categorical: 1, seed: 12, baseRate: 0.015 });
    const model = trainBoosting(s.train, s.trainLabels, { seed: 1 });
    expect(model.options.classWeight).toBe('auto');
    const scores = predictBoosting(model, s.test);
    expect(rocAuc(scores, s.testLabels)).toBeGreaterThan(0.8);
    let mean = 0;
    for (const p of scores) mean += p / scores.length;
    // Balanced weights would put the mean near 0.5; the base score's correction brings it back.
    expect(mean).toBeLessThan(0.1);
  });

  it('survives storing: the same scores after a JSON round trip, and damage is refused', () => {
    const s = plantedSplit({ rows: 1500, numeric: 5, categorical: 2, seed: 3 });
    const model = trainBoosting(s.train, s.trainLabels, { seed: 1 });
    const stored = JSON.parse(JSON.stringify(serializeBoosting(model))) as SerializedBoosting;
    const back = deserializeBoosting(stored);
    expect(Array.from(predictBoosting(back, s.test))).toEqual(Array.from(predictBoosting(model, s.test)));
    expect(() => deserializeBoosting({ ...stored, nFeatures: 1 })).toThrow(/damaged/);
    expect(() => deserializeBoosting({ ...stored, baseScore: Number.NaN })).toThrow(/damaged/);
  });
});

describe('model choice', () => {
  it('picks the best validation AUC, an exact tie going to the earlier kind', () => {
    expect(
      pickByValidation([
        { model: 'boosting', validationAuc: 0.8 },
        { model: 'forest', validationAuc: 0.82 },
        { model: 'logistic', validationAuc: 0.79 },
      ]),
    ).toBe('forest');
    expect(
      pickByValidation([
        { model: 'boosting', validationAuc: 0.8 },
        { model: 'forest', validationAuc: 0.8 },
        { model: 'logistic', validationAuc: null },
      ]),
    ).toBe('boosting');
  });

  it('never looks at the customers it is not given: scrambling the held-out labels changes nothing', async () => {
    const { columns, labels } = interaction(3000, 5);
    const split = stratifiedSplit(labels, { testFraction: 0.25, seed: 1 });
    const candidates = (rowLabels: Uint8Array): Candidates => ({
      columns,
      binned: binFeatures(fitBinner(columns), columns),
      labels: rowLabels,
      forest: { ...PROPENSITY_FOREST, nTrees: 20, seed: 1 },
      boosting: { seed: 1 },
      runner: callingThreadTrees,
    });
    const honest = await chooseModel(candidates(labels), split.train, 7);
    // Flip every held-out label: a choice that peeked at them would now go another way.
    const flipped = labels.slice();
    for (const i of split.test) flipped[i] = 1 - flipped[i]!;
    const blind = await chooseModel(candidates(flipped), split.train, 7);
    expect(blind).toEqual(honest);
    expect(honest.chosen).not.toBe('logistic');
  });

  it('reports every candidate, and the chosen one is the best on validation, not on the test', async () => {
    const ingest = await ingestText(plantedCsv(1500, 5));
    const { result, model } = await trainPropensity(ingest, { product: 'HAS_LOAN', forest: { nTrees: 20 } });
    expect(result.models.map((m) => m.model)).toEqual([...MODEL_KINDS]);
    for (const m of result.models) {
      expect(m.validationAuc).toBeGreaterThan(0.5);
      expect(m.testAuc).toBeGreaterThan(0.5);
    }
    expect(result.model).toBe(pickByValidation(result.models));
    expect(result.auc).toBe(result.models.find((m) => m.model === result.model)!.testAuc);
    expect(model!.kind).toBe(result.model);
    expect(model![result.model!]).toBeDefined();
  });
});
