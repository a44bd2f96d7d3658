import { describe, expect, it } from 'vitest';
import type { RunComparison } from '../../../../src/analytics/compare/compare-runs.js';
import { summarizeDigest } from '../../../../src/analytics/compare/summarize-digest.js';
import type { PersonaKey, Segment } from '../../../../src/analytics/types.js';

function segment(
  index: number,
  name: string,
  persona: PersonaKey,
  size: number,
  share: number,
  action: string,
): Segment {
  return {
    index,
    name,
    persona,
    size,
    share,
    profile: [],
    traits: [],
    actions: [{ title: action, reason: 'because' }],
    centroid: { standardized: [], original: {} },
  };
}

const current = [
  segment(0, 'Revolvers v2', 'revolver', 40, 0.4, 'Balance-transfer offer'),
  segment(1, 'Transactors', 'transactor', 30, 0.3, 'Cashback upgrade'),
  segment(2, 'Dormant', 'dormant', 30, 0.3, 'Reactivation incentive'),
];

describe('summarizeDigest', () => {
  it('gives a baseline digest when there is no previous run', () => {
    const summary = summarizeDigest(current, null);
    expect(summary.headline).toMatch(/baseline/);
    expect(summary.rows.map((r) => [r.name, r.status, r.sizeChange, r.topAction])).toEqual([
      ['Revolvers v2', 'first', null, 'Balance-transfer offer'],
      ['Transactors', 'first', null, 'Cashback upgrade'],
      ['Dormant', 'first', null, 'Reactivation incentive'],
    ]);
    expect(summary.movers).toBe(0);
  });

  it('uses the current run’s own names, week-over-week changes, new and dissolved segments, and counts movers', () => {
    const comparison: RunComparison = {
      previousRunId: 1,
      currentRunId: 2,
      currentNames: ['Revolvers', 'Transactors', 'Dormant'],
      causes: [],
      changes: [
        {
          status: 'matched',
          previous: { index: 0, name: 'Revolvers', size: 30, share: 0.3 },
          current: { index: 0, name: 'Revolvers', size: 40, share: 0.4 },
          distance: 0.2,
          sizeChange: 10,
          shareChangePp: 10,
          shifts: [],
        },
        {
          status: 'matched',
          previous: { index: 1, name: 'Transactors', size: 40, share: 0.4 },
          current: { index: 1, name: 'Transactors', size: 30, share: 0.3 },
          distance: 0.1,
          sizeChange: -10,
          shareChangePp: -10,
          shifts: [],
        },
        {
          status: 'dissolved',
          previous: { index: 2, name: 'Cash-advance users', size: 30, share: 0.3 },
          current: null,
          distance: null,
          sizeChange: -30,
          shareChangePp: -30,
          shifts: [],
        },
        {
          status: 'new',
          previous: null,
          current: { index: 2, name: 'Dormant', size: 30, share: 0.3 },
          distance: null,
          sizeChange: 30,
          shareChangePp: 30,
          shifts: [],
        },
      ],
      migration: {
        from: ['Revolvers', 'Transactors', 'Cash-advance users'],
        to: ['Revolvers', 'Transactors', 'Dormant'],
        fromIndex: [0, 1, 2],
        toIndex: [0, 1, 2],
        pairs: 2,
        counts: [
          [30, 0, 0],
          [10, 30, 0],
          [0, 0, 25],
        ],
      },
      commonCustomers: 95,
      departedCustomers: 5,
      newCustomers: 5,
      maxShareChangePp: 30,
      headline: '25 customers moved from Cash-advance users to Dormant.',
    };
    const summary = summarizeDigest(current, comparison);
    expect(summary.rows.map((r) => [r.name, r.status, r.sizeChange])).toEqual([
      ['Revolvers v2', 'matched', 10],
      ['Transactors', 'matched', -10],
      ['Dormant', 'new', null],
    ]);
    expect(summary.dissolved).toEqual([{ name: 'Cash-advance users', size: 30 }]);
    expect(summary.movers).toBe(35);
    expect(summary.headline).toBe(comparison.headline);
  });
});
