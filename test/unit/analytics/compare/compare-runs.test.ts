import { describe, expect, it } from 'vitest';
import {
  compareRuns,
  isSignificantChange,
  type RunSnapshot,
} from '../../../../src/analytics/compare/compare-runs.js';
import type { FittedTransform, PersonaKey } from '../../../../src/analytics/types.js';

const transform: FittedTransform = {
  version: 1,
  features: [
    {
      kind: 'numeric',
      name: 'BALANCE',
      column: 'BALANCE',
      median: 800,
      imputed: 0,
      log1p: false,
      mean: 1500,
      std: 1000,
    },
    {
      kind: 'numeric',
      name: 'PURCHASES',
      column: 'PURCHASES',
      median: 300,
      imputed: 0,
      log1p: false,
      mean: 1000,
      std: 800,
    },
    {
      kind: 'numeric',
      name: 'CASH_ADVANCE',
      column: 'CASH_ADVANCE',
      median: 0,
      imputed: 0,
      log1p: false,
      mean: 900,
      std: 1200,
    },
  ],
};

interface Spec {
  name: string;
  persona: PersonaKey;
  centre: [number, number, number];
  size: number;
}

/** Builds a run whose segment `order[i]` is spec i, so the same segments can be numbered differently. */
function snapshot(
  runId: number,
  specs: Spec[],
  order: number[],
  customersPerSegment: string[][],
): RunSnapshot {
  const total = specs.reduce((sum, s) => sum + s.size, 0);
  const segments = specs.map((_, position) => {
    const spec = specs[order.indexOf(position)]!;
    return {
      index: position,
      name: spec.name,
      persona: spec.persona,
      size: spec.size,
      share: spec.size / total,
      profile: [],
      actions: [],
      centroid: {
        standardized: [],
        original: { BALANCE: spec.centre[0], PURCHASES: spec.centre[1], CASH_ADVANCE: spec.centre[2] },
      },
    };
  });
  const customerIds: string[] = [];
  const labels: number[] = [];
  customersPerSegment.forEach((ids, specIndex) => {
    for (const id of ids) {
      customerIds.push(id);
      labels.push(order[specIndex]!);
    }
  });
  return { runId, transform, segments, customerIds, labels: Int32Array.from(labels) };
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const base: Spec[] = [
  { name: 'Revolvers', persona: 'revolver', centre: [4000, 300, 500], size: 30 },
  { name: 'Transactors', persona: 'transactor', centre: [500, 3000, 0], size: 40 },
  { name: 'Cash-advance users', persona: 'cash_advance', centre: [2500, 200, 4000], size: 30 },
];

describe('compareRuns', () => {
  it('pairs segments by centroid even when k-means numbered them differently', () => {
    const customers = [ids('r', 30), ids('t', 40), ids('c', 30)];
    const before = snapshot(1, base, [0, 1, 2], customers);
    // Same segments, slightly moved, numbered 2, 0, 1 and with fresh namer output.
    const moved: Spec[] = base.map((s) => ({
      ...s,
      name: `${s.name} (renamed)`,
      centre: [s.centre[0] * 1.05, s.centre[1], s.centre[2]],
    }));
    const after = snapshot(2, moved, [2, 0, 1], customers);

    const comparison = compareRuns(before, after);
    expect(comparison.changes.every((c) => c.status === 'matched')).toBe(true);
    for (const change of comparison.changes) {
      // The inherited name is the previous one: "segment 2" keeps its identity across runs.
      expect(change.current!.name).toBe(change.previous!.name);
      expect(after.segments[change.current!.index]!.name).toBe(`${change.previous!.name} (renamed)`);
    }
    expect(comparison.currentNames).toEqual(['Transactors', 'Cash-advance users', 'Revolvers']);
    // Everyone stayed: the migration matrix is a permutation with the sizes on it.
    expect(comparison.commonCustomers).toBe(100);
    expect(comparison.migration.counts).toEqual([
      [0, 0, 30],
      [40, 0, 0],
      [0, 30, 0],
    ]);
    expect(comparison.headline).toMatch(/stable/);
    expect(isSignificantChange(comparison, 5)).toBe(false);
  });

  it('reports movers, share changes and centroid shifts in plain words', () => {
    const before = snapshot(1, base, [0, 1, 2], [ids('r', 30), ids('t', 40), ids('c', 30)]);
    // Ten transactors became revolvers; revolvers now carry more cash advance.
    const grown: Spec[] = [
      { ...base[0]!, centre: [4000, 300, 690], size: 40 },
      { ...base[1]!, size: 30 },
      base[2]!,
    ];
    const after = snapshot(
      2,
      grown,
      [0, 1, 2],
      [[...ids('r', 30), ...ids('t', 10)], ids('t', 40).slice(10), ids('c', 30)],
    );
    const comparison = compareRuns(before, after);

    expect(comparison.headline).toBe('10 customers moved from Transactors to Revolvers.');
    const revolvers = comparison.changes.find((c) => c.previous?.name === 'Revolvers')!;
    expect(revolvers.sizeChange).toBe(10);
    expect(revolvers.shareChangePp).toBeCloseTo(10, 9);
    expect(revolvers.shifts[0]!.text).toBe('average CASH_ADVANCE up 38% (500 → 690)');
    expect(isSignificantChange(comparison, 5)).toBe(true);
    expect(isSignificantChange(comparison, 15)).toBe(false);
  });

  it('reports a segment with no close partner as dissolved and its replacement as new', () => {
    const before = snapshot(1, base, [0, 1, 2], [ids('r', 30), ids('t', 40), ids('c', 30)]);
    const replaced: Spec[] = [
      base[0]!,
      base[1]!,
      { name: 'Dormant', persona: 'dormant', centre: [10, 0, 0], size: 30 },
    ];
    const after = snapshot(2, replaced, [0, 1, 2], [ids('r', 30), ids('t', 40), ids('d', 30)]);
    const comparison = compareRuns(before, after);

    const statuses = comparison.changes
      .map((c) => `${c.status}:${c.previous?.name ?? c.current?.name}`)
      .sort();
    expect(statuses).toEqual([
      'dissolved:Cash-advance users',
      'matched:Revolvers',
      'matched:Transactors',
      'new:Dormant',
    ]);
    expect(comparison.newCustomers).toBe(30);
    expect(comparison.departedCustomers).toBe(30);
    expect(isSignificantChange(comparison, 50)).toBe(true);
  });

  it('handles a different number of segments', () => {
    const before = snapshot(1, base, [0, 1, 2], [ids('r', 30), ids('t', 40), ids('c', 30)]);
    const fewer = snapshot(2, base.slice(0, 2), [0, 1], [ids('r', 30), ids('t', 40)]);
    const comparison = compareRuns(before, fewer);
    expect(comparison.changes.filter((c) => c.status === 'matched')).toHaveLength(2);
    expect(comparison.changes.find((c) => c.status === 'dissolved')?.previous?.name).toBe(
      'Cash-advance users',
    );
  });
});
