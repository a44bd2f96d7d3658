import { describe, expect, it } from 'vitest';
import { solveAssignment } from '../../../../src/analytics/compare/hungarian.js';
import { createRng } from '../../../../src/analytics/rng.js';

/** Exhaustive minimum over all injective maps of the shorter side into the longer: the reference. */
function bruteForceCost(cost: number[], rows: number, cols: number): number {
  // Cost of pairing is symmetric in rows and columns, so walk the shorter side.
  const short = Math.min(rows, cols);
  const long = Math.max(rows, cols);
  const at = (s: number, l: number) => (rows <= cols ? cost[s * cols + l]! : cost[l * cols + s]!);
  let best = Number.POSITIVE_INFINITY;
  const used = new Set<number>();
  const walk = (s: number, total: number): void => {
    if (s === short) {
      best = Math.min(best, total);
      return;
    }
    for (let l = 0; l < long; l++) {
      if (used.has(l)) continue;
      used.add(l);
      walk(s + 1, total + at(s, l));
      used.delete(l);
    }
  };
  walk(0, 0);
  return best;
}

function assignmentCost(cost: number[], cols: number, assignment: Int32Array): number {
  let total = 0;
  assignment.forEach((c, r) => {
    if (c >= 0) total += cost[r * cols + c]!;
  });
  return total;
}

describe('solveAssignment', () => {
  it('finds the optimum where a greedy pairing would not', () => {
    // Greedy takes (0,0)=1 first and is then forced into (1,1)=10; the optimum is 2 + 3.
    const cost = [1, 2, 3, 10];
    expect(Array.from(solveAssignment(cost, 2, 2))).toEqual([1, 0]);
  });

  it('recovers a shuffled identity', () => {
    const permutation = [3, 0, 4, 1, 2];
    const cost: number[] = [];
    for (let r = 0; r < 5; r++) for (let c = 0; c < 5; c++) cost.push(permutation[r] === c ? 0 : 5 + r + c);
    expect(Array.from(solveAssignment(cost, 5, 5))).toEqual(permutation);
  });

  it('matches brute force on random square and rectangular problems', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 60; trial++) {
      const rows = 1 + rng.int(5);
      const cols = 1 + rng.int(5);
      const cost = Array.from({ length: rows * cols }, () => Math.round(rng.next() * 100) / 10);
      const assignment = solveAssignment(cost, rows, cols);
      const matched = Array.from(assignment).filter((c) => c >= 0);
      expect(matched.length).toBe(Math.min(rows, cols));
      expect(new Set(matched).size).toBe(matched.length);
      expect(assignmentCost(cost, cols, assignment)).toBeCloseTo(bruteForceCost(cost, rows, cols), 9);
    }
  });

  it('rejects a cost array of the wrong size', () => {
    expect(() => solveAssignment([1, 2, 3], 2, 2)).toThrow(RangeError);
  });
});
