import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildQualityReport,
  columnByName,
  findColumn,
  inferSchema,
  medianOf,
  numericValues,
  replacePlaceholders,
} from '../../../../src/analytics/ingest/index.js';
import { NotFoundError } from '../../../../src/errors.js';
import { csvFromText } from './helpers.js';

describe('medianOf', () => {
  it('matches a sort-based median and skips NaN', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), fc.constant(Number.NaN))),
        (xs) => {
          const sorted = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
          const n = sorted.length;
          const expected =
            n === 0 ? Number.NaN : n % 2 ? sorted[n >> 1]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
          expect(medianOf(Float64Array.from(xs))).toBe(expected);
        },
      ),
      { numRuns: 500, seed: 3 },
    );
  });
});

describe('buildQualityReport', () => {
  it('summarises columns and notes out-of-range values by count only', async () => {
    const csv = [
      'CUST_ID,BALANCE,CREDIT_LIMIT,PURCHASES_FREQUENCY,PAYMENTS,antiguedad,segment,country',
      'C1,500,1000,0.5,100,12,a,ES',
      'C2,1500,1000,1.2,-5,-999999,b,ES',
      'C3,2500,2000,1,200,30,a,ES',
      'C4,,3000,0.25,,40,a,ES',
      'C5,100,,0,50,-999999,b,ES',
      'C6,100,500,0,50,20,b,ES',
    ].join('\n');
    const { table, schema, quality } = await csvFromText(csv, 'q.csv');
    expect(quality.rows).toBe(6);
    expect(quality.columnCount).toBe(8);
    expect(quality.byRole.id).toEqual(['CUST_ID']);
    // A two-valued text column is a yes/no flag: profiled, not clustered on.
    expect(quality.byRole.product).toEqual(['segment']);
    expect(quality.dropped).toEqual([{ name: 'country', reason: 'constant: every value is "ES"' }]);
    const balance = quality.columns.find((c) => c.name === 'BALANCE')!;
    expect(balance).toMatchObject({ missing: 1, min: 100, max: 2500, mean: 940, median: 500 });
    expect(quality.notes).toEqual(
      expect.arrayContaining([
        'BALANCE has 1 missing value (16.7%).',
        '2 customers have BALANCE above CREDIT_LIMIT.',
        '2 values of antiguedad (33.3%) were -999999, a placeholder for "unknown" or "never" that stands apart from the other values; they are counted as missing, not averaged.',
        '1 value of PURCHASES_FREQUENCY above 1 (a frequency or ratio should be between 0 and 1).',
        '1 negative value of PAYMENTS (it should not be below 0).',
      ]),
    );
    expect(quality.columns.find((c) => c.name === 'antiguedad')).toMatchObject({
      missing: 2,
      min: 12,
      max: 40,
    });
    expect(JSON.stringify(quality)).not.toMatch(/C[1-6]\b/);
    // Without the list of replaced placeholders the report is the same minus that note.
    const plain = buildQualityReport(table, schema);
    expect(plain.notes).toEqual(quality.notes.filter((n) => !n.includes('placeholder')));
  });

  it('notes placeholders it does not replace (columns that also hold real negative values)', () => {
    const table = {
      fileName: 'p.csv',
      rowCount: 4,
      delimiter: ',' as const,
      fingerprint: '',
      columns: [
        {
          name: 'delta',
          kind: 'numeric' as const,
          values: Float64Array.from([-5, 3, -999999, 2]),
          missing: 0,
        },
      ],
    };
    expect(replacePlaceholders(table).size).toBe(0);
    const quality = buildQualityReport(table, inferSchema(table));
    expect(quality.columns[0]?.notes[0]).toMatch(/^1 value of delta is -999999, a placeholder/);
  });

  it('leaves the BALANCE / CREDIT_LIMIT note out when either column is absent', async () => {
    const { quality } = await csvFromText('id,BALANCE,x\na,1,2\nb,3,4\nc,5,6\n');
    expect(quality.notes.join(' ')).not.toMatch(/CREDIT_LIMIT/);
  });
});

describe('column values', () => {
  it('returns numeric columns as stored and maps yes/no flags to 1/0', async () => {
    const { table } = await csvFromText('id,x,card,loan\na,1.5,Y,true\nb,,N,\nc,3,Y,false\nd,4,N,true\n');
    expect(numericValues(table, 'x')).toBe((columnByName(table, 'x') as { values: Float64Array }).values);
    expect(Array.from(numericValues(table, 'card'))).toEqual([1, 0, 1, 0]);
    expect(Array.from(numericValues(table, 'loan'))).toEqual([1, Number.NaN, 0, 1]);
    expect(() => numericValues(table, 'id')).toThrow(/is text/);
    expect(() => columnByName(table, 'nope')).toThrow(NotFoundError);
    expect(findColumn(table, 'nope')).toBeUndefined();
    expect(
      inferSchema(table)
        .columns.filter((c) => c.role === 'product')
        .map((c) => c.name),
    ).toEqual(['card', 'loan']);
  });
});
