/**
 * Audience building: suppression by deceased flag, opt-out, employee and list, never in any
 * audience; segment and score cuts; exclusions counted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAudience } from '../../../../src/analytics/campaign/audience.js';
import { outcomeFromLaterUpload, outcomeFromResponders } from '../../../../src/analytics/campaign/outcome.js';
import { findSuppressed } from '../../../../src/analytics/campaign/suppress.js';
import type { Column } from '../../../../src/analytics/types.js';

function text(name: string, values: string[]): Column {
  return { name, kind: 'text', values, missing: 0 };
}

describe('findSuppressed', () => {
  it('reads indfall, opt-outs, ind_empleado and the list, first reason first', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const table = {
      rowCount: 6,
      columns: [
        text('indfall', ['N', 'S', 'N', 'N', 'S', 'N']),
        {
          name: 'opt_out',
          kind: 'numeric',
          values: Float64Array.from([0, 0, 1, 0, 1, 0]),
          missing: 0,
        } as Column,
        text('ind_empleado', ['N', 'N', 'N', 'A', 'N', '']),
      ],
    };
    const suppression = findSuppressed(table, ids, new Set(['f', 'zz']));
    expect([...suppression.reasonOf]).toEqual([0, 1, 2, 3, 1, 4]);
    expect(suppression.columns.map((c) => c.column)).toEqual(['indfall', 'opt_out', 'ind_empleado']);
  });
});

describe('buildAudience', () => {
  it('never puts a suppressed or excluded customer in either group', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('N', 'S'), { minLength: 20, maxLength: 300 }),
        fc.integer({ min: 0, max: 1000 }),
        (flags, seed) => {
          const n = flags.length;
          const ids = flags.map((_, i) => `c${i}`);
          const suppression = findSuppressed(
            { rowCount: n, columns: [text('indfall', flags)] },
            ids,
            new Set(['c3']),
          );
          const scores = new Map(ids.map((_, i) => [i, ((i * 7919) % 101) / 101]));
          const audience = buildAudience({
            ids,
            labels: Int32Array.from(ids, (_, i) => i % 3),
            segments: new Set([0, 1]),
            scores,
            cut: { kind: 'deciles', from: 1, to: 5 },
            suppression,
            exclude: new Set(['c4']),
            holdout: 0.1,
            seed,
          });
          for (const member of audience.members) {
            expect(suppression.reasonOf[member.row]).toBe(0);
            expect(member.customerId).not.toBe('c4');
            expect(member.segment).not.toBe(2);
            expect(member.decile).toBeLessThanOrEqual(5);
          }
          expect(audience.treatment + audience.control).toBe(audience.members.length);
        },
      ),
      { seed: 5, numRuns: 100 },
    );
  });

  it('takes the top N of those who may be contacted, and counts what was taken out', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const suppression = findSuppressed(
      { rowCount: 5, columns: [text('indfall', ['S', 'N', 'N', 'N', 'N'])] },
      ids,
      new Set(),
    );
    const audience = buildAudience({
      ids,
      labels: null,
      segments: null,
      scores: new Map([
        [0, 0.9],
        [1, 0.8],
        [2, 0.1],
        [3, 0.7],
        [4, 0.2],
      ]),
      cut: { kind: 'top', count: 2 },
      suppression,
      exclude: new Set(['b']),
      holdout: 0.5,
      seed: 1,
    });
    expect(audience.members.map((m) => m.customerId).sort()).toEqual(['d', 'e']);
    expect(audience.suppressed.deceased).toBe(1);
    expect(audience.excluded).toBe(1);
    expect(audience.control).toBe(1);
  });
});

describe('outcomes', () => {
  const members = [
    { customerId: 'a', group: 'treatment' as const },
    { customerId: 'b', group: 'treatment' as const },
    { customerId: 'c', group: 'control' as const },
  ];
  it('counts responders per group and responders outside the campaign', () => {
    const outcome = outcomeFromResponders(members, ['a', 'c', 'x']);
    expect(outcome.treatment).toEqual({ customers: 2, conversions: 1 });
    expect(outcome.control).toEqual({ customers: 1, conversions: 1 });
    expect(outcome.outsiders).toBe(1);
  });
  it('leaves members missing from the later upload out of both groups', () => {
    const later = new Map([
      ['a', true],
      ['c', false],
    ]);
    const outcome = outcomeFromLaterUpload(members, (id) => later.get(id) ?? null);
    expect(outcome.treatment).toEqual({ customers: 1, conversions: 1 });
    expect(outcome.control).toEqual({ customers: 1, conversions: 0 });
    expect(outcome.unmatched).toBe(1);
  });
});
