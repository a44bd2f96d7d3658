/**
 * Property tests of the texts segbot keeps about failures (the job log, a failed run's reason):
 * whatever values a refused file holds, storedErrorText names the line and column and never a cell
 * value, while the message shown to the person who uploaded it may quote the value to help them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestCsv } from '../../src/analytics/ingest/ingest-csv.js';
import { BadInputError, fromErrorData, storedErrorText, toErrorData, userMessage } from '../../src/errors.js';

const SEED = 20261205;

/** A cell value no message wording, line number or count could contain by chance. */
const distinctive = fc
  .tuple(
    fc.integer({ min: 100, max: 999 }),
    fc.integer({ min: 11, max: 99 }).filter((cents) => cents % 10 !== 0),
  )
  .map(([whole, cents]) => `${whole}.${cents}`);

/** A bad cell in a numeric column: text, a thousands separator, a decimal comma, infinity. */
const badCell = fc.oneof(
  fc.stringMatching(/^[a-z]{3,8}[0-9]{2,4}$/),
  fc
    .integer({ min: 1000, max: 99_999 })
    .map((n) => `"${Math.floor(n / 1000)},${String(n % 1000).padStart(3, '0')}.57"`),
  fc.integer({ min: 100, max: 9999 }).map((n) => `"${n},83"`),
  fc.constantFrom('inf', '-Infinity', '1e999'),
);

async function refusal(csv: string): Promise<BadInputError> {
  try {
    await ingestCsv(new TextEncoder().encode(csv), { fileName: 'customers.csv' });
  } catch (error) {
    if (error instanceof BadInputError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

/** The stored text, after the error crossed a worker boundary as segmentation's errors do. */
function stored(error: BadInputError): string {
  return storedErrorText(fromErrorData(toErrorData(error)));
}

describe('storedErrorText', () => {
  it('names line and column of a bad number, never the value or its neighbours', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(distinctive, { minLength: 12, maxLength: 30 }),
        badCell,
        fc.nat(),
        async (values, bad, at) => {
          const row = at % values.length;
          const cells = values.map((v, i) => (i === row ? bad : v));
          const csv = `CUST_ID,BALANCE\n${cells.map((v, i) => `C${i},${v}`).join('\n')}\n`;
          const error = await refusal(csv);
          const text = stored(error);
          expect(text).toContain(`line ${row + 2}`);
          expect(text).toContain('column BALANCE');
          for (const value of [bad.replace(/"/g, ''), ...values]) expect(text).not.toContain(value);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('keeps no value of a file whose columns are all constant (the hint lists them)', async () => {
    await fc.assert(
      fc.asyncProperty(distinctive, distinctive, async (a, b) => {
        const rows = Array.from({ length: 20 }, (_, i) => `C${i},${a},${b},x`);
        const error = await refusal(`CUST_ID,PAYMENTS,BALANCE,NOTE\n${rows.join('\n')}\n`);
        // The person who uploaded it is told which values made each column useless…
        expect(userMessage(error)).toContain(`every value is ${a}`);
        // …but the job log keeps none of them.
        const text = stored(error);
        expect(text).not.toContain(a);
        expect(text).not.toContain(b);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('keeps messages without values as they are, and hides unexpected errors', () => {
    const error = new BadInputError('Cannot make 9 segments from 5 customers.', {
      hint: 'Use a smaller k.',
      location: { file: 'a.csv' },
    });
    expect(storedErrorText(error)).toBe('a.csv: Cannot make 9 segments from 5 customers.');
    expect(storedErrorText(new RangeError('row C10042 = 671.82 broke the matrix'))).not.toMatch(/C10042|671/);
  });
});
