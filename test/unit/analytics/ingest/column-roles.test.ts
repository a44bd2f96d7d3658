import { describe, expect, it } from 'vitest';
import { ingestCsv, numericValues } from '../../../../src/analytics/ingest/index.js';
import { fitTransform } from '../../../../src/analytics/segment/preprocess.js';
import type { IngestResult } from '../../../../src/analytics/types.js';
import { chunked, csvFromText, errorOf, fixture } from './helpers.js';

function ingestFixture(name: string): Promise<IngestResult> {
  return ingestCsv(fixture(`roles/${name}`), { fileName: name });
}

function roleOf(ingest: IngestResult, name: string): string | undefined {
  return ingest.schema.columns.find((c) => c.name === name)?.role;
}

function modelColumns(ingest: IngestResult): string[] {
  const transform = fitTransform(ingest.table, ingest.schema, { log: 'none' });
  return [...new Set(transform.features.map((f) => f.column))];
}

describe('column roles on a churn-style table', () => {
  it('keeps the id, row number, surname and every binary column out of the features', async () => {
    const ingest = await ingestFixture('churn-like.csv');
    expect(ingest.schema.idColumn).toBe('CustomerId');
    expect(roleOf(ingest, 'RowNumber')).toBe('ignored');
    expect(roleOf(ingest, 'Surname')).toBe('ignored');
    for (const flag of ['HasCrCard', 'Exited', 'Attrition_Flag'])
      expect(roleOf(ingest, flag)).toBe('product');
    expect(modelColumns(ingest)).toEqual(['CreditScore', 'Geography', 'Age', 'Balance']);
    expect(ingest.quality.dropped).toEqual(
      expect.arrayContaining([
        { name: 'RowNumber', reason: 'a row number (1, 2, 3, … in file order), not a feature' },
        { name: 'Surname', reason: expect.stringMatching(/^a personal name/) },
      ]),
    );
    expect(ingest.quality.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Yes\/no columns \(HasCrCard, Exited, Attrition_Flag\) are profiled per segment/,
        ),
      ]),
    );
  });

  it('reads two-valued text as 0/1 with the rarer value as 1, and names it in the reason and label', async () => {
    const ingest = await ingestFixture('churn-like.csv');
    const flag = ingest.schema.columns.find((c) => c.name === 'Attrition_Flag')!;
    expect(flag.reason).toMatch(/^an outcome \(Existing Customer\/Attrited Customer\)/);
    expect(flag.label).toBe('attrition: Attrited Customer');
    const values = numericValues(ingest.table, 'Attrition_Flag');
    expect(values.reduce((a, b) => a + b, 0)).toBe(8);
    expect(values[0]).toBe(1);
  });

  it('clusters on a binary column when it is asked for by name', async () => {
    const ingest = await ingestFixture('churn-like.csv');
    const transform = fitTransform(ingest.table, ingest.schema, {
      log: 'none',
      features: ['Age', 'Attrition_Flag'],
    });
    const flag = transform.features.find((f) => f.column === 'Attrition_Flag');
    expect(flag?.kind === 'numeric' && flag.mean).toBeCloseTo(8 / 32, 10);
  });

  it('does not take a 1..n column for a row number in a tiny table unless its name says so', async () => {
    const { schema } = await csvFromText('id,score,index\na,1,1\nb,2,2\nc,3,3\nd,4,4\n');
    expect(schema.columns.find((c) => c.name === 'score')?.role).toBe('numeric');
    expect(schema.columns.find((c) => c.name === 'index')?.role).toBe('ignored');
  });
});

describe('sentinels, unknown categories and a missing id on a bank-marketing-style table', () => {
  it('turns pdays = -1 into missing values and says so, counts "unknown", and notes the missing id', async () => {
    const ingest = await ingestFixture('bank-marketing-like.csv');
    expect(ingest.schema.idColumn).toBeNull();
    const pdays = numericValues(ingest.table, 'pdays');
    expect(pdays.filter((v) => Number.isNaN(v))).toHaveLength(22);
    expect(Math.min(...pdays.filter((v) => !Number.isNaN(v)))).toBeGreaterThan(0);
    expect(ingest.quality.notes).toEqual(
      expect.arrayContaining([
        '22 values of pdays (73.3%) were -1, a placeholder for "unknown" or "never" that stands apart from the other values; they are counted as missing, not averaged.',
        '22 values of poutcome (73.3%) are "unknown": kept as a category of their own, not a real answer.',
        '5 values of job (16.7%) are "unknown": kept as a category of their own, not a real answer.',
        'No id column: row numbers are used as ids, so runs on this file are not compared with other runs.',
      ]),
    );
    expect(roleOf(ingest, 'y')).toBe('product');
    expect(modelColumns(ingest)).not.toContain('y');
  });

  it('does not report negative balances (overdrafts) as errors, but still flags negative payments', async () => {
    const ingest = await ingestFixture('bank-marketing-like.csv');
    expect(ingest.quality.notes.some((n) => n.includes('balance'))).toBe(false);
    const { quality } = await csvFromText('id,PAYMENTS,x\na,-5,1\nb,10,2\nc,20,3\n');
    expect(quality.notes).toContain('1 negative value of PAYMENTS (it should not be below 0).');
  });

  it('keeps -1 as a value when the column has other negatives or too few other values', async () => {
    const { table, quality } = await csvFromText(
      'id,delta,vote\na,-1,-1\nb,-5,0\nc,3,1\nd,-1,1\ne,8,0\nf,2,-1\n',
    );
    expect(numericValues(table, 'delta').filter((v) => v === -1)).toHaveLength(2);
    expect(numericValues(table, 'vote').filter((v) => v === -1)).toHaveLength(2);
    expect(quality.notes.some((n) => n.includes('placeholder'))).toBe(false);
  });

  it('treats 999 standing far above the other values as a placeholder', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `c${i},${i % 3 === 0 ? 999 : i + 1},${i}`);
    const { table } = await csvFromText(['id,pdays,x', ...rows].join('\n'));
    expect(numericValues(table, 'pdays').filter((v) => Number.isNaN(v))).toHaveLength(4);
  });
});

describe('Spanish column names', () => {
  it('finds the id, keeps edad, saldo and renta as features and S/N, H/V as flags', async () => {
    const ingest = await ingestFixture('spanish-names.csv');
    expect(ingest.schema.idColumn).toBe('ncodpers');
    expect(modelColumns(ingest)).toEqual(['edad', 'saldo', 'renta']);
    expect(roleOf(ingest, 'ind_actividad_cliente')).toBe('product');
    expect(roleOf(ingest, 'sexo')).toBe('product');
    const activity = numericValues(ingest.table, 'ind_actividad_cliente');
    expect([activity[0], activity[1]]).toEqual([0, 1]);
    // A negative saldo is an overdraft, not an error.
    expect(ingest.quality.notes.some((n) => n.includes('saldo'))).toBe(false);
  });
});

describe('a description row under the header', () => {
  it('is skipped and reported, and the columns under it stay numeric', async () => {
    const ingest = await ingestFixture('description-row.csv');
    expect(ingest.table.rowCount).toBe(15);
    expect(ingest.table.descriptionLine).toBe(2);
    expect(ingest.schema.idColumn).toBe('CLIENTNUM');
    expect(roleOf(ingest, 'Customer_Age')).toBe('numeric');
    expect(roleOf(ingest, 'Attrition_Flag')).toBe('product');
    expect(ingest.table.columns.find((c) => c.name === 'CLIENTNUM')?.values[0]).toBe('768805383');
    expect(ingest.quality.notes).toContain(
      'Line 2 describes the columns (descriptions or units), not a customer: it was skipped.',
    );
    expect(ingest.quality.notes.some((n) => n.includes('No id column'))).toBe(false);
  });

  it('is found the same way by the streaming parser', async () => {
    const bytes = fixture('roles/description-row.csv');
    const streamed = await ingestCsv(chunked(bytes, 64), { fileName: 'description-row.csv' });
    const whole = await ingestFixture('description-row.csv');
    expect(streamed.table.columns).toEqual(whole.table.columns);
    expect(streamed.table.descriptionLine).toBe(2);
  });

  it('still refuses a stray word in a column of numbers further down', async () => {
    const error = await errorOf(() =>
      csvFromText('id,x,y\na,1,2\nb,oops,3\nc,3,4\nd,4,5\ne,5,6\nf,6,7\ng,7,8\n'),
    );
    expect(error.message).toMatch(/the value "oops" on line 3 is not a number/);
  });
});
