import { describe, expect, it } from 'vitest';
import {
  binFeatures,
  type FeatureColumn,
  fitBinner,
  selectRows,
} from '../../../../src/analytics/predict/bin-features.js';
import {
  campaignRules,
  conditionText,
  type RuleCondition,
  roundCut,
} from '../../../../src/analytics/predict/campaign-rules.js';
import { stratifiedSplit } from '../../../../src/analytics/predict/evaluate.js';
import { createRng } from '../../../../src/analytics/rng.js';

/**
 * Bank-marketing-like customers: subscribing is likelier with a high balance and no housing loan,
 * in two countries, and a fifth of the balances are unknown.
 */
function customers(n: number, seed: number): { columns: FeatureColumn[]; labels: Uint8Array } {
  const rng = createRng(seed);
  const balance = new Float64Array(n);
  const age = new Float64Array(n);
  const housing: string[] = [];
  const country: string[] = [];
  const labels = new Uint8Array(n);
  const countries = ['France', 'Germany', 'Spain', 'Italy'];
  for (let i = 0; i < n; i++) {
    balance[i] = rng.next() < 0.2 ? Number.NaN : Math.round(Math.exp(6 + 2 * rng.next()) * 100) / 100;
    age[i] = 18 + Math.floor(rng.next() * 60);
    housing.push(rng.next() < 0.55 ? 'yes' : 'no');
    country.push(countries[Math.floor(rng.next() * 4)]!);
    let p = 0.05;
    if (balance[i]! > 1500) p += 0.2;
    if (housing[i] === 'no') p += 0.12;
    if (country[i] === 'Germany' || country[i] === 'Spain') p += 0.1;
    if (i % 37 === 0) labels[i] = 255;
    else labels[i] = rng.next() < p ? 1 : 0;
  }
  return {
    columns: [
      { name: 'balance', kind: 'numeric', values: balance },
      { name: 'age', kind: 'numeric', values: age },
      { name: 'housing', kind: 'categorical', values: housing },
      { name: 'country', kind: 'categorical', values: country },
    ],
    labels,
  };
}

const NAMES = [
  { name: 'balance', label: 'balance', flag: false },
  { name: 'age', label: 'age', flag: false },
  { name: 'housing', label: 'housing loan', flag: false },
  { name: 'country', label: 'country', flag: false },
];

/** The test's own reading of a stated condition: filters raw cells, sharing no code with the engine. */
function holds(condition: RuleCondition, columns: FeatureColumn[], row: number): boolean {
  const column = columns.find((c) => c.name === condition.column)!;
  if (condition.kind === 'numeric') {
    const v = column.values[row] as number;
    if (Number.isNaN(v)) return condition.missing;
    return (
      (condition.over === null || v > condition.over) && (condition.atMost === null || v <= condition.atMost)
    );
  }
  const v = column.values[row] as string;
  if (v === '') return condition.missing;
  if (condition.values.includes(v)) return true;
  return condition.others && !condition.known.includes(v);
}

function setup(n: number, seed: number) {
  const { columns, labels } = customers(n, seed);
  const binner = fitBinner(columns);
  const binned = binFeatures(binner, columns);
  const labelled = Uint32Array.from(Array.from(labels.keys()).filter((i) => labels[i] !== 255));
  const split = stratifiedSplit(
    Uint8Array.from(labelled, (i) => labels[i]!),
    { testFraction: 0.3, seed },
  );
  const trainRows = Uint32Array.from(split.train, (k) => labelled[k]!);
  const testRows = Uint32Array.from(split.test, (k) => labelled[k]!);
  const rules = campaignRules({
    train: selectRows(binned, trainRows),
    trainLabels: Uint8Array.from(trainRows, (i) => labels[i]!),
    binner,
    columns,
    names: NAMES,
    testRows,
    labels,
    seed,
  });
  return { columns, labels, testRows, rules };
}

describe('campaign rules', () => {
  it('states rates that filtering the held-out customers by the rule’s own conditions reproduces', () => {
    for (const seed of [3, 4]) {
      const { columns, labels, testRows, rules } = setup(6000, seed);
      expect(rules.part).toBe('held-out');
      expect(rules.rules.length).toBeGreaterThanOrEqual(2);
      let base = 0;
      for (const row of testRows) base += labels[row]!;
      expect(rules.customers).toBe(testRows.length);
      expect(rules.baseRate).toBeCloseTo(base / testRows.length, 12);
      for (const rule of rules.rules) {
        let n = 0;
        let yes = 0;
        for (const row of testRows) {
          if (!rule.conditions.every((c) => holds(c, columns, row))) continue;
          n++;
          yes += labels[row]!;
        }
        expect(rule.customers).toBe(n);
        expect(n).toBeGreaterThanOrEqual(20);
        expect(rule.positives).toBe(yes);
        expect(rule.rate).toBeCloseTo(yes / n, 12);
        // A rule to target beats the overall rate; one to leave out is well under it.
        if (rule.kind === 'high') expect(rule.rate).toBeGreaterThan(rules.baseRate);
        else expect(rule.rate).toBeLessThan(rules.baseRate / 2);
      }
    }
  });

  it('finds the planted groups and words them in the data’s units, missing values said', () => {
    const { rules } = setup(8000, 5);
    const best = rules.rules[0]!;
    expect(best.kind).toBe('high');
    expect(best.rate).toBeGreaterThan(rules.baseRate * 1.5);
    const all = rules.rules.map((r) => r.text).join(' | ');
    expect(all).toMatch(/balance (over|[\d,.]+ or less)/);
    // The planted cut is 1,500: a stated balance threshold is a round number near it.
    const cuts = rules.rules.flatMap((r) =>
      r.conditions.flatMap((c) => (c.kind === 'numeric' && c.column === 'balance' ? [c.over, c.atMost] : [])),
    );
    expect(cuts.some((c) => c !== null && Math.abs(c - 1500) < 300)).toBe(true);
    // Depth 3 at most, and every leaf holds at least 3% of the training customers (about 170 here).
    for (const rule of rules.rules) expect(rule.conditions.length).toBeLessThanOrEqual(3);
    expect(all).not.toMatch(/undefined|NaN/);
  });

  it('reads categories, yes/no columns and missing values in plain words', () => {
    const { columns } = customers(200, 1);
    const country: RuleCondition = {
      kind: 'categorical',
      column: 'country',
      values: ['Germany', 'Spain'],
      others: false,
      known: ['France', 'Germany', 'Spain', 'Italy'],
      missing: false,
    };
    expect(conditionText(country, NAMES, columns)).toBe('country is Germany or Spain');
    expect(
      conditionText({ ...country, values: ['France', 'Germany', 'Spain'], others: true }, NAMES, columns),
    ).toBe('country is not Italy');
    expect(
      conditionText(
        {
          kind: 'categorical',
          column: 'housing',
          values: ['no'],
          others: false,
          known: ['yes', 'no'],
          missing: false,
        },
        NAMES,
        columns,
      ),
    ).toBe('no housing loan');
    const balance: RuleCondition = {
      kind: 'numeric',
      column: 'balance',
      over: 1500,
      atMost: null,
      missing: false,
    };
    expect(conditionText(balance, NAMES, columns)).toBe('balance over 1,500');
    expect(conditionText({ ...balance, over: null, atMost: 1500, missing: true }, NAMES, columns)).toBe(
      'balance 1,500 or less, or unknown',
    );
    expect(conditionText({ ...balance, over: null, atMost: 1500 }, NAMES, columns)).toBe(
      'balance 1,500 or less (unknown excluded)',
    );
  });

  it('cuts at the roundest number between the values either side', () => {
    expect(roundCut(1487.5, 1512)).toBe(1500);
    expect(roundCut(40, 41)).toBe(40);
    expect(roundCut(0.27, 0.31)).toBe(0.3);
    expect(roundCut(-3.2, 7)).toBe(0);
    expect(roundCut(12345, 12346)).toBe(12345);
    for (const [lo, hi] of [
      [0.001, 0.0015],
      [99.99, 100.2],
      [-50, -49.5],
    ] as const) {
      const r = roundCut(lo, hi);
      expect(r).toBeGreaterThanOrEqual(lo);
      expect(r).toBeLessThan(hi);
    }
  });
});
