import { describe, expect, it } from 'vitest';
import { colorSlots } from '../../../../src/analytics/compare/color-slots.js';
import {
  assessComparability,
  compareRuns,
  isSignificantChange,
  moverCount,
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
      // One name everywhere: the current run's own name, paired with its previous self.
      expect(change.current!.name).toBe(`${change.previous!.name} (renamed)`);
      expect(after.segments[change.current!.index]!.name).toBe(change.current!.name);
    }
    expect(comparison.currentNames).toEqual([
      'Transactors (renamed)',
      'Cash-advance users (renamed)',
      'Revolvers (renamed)',
    ]);
    expect(comparison.causes).toEqual([]);
    // Everyone stayed: in the matrix's one order for rows and columns, that is the diagonal.
    expect(comparison.commonCustomers).toBe(100);
    expect(comparison.migration.pairs).toBe(3);
    expect(comparison.migration.from).toEqual(['Revolvers', 'Transactors', 'Cash-advance users']);
    expect(comparison.migration.to).toEqual([
      'Revolvers (renamed)',
      'Transactors (renamed)',
      'Cash-advance users (renamed)',
    ]);
    expect(comparison.migration.toIndex).toEqual([2, 0, 1]);
    expect(comparison.migration.counts).toEqual([
      [30, 0, 0],
      [0, 40, 0],
      [0, 0, 30],
    ]);
    expect(moverCount(comparison.migration)).toBe(0);
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
    // Readable label, original units.
    expect(revolvers.shifts[0]!.text).toBe('average cash advances up 38% (500 → 690)');
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
    // A change of k is the cause, not customers moving.
    expect(comparison.causes).toEqual(['k changed from 3 to 2']);
    expect(comparison.headline).toMatch(/^The segments were re-drawn because k changed from 3 to 2/);
    // The dissolved row comes after the matched pairs; the diagonal holds the stayers.
    expect(comparison.migration.from).toEqual(['Revolvers', 'Transactors', 'Cash-advance users']);
    expect(comparison.migration.counts).toEqual([
      [30, 0],
      [0, 40],
      [0, 0],
    ]);
  });

  it('tells the shift of a category as a share in points', () => {
    const withCategory = (runId: number, share: number): RunSnapshot => {
      const run = snapshot(runId, base, [0, 1, 2], [ids('r', 30), ids('t', 40), ids('c', 30)]);
      const profile = [{ feature: 'Geography=Germany', mean: share, median: 0, populationMean: 0.25, z: 0 }];
      return {
        ...run,
        transform: {
          version: 1,
          features: [
            ...transform.features,
            {
              kind: 'onehot',
              name: 'Geography=Germany',
              column: 'Geography',
              category: 'Germany',
              mean: 0.25,
              std: 0.1,
            },
          ],
        },
        segments: run.segments.map((s) => ({
          ...s,
          profile,
          centroid: { ...s.centroid, original: { ...s.centroid.original, 'Geography=Germany': share } },
        })),
      };
    };
    const comparison = compareRuns(withCategory(1, 0.2), withCategory(2, 0.3));
    const shift = comparison.changes[0]!.shifts.find((s) => s.feature === 'Geography=Germany')!;
    expect(shift.text).toBe('share with country: Germany up 10 points (20% → 30%)');
  });
});

describe('assessComparability', () => {
  it('compares runs on the same customers and names a change of k as the cause', () => {
    const before = snapshot(1, base, [0, 1, 2], [ids('r', 30), ids('t', 40), ids('c', 30)]);
    const fewer = snapshot(2, base.slice(0, 2), [0, 1], [ids('r', 60), ids('t', 40)]);
    const verdict = assessComparability(before, fewer);
    expect(verdict).toMatchObject({ comparable: true, reason: null, causes: ['k changed from 3 to 2'] });
  });

  it('does not compare runs on a different customer base, and says why with the counts', () => {
    const before = snapshot(5, base, [0, 1, 2], [ids('r', 30), ids('t', 40), ids('c', 30)]);
    const other = snapshot(6, base, [0, 1, 2], [ids('x', 300), ids('y', 400), ids('z', 300)]);
    const verdict = assessComparability(before, other);
    expect(verdict.comparable).toBe(false);
    expect(verdict.reason).toBe(
      'run #6 is on a different customer base: 0 of 1,000 customers in common with run #5; not compared',
    );
    // Mostly the same customers (60 of 100) is the same base.
    const overlap = snapshot(7, base, [0, 1, 2], [ids('r', 30), ids('t', 30), ids('n', 40)]);
    expect(assessComparability(before, overlap).comparable).toBe(true);
  });

  it('names changed features as a cause', () => {
    const before = snapshot(1, base, [0, 1, 2], [ids('r', 30), ids('t', 40), ids('c', 30)]);
    const after = {
      ...snapshot(2, base, [0, 1, 2], [ids('r', 30), ids('t', 40), ids('c', 30)]),
      transform: { version: 1 as const, features: transform.features.slice(0, 2) },
    };
    expect(assessComparability(before, after).causes).toEqual([
      'the features changed (removed cash advances)',
    ]);
  });
});

describe('colorSlots', () => {
  it('keeps each segment’s colour across runs even when k-means renumbers it, and gives new ones a free slot', () => {
    const first = snapshot(1, base, [0, 1, 2], [ids('r', 30), ids('t', 40), ids('c', 30)]);
    const renumbered = snapshot(2, base, [2, 0, 1], [ids('r', 30), ids('t', 40), ids('c', 30)]);
    // Segment 0 of run 2 is the transactors (slot 1), 1 the cash-advance users (2), 2 the revolvers (0).
    expect(colorSlots([first, renumbered])).toEqual([1, 2, 0]);
    const replaced = snapshot(
      3,
      [base[1]!, { name: 'Dormant', persona: 'dormant', centre: [10, 0, 0], size: 30 }, base[0]!],
      [0, 1, 2],
      [ids('t', 40), ids('d', 30), ids('r', 30)],
    );
    // Transactors and revolvers keep theirs; the new segment does not take the dissolved one's colour.
    expect(colorSlots([first, renumbered, replaced])).toEqual([1, 3, 0]);
  });
});
