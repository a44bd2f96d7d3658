/**
 * Property tests of numbers at the edge of what segbot accepts: a value beyond ±10^15 in a numeric
 * column is an error naming its line and column (and not the value); up to ±10^15, ingest and
 * segmentation give finite profiles whose means lie within each column's range.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestCsv, MAX_MAGNITUDE } from '../../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../../src/analytics/segment/segment-customers.js';
import { BadInputError, storedErrorText, userMessage } from '../../src/errors.js';

const SEED = 20261205;
const encode = (text: string) => new TextEncoder().encode(text);

/** Ordinary amounts, one of them replaced by `huge` on `row`. */
function csvWith(rows: number, huge: string, row: number): string {
  const lines = Array.from({ length: rows }, (_, i) => {
    const balance = i === row ? huge : String(100 + ((i * 37) % 900));
    return `C${i},${balance},${(i * 13) % 50}`;
  });
  return `CUST_ID,BALANCE,PURCHASES\n${lines.join('\n')}\n`;
}

async function refusal(csv: string): Promise<BadInputError> {
  try {
    await ingestCsv(encode(csv), { fileName: 'big.csv' });
  } catch (error) {
    if (error instanceof BadInputError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('values beyond ±10^15', () => {
  it('are errors with line and column, whatever their size or sign', async () => {
    const huge = fc.oneof(
      fc.double({ min: 1.0001e15, max: 1.7e308, noNaN: true }),
      fc.double({ min: -1.7e308, max: -1.0001e15, noNaN: true }),
      fc.constantFrom(1e308, -1e308, 1.0000000000000002e15, -9007199254740992),
    );
    await fc.assert(
      fc.asyncProperty(huge, fc.integer({ min: 0, max: 19 }), async (value, row) => {
        const text = String(value);
        const error = await refusal(csvWith(20, text, row));
        expect(error.location).toEqual({ file: 'big.csv', line: row + 2, column: 'BALANCE' });
        expect(userMessage(error)).toContain(`line ${row + 2}`);
        expect(userMessage(error)).not.toContain(text);
        expect(storedErrorText(error)).not.toContain(text);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('counts the other values beyond the bound', async () => {
    const csv = csvWith(20, '1e308', 3).replace('\nC10,470,', '\nC10,-1e308,');
    const error = await refusal(csv);
    expect(error.message).toMatch(/on line 5 \(and 1 more further down\)/);
  });

  it('leave a numeric customer id alone', async () => {
    const csv = `CUST_ID,BALANCE,PURCHASES\n${Array.from({ length: 20 }, (_, i) => `${4e15 + i},${100 + i},${i % 7}`).join('\n')}\n`;
    const { schema } = await ingestCsv(encode(csv), { fileName: 'ids.csv' });
    expect(schema.idColumn).toBe('CUST_ID');
  });
});

describe('values up to ±10^15', () => {
  it('give finite segment profiles, each mean within its column’s range', async () => {
    const amount = fc.double({
      min: -MAX_MAGNITUDE,
      max: MAX_MAGNITUDE,
      noNaN: true,
      noDefaultInfinity: true,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(amount, amount), { minLength: 12, maxLength: 40 }), async (rows) => {
        const csv = `CUST_ID,BALANCE,PAYMENTS\n${rows.map(([a, b], i) => `C${i},${a},${b}`).join('\n')}\n`;
        let ingest: Awaited<ReturnType<typeof ingestCsv>>;
        try {
          ingest = await ingestCsv(encode(csv), { fileName: 'edge.csv' });
        } catch (error) {
          // Constant columns leave nothing to segment on: refused with a message, not a wrong number.
          expect(error).toBeInstanceOf(BadInputError);
          return;
        }
        const result = segmentCustomers(ingest, { k: 2, seed: 1 });
        for (const segment of result.segments) {
          for (const p of segment.profile) {
            const column = p.feature === 'BALANCE' ? 0 : 1;
            const values = rows.map((r) => r[column]!);
            const [min, max] = [Math.min(...values), Math.max(...values)];
            for (const mean of [p.mean, p.populationMean]) {
              expect(Number.isFinite(mean)).toBe(true);
              expect(mean).toBeGreaterThanOrEqual(min - Math.abs(min) * 1e-9);
              expect(mean).toBeLessThanOrEqual(max + Math.abs(max) * 1e-9);
            }
            expect(Number.isFinite(p.z)).toBe(true);
          }
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
