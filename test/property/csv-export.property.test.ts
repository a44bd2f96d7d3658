/**
 * Property tests of the CSV export: read back with an independent CSV parser, every cell is what
 * was written, except that a text cell a spreadsheet would run as a formula arrives defused with a
 * leading apostrophe, and no read-back cell ever starts like a formula.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, scoresCsv, toCsv } from '../../src/analytics/predict/csv-export.js';

const SEED = 20261122;
const FORMULA_START = /^[=+\-@\t\r]/;

/** What a spreadsheet cell should show for a written text value. */
function expectedText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const formulaish = fc
  .tuple(
    fc.constantFrom(
      '=',
      '+',
      '-',
      '@',
      '\t',
      '\r',
      '=HYPERLINK("http://x","y")',
      '+cmd|',
      '-1+1',
      '@SUM(A1)',
      '',
    ),
    fc.string({ unit: fc.constantFrom('"', ',', '\n', '\r', 'a', '=', ' ', 'é', '1'), maxLength: 12 }),
  )
  .map(([head, tail]) => head + tail);
const textCell = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 15 }), formulaish);

describe('CSV export', () => {
  it('reads back every text cell as written, formulas defused', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(textCell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }),
        (rows) => {
          const csv = toCsv(['a', 'b'], rows);
          const back = parse(csv, { relax_column_count: false, skip_empty_lines: false }) as string[][];
          expect(back[0]).toEqual(['a', 'b']);
          expect(back.slice(1)).toEqual(rows.map((row) => row.map(expectedText)));
          for (const row of back) for (const cell of row) expect(FORMULA_START.test(cell)).toBe(false);
        },
      ),
      { numRuns: 500, seed: SEED },
    );
  });

  it('writes finite numbers as numbers (negative ones too) and non-finite ones as empty', () => {
    fc.assert(
      fc.property(fc.double(), (value) => {
        const cell = csvCell(value);
        if (Number.isFinite(value)) expect(Number(cell)).toBe(value + 0);
        else expect(cell).toBe('');
      }),
      { numRuns: 500, seed: SEED },
    );
  });

  it('defuses customer ids and segment names in the scored-customer list', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            customerId: textCell,
            probability: fc.double({ min: 0, max: 1, noNaN: true }),
            decile: fc.integer({ min: 1, max: 10 }),
            segment: textCell,
          }),
          { minLength: 1, maxLength: 10 },
        ),
        (scores) => {
          const back = parse(scoresCsv(scores)) as string[][];
          expect(back[0]).toEqual(['customer_id', 'probability', 'decile', 'segment']);
          for (const [i, s] of scores.entries()) {
            const row = back[i + 1]!;
            expect(row[0]).toBe(expectedText(s.customerId));
            expect(row[3]).toBe(expectedText(s.segment));
            expect(Math.abs(Number(row[1]) - s.probability)).toBeLessThanOrEqual(0.00005 + 1e-12);
            expect(FORMULA_START.test(row[0]!) || FORMULA_START.test(row[3]!)).toBe(false);
          }
        },
      ),
      { numRuns: 300, seed: SEED },
    );
  });
});
