import { describe, expect, it } from 'vitest';
import {
  baselineVerdict,
  decileOf,
  decileTable,
  describeEvaluation,
  evaluateScores,
  MIN_HOLDERS,
  modelComparison,
  rocAuc,
  stratifiedSplit,
} from '../../../../src/analytics/predict/evaluate.js';

describe('rocAuc', () => {
  it('matches hand-computed values', () => {
    // Pairs (holder, non-holder): (0.35, 0.1) win, (0.35, 0.4) lose, (0.8, *) win: 3 of 4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
    expect(rocAuc([0.1, 0.8, 0.9], [1, 0, 0])).toBe(0);
  });

  it('counts ties as half a win', () => {
    expect(rocAuc([0.5, 0.5], [0, 1])).toBe(0.5);
    // Holder 0.5 ties one non-holder (0.5) and beats one (0.2): 1.5 of 2.
    expect(rocAuc([0.2, 0.5, 0.5], [0, 0, 1])).toBe(0.75);
  });

  it('is undefined (NaN) with one class only', () => {
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });
});

describe('stratifiedSplit', () => {
  it('keeps the holding rate in both parts, covers every row once and repeats under a seed', () => {
    const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const split = stratifiedSplit(labels, { testFraction: 0.25, seed: 3 });
    expect(split.test.length).toBe(250);
    expect(split.train.length).toBe(750);
    const holders = (rows: Uint32Array): number => rows.reduce((sum, i) => sum + labels[i]!, 0);
    expect(holders(split.test)).toBe(25);
    expect(holders(split.train)).toBe(75);
    expect(new Set([...split.train, ...split.test]).size).toBe(1000);
    expect(stratifiedSplit(labels, { testFraction: 0.25, seed: 3 })).toEqual(split);
    expect(Array.from(stratifiedSplit(labels, { testFraction: 0.25, seed: 4 }).test)).not.toEqual(
      Array.from(split.test),
    );
    expect(() => stratifiedSplit(labels, { testFraction: 1, seed: 1 })).toThrow(RangeError);
  });
});

describe('decile tables', () => {
  // 20 customers, scores 1.00, 0.95, ..., 0.05; holders are ranks 1, 2, 3 and 11.
  const scores = Array.from({ length: 20 }, (_, i) => 1 - i * 0.05);
  const labels = scores.map((_, i) => (i < 3 || i === 10 ? 1 : 0));

  it('puts the highest scores in decile 1, ties in input order', () => {
    expect(Array.from(decileOf(scores)).slice(0, 4)).toEqual([1, 1, 2, 2]);
    expect(Array.from(decileOf([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it('computes gains, lift and calibration by hand', () => {
    const table = decileTable(scores, labels);
    expect(table).toHaveLength(10);
    // Base rate 4/20 = 0.2; decile 1 holds 2 of 2 customers: rate 1, lift 5, half of all holders.
    expect(table[0]).toMatchObject({
      decile: 1,
      customers: 2,
      holders: 2,
      rate: 1,
      lift: 5,
      cumulativeShare: 0.5,
    });
    expect(table[0]!.meanPredicted).toBeCloseTo(0.975, 12);
    expect(table[1]).toMatchObject({ holders: 1, rate: 0.5, lift: 2.5, cumulativeShare: 0.75 });
    expect(table[5]).toMatchObject({ holders: 1, cumulativeShare: 1 });
    expect(table[9]!.cumulativeShare).toBe(1);
  });

  it('summarises the evaluation and says when it cannot be trusted', () => {
    const evaluation = evaluateScores(scores, labels, 40);
    expect(evaluation).toMatchObject({
      customers: 20,
      holders: 4,
      baseRate: 0.2,
      precisionTopDecile: 1,
      liftTopDecile: 5,
    });
    expect(evaluation.calibration[0]).toEqual({
      decile: 1,
      predicted: evaluation.deciles[0]!.meanPredicted,
      observed: 1,
    });
    expect(evaluation.trusted).toBe(true);
    const text = describeEvaluation(evaluation, 'a personal loan');
    expect(text).toContain(
      'the top 10% it picks hold a personal loan 5.0× as often as average (100% vs 20%)',
    );
    // Holders at ranks 1-3 beat all 16 others, the one at rank 11 beats 9: 57 of 64 pairs.
    expect(evaluation.auc).toBe(57 / 64);
    expect(text).toContain('AUC 0.89');
    const few = evaluateScores(scores, labels, MIN_HOLDERS - 1);
    expect(few.trusted).toBe(false);
    expect(describeEvaluation(few, 'a personal loan')).toMatch(/Too few customers hold a personal loan/);
    expect(describeEvaluation(few, 'a personal loan')).not.toMatch(/\d\.\d/);
  });

  it('says plainly when the top decile is no better than average', () => {
    const flat = evaluateScores(
      Array.from({ length: 100 }, (_, i) => i),
      Array.from({ length: 100 }, (_, i) => (i % 10 === 3 ? 1 : 0)),
      100,
    );
    expect(describeEvaluation(flat, 'savings')).toContain('no more often than average');
  });
});

describe('modelComparison', () => {
  const models = (boosting: number, forest: number, logistic: number) => [
    { model: 'boosting', testAuc: boosting },
    { model: 'forest', testAuc: forest },
    { model: 'logistic', testAuc: logistic },
  ];

  it('names the chosen model and every held-out AUC in one line', () => {
    expect(modelComparison('boosting', models(0.871, 0.866, 0.812))).toBe(
      'Chosen by validation: boosting. On held-out customers: boosting 0.871 · forest 0.866 · logistic 0.812.',
    );
  });

  it('says so when another model did clearly better on the held-out customers, by the one verdict', () => {
    const line = modelComparison('forest', models(0.9, 0.85, 0.86));
    expect(line).toMatch(/^Chosen by validation: forest\./);
    expect(baselineVerdict(0.9, 0.85)).toBe('better');
    expect(baselineVerdict(0.86, 0.85)).toBe('better');
    expect(line).toContain('Boosting and the logistic regression ranked them better');
    // Within the noise margin nothing is claimed.
    expect(baselineVerdict(0.853, 0.85)).toBe('same');
    expect(modelComparison('forest', models(0.853, 0.85, 0.84))).not.toContain('ranked them better');
  });

  it('says nothing without a choice', () => {
    expect(modelComparison(null, [])).toBe('');
    expect(baselineVerdict(0.8, null)).toBeNull();
  });
});
