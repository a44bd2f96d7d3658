import { describe, expect, it } from 'vitest';
import {
  quintileScores,
  RFM_RULES,
  type RfmSegmentName,
  rfmSegmentName,
  scoreRfm,
} from '../../../../src/analytics/rfm/score-rfm.js';

describe('quintileScores', () => {
  it('gives each fifth of ten distinct values its score, 5 for the best', () => {
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect([...quintileScores(values, 'higher')]).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // Recency: fewer days is better.
    expect([...quintileScores(values, 'lower')]).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it('gives tied customers the same score: 1 + ⌊5 × strictly worse / n⌋', () => {
    // Four customers with one purchase have nobody strictly worse: all score 1. The fifth has four
    // worse: 1 + ⌊5 × 4 / 5⌋ = 5.
    expect([...quintileScores([1, 1, 1, 1, 5], 'higher')]).toEqual([1, 1, 1, 1, 5]);
    // 7 customers; values 3 have 2 worse: 1 + ⌊10/7⌋ = 2; value 9 has 5 worse: 1 + ⌊25/7⌋ = 4.
    expect([...quintileScores([1, 1, 3, 3, 3, 9, 12], 'higher')]).toEqual([1, 1, 2, 2, 2, 4, 5]);
    expect([...quintileScores([0, 0, 0], 'lower')]).toEqual([1, 1, 1]);
  });
});

describe('rfmSegmentName', () => {
  // The R × F map published in the README, written out cell by cell (rows R 5 down to 1, columns F 1 to 5).
  const MAP: Record<number, RfmSegmentName[]> = {
    5: ['New customers', 'Potential loyalists', 'Potential loyalists', 'Champions', 'Champions'],
    4: ['Promising', 'Potential loyalists', 'Potential loyalists', 'Loyal', 'Loyal'],
    3: ['About to sleep', 'About to sleep', 'Need attention', 'Loyal', 'Loyal'],
    2: ['Hibernating', 'Hibernating', 'At risk', 'At risk', "Can't lose them"],
    1: ['Lost', 'Hibernating', 'At risk', 'At risk', "Can't lose them"],
  };

  it('names all 25 cells of the grid as the rule table says', () => {
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) expect(rfmSegmentName(r, f), `R ${r} F ${f}`).toBe(MAP[r]![f - 1]);
    }
  });

  it('uses all eleven named segments', () => {
    expect(new Set(Object.values(MAP).flat())).toEqual(new Set(RFM_RULES.map((rule) => rule.name)));
    expect(RFM_RULES).toHaveLength(11);
  });
});

describe('scoreRfm', () => {
  // Ten customers, hand-scored: recency 1..10 days (R 5,5,4,4,3,3,2,2,1,1), frequency and monetary
  // ascending with the customer number except where noted.
  const input = {
    customerIds: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'],
    recencyDays: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    frequency: [50, 1, 20, 30, 12, 8, 40, 2, 3, 45],
    monetary: [5000, 20, 900, 1500, 400, 300, 2500, 60, 80, 3000],
  };
  // F: 50→5, 1→1, 20→3 (5 worse: 1+⌊25/10⌋=3), 30→4, 12→3 (4 worse: 3), 8→2, 40→4, 2→1, 3→2, 45→5.
  const expected = [
    ['a', 5, 5, 'Champions'],
    ['b', 5, 1, 'New customers'],
    ['c', 4, 3, 'Potential loyalists'],
    ['d', 4, 4, 'Loyal'],
    ['e', 3, 3, 'Need attention'],
    ['f', 3, 2, 'About to sleep'],
    ['g', 2, 4, 'At risk'],
    ['h', 2, 1, 'Hibernating'],
    ['i', 1, 2, 'Hibernating'],
    ['j', 1, 5, "Can't lose them"],
  ] as const;

  it('scores and names each customer as computed by hand', () => {
    const result = scoreRfm(input);
    expected.forEach(([id, r, f, name], i) => {
      expect({ id, r: result.r[i], f: result.f[i], name: result.names[i] }).toEqual({ id, r, f, name });
    });
    expect(result.grid.reduce((a, b) => a + b, 0)).toBe(10);
    expect(result.grid[(5 - 1) * 5 + (5 - 1)]).toBe(1);
  });

  it('reports size, revenue share and score ranges per segment, largest revenue first', () => {
    const result = scoreRfm(input);
    const total = input.monetary.reduce((a, b) => a + b, 0);
    const hibernating = result.segments.find((s) => s.name === 'Hibernating')!;
    expect(hibernating.size).toBe(2);
    expect(hibernating.revenueShare).toBeCloseTo((60 + 80) / total, 10);
    expect(hibernating.r).toEqual({ min: 1, max: 2 });
    expect(hibernating.f).toEqual({ min: 1, max: 2 });
    expect(result.segments[0]!.name).toBe('Champions');
    expect(result.segments.map((s) => s.revenue)).toEqual(
      [...result.segments.map((s) => s.revenue)].sort((a, b) => b - a),
    );
    expect(result.segments.reduce((sum, s) => sum + s.revenueShare, 0)).toBeCloseTo(1, 10);
  });
});
