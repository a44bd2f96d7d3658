/**
 * Names and campaign reasons checked across several seeded tables: names are distinct, in plain
 * words, and every action's stated reason is true of the segment it is offered to.
 */
import { describe, expect, it } from 'vitest';
import { generateCustomersCsv } from '../../../../src/analytics/generate-customers.js';
import { claimsOf } from '../../../../src/analytics/segment/campaign-playbook.js';
import { mapSemantics } from '../../../../src/analytics/segment/column-semantics.js';
import { segmentCustomers } from '../../../../src/analytics/segment/segment-customers.js';
import type { IngestResult, SegmentationResult } from '../../../../src/analytics/types.js';
import { churnLikeCsv, ingestFromCsv } from './helpers.js';

/** A Santander-style table (Spanish names) with income, age, seniority and a segment code. */
function santanderLikeCsv(rows: number): string {
  const lines = ['ncodpers,edad,antiguedad,renta,segmento'];
  for (let i = 0; i < rows; i++) {
    const kind = i % 3;
    const age = kind === 0 ? 21 + (i % 6) : kind === 1 ? 45 + (i % 15) : 60 + (i % 20);
    const seniority = kind === 0 ? 2 + (i % 10) : 80 + (i % 120);
    const income = kind === 2 ? 150000 + (i % 50) * 1000 : 40000 + (i % 40) * 1000;
    const code = kind === 0 ? '03 - UNIVERSITARIO' : '02 - PARTICULARES';
    lines.push(`${1000 + i},${age},${seniority},${income},${code}`);
  }
  return lines.join('\n');
}

const TABLES: [string, IngestResult, number][] = [
  ['generated CC GENERAL-style', ingestFromCsv(generateCustomersCsv({ rows: 900, seed: 5 })), 6],
  ['churn-style', ingestFromCsv(churnLikeCsv(3, 1200), { CustomerId: 'id', Exited: 'product' }), 4],
  [
    'churn-style, other seed',
    ingestFromCsv(churnLikeCsv(8, 900), { CustomerId: 'id', Exited: 'product' }),
    5,
  ],
  ['Santander-style', ingestFromCsv(santanderLikeCsv(300), { ncodpers: 'id' }), 3],
];

function run(ingest: IngestResult, k: number): SegmentationResult {
  return segmentCustomers(ingest, { k, seed: 42 });
}

describe.each(TABLES)('names and reasons on a %s table', (_label, ingest, k) => {
  const result = run(ingest, k);
  const columns = ingest.table.columns.map((c) => c.name);

  it('gives distinct names in plain words: no number suffix, no raw column name, no col=value', () => {
    const names = result.segments.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).not.toMatch(/\(\d+\)|\s\d+$|=/);
      for (const column of columns.filter((c) => /[A-Z_]/.test(c.slice(1))))
        expect(name).not.toContain(column);
    }
  });

  it("offers each action only when its reason's claims hold for the segment", () => {
    const semantics = mapSemantics(result.params.features);
    let checked = 0;
    for (const segment of result.segments) {
      expect(segment.actions.length).toBeGreaterThanOrEqual(1);
      const z = new Map(segment.profile.map((p) => [p.feature, p.z]));
      for (const action of segment.actions) {
        const claims = claimsOf(action.title);
        expect(claims, action.title).toBeDefined();
        for (const [semantic, direction] of Object.entries(claims!)) {
          const column = semantics[semantic as keyof typeof semantics];
          if (column === undefined) continue;
          const value = z.get(column)!;
          expect(direction === 'high' ? value > 0 : value < 0, `${segment.name}: ${action.title}`).toBe(true);
          checked++;
        }
      }
    }
    // Some claim was actually checked on the tables with known columns.
    expect(checked).toBeGreaterThan(0);
  });

  it('cites no negligible difference in a trait or a reason', () => {
    let pairs = 0;
    for (const segment of result.segments) {
      const sentences = [...segment.traits.map((t) => t.text), ...segment.actions.map((a) => a.reason)];
      for (const sentence of sentences) {
        // "(3,050 vs 979)", "Balance 1,243 vs 76,486 on average", "35% vs 20% overall"
        for (const match of sentence.matchAll(/(-?[\d,]+(?:\.\d+)?)(%?) vs (-?[\d,]+(?:\.\d+)?)%?/g)) {
          const a = Number(match[1]!.replace(/,/g, ''));
          const b = Number(match[3]!.replace(/,/g, ''));
          const gap =
            match[2] === '%' ? Math.abs(a - b) / 100 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
          // The engine asks for 5%; the quoted numbers are rounded, so allow a little less here.
          expect(gap, `${segment.name}: ${sentence}`).toBeGreaterThanOrEqual(0.03);
          pairs++;
        }
      }
    }
    expect(pairs).toBeGreaterThan(0);
  });
});

describe('personas that need a credit line', () => {
  it('never call a deposit balance a revolving one', () => {
    const result = run(TABLES[1]![1], 4);
    const personas = result.segments.map((s) => s.persona);
    expect(personas).not.toContain('revolver');
    expect(personas).not.toContain('credit_seeker');
    for (const segment of result.segments) expect(segment.name).not.toMatch(/revolver/i);
  });

  it('still find revolvers on a credit-card table', () => {
    const result = run(TABLES[0]![1], 6);
    expect(result.segments.map((s) => s.persona)).toContain('revolver');
  });
});

describe('binary holdings and outcomes in the traits', () => {
  it("profiles an outcome per segment against the overall share, from the segment's own rows", () => {
    const ingest = TABLES[1]![1];
    // With six segments one of them gathers the older customers, who leave more often.
    const result = run(ingest, 6);
    const exited = ingest.table.columns.find((c) => c.name === 'Exited')!;
    if (exited.kind !== 'numeric') throw new Error('Exited should be numeric in the fixture');
    const overall = exited.values.reduce((a, b) => a + b, 0) / exited.values.length;
    const lines = result.segments.flatMap((segment) =>
      segment.traits
        .filter((t) => t.feature === 'Exited')
        .map((t) => {
          let ones = 0;
          result.labels.forEach((label, i) => {
            if (label === segment.index) ones += exited.values[i]!;
          });
          return { text: t.text, share: ones / segment.size };
        }),
    );
    // Exits depend on age in the fixture, so some segment stands apart on them.
    expect(lines.length).toBeGreaterThan(0);
    for (const { text, share } of lines) {
      expect(text).toBe(
        `Left the bank: ${Math.round(share * 100)}% vs ${Math.round(overall * 100)}% overall`,
      );
    }
    expect(result.params.features).not.toContain('Exited');
  });
});
