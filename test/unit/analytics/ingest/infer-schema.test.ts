import { describe, expect, it } from 'vitest';
import {
  inferSchema,
  isDateText,
  isIsoDate,
  looksLikeCustomerIdName,
  productLabel,
  SANTANDER_PRODUCTS,
} from '../../../../src/analytics/ingest/index.js';
import type { Table } from '../../../../src/analytics/types.js';
import { csvFromText } from './helpers.js';

function table(columns: Record<string, (number | string)[]>): Table {
  const rowCount = Object.values(columns)[0]?.length ?? 0;
  return {
    fileName: 't.csv',
    rowCount,
    delimiter: ',',
    fingerprint: '',
    columns: Object.entries(columns).map(([name, values]) =>
      typeof values[0] === 'number'
        ? {
            name,
            kind: 'numeric' as const,
            values: Float64Array.from(values as number[]),
            missing: (values as number[]).filter(Number.isNaN).length,
          }
        : {
            name,
            kind: 'text' as const,
            values: values as string[],
            missing: values.filter((v) => v === '').length,
          },
    ),
  };
}

const roles = (t: Table) => Object.fromEntries(inferSchema(t).columns.map((c) => [c.name, c.role]));

describe('inferSchema', () => {
  it('finds an id column by name, numeric or text', () => {
    expect(inferSchema(table({ x: [1, 2, 3], customer_id: [10, 11, 12] })).idColumn).toBe('customer_id');
    expect(inferSchema(table({ CUST_ID: ['a', 'b', 'c'], x: [1, 2, 3] })).idColumn).toBe('CUST_ID');
    expect(inferSchema(table({ ncodpers: [5, 6, 7], x: [1, 2, 3] })).idColumn).toBe('ncodpers');
  });

  it('falls back to a unique text first column, and to no id at all', () => {
    expect(inferSchema(table({ name: ['a', 'b', 'c'], x: [1, 2, 3] })).idColumn).toBe('name');
    expect(inferSchema(table({ name: ['a', 'a', 'c'], x: [1, 2, 3] })).idColumn).toBeNull();
    expect(inferSchema(table({ x: [1, 2, 3], name: ['a', 'b', 'c'] })).idColumn).toBeNull();
  });

  it('does not take other things ids or attribute columns for the customer id', () => {
    expect(looksLikeCustomerIdName('branch_id')).toBe(false);
    expect(looksLikeCustomerIdName('ind_actividad_cliente')).toBe(false);
    expect(looksLikeCustomerIdName('CustomerID')).toBe(true);
    expect(looksLikeCustomerIdName('client_no')).toBe(true);
  });

  it('every binary column, of any spelling, is a holding or outcome flag; the reason says which', () => {
    const t = table({
      id: ['a', 'b', 'c', 'd'],
      balance: [1, 2, 3, 4],
      has_personal_loan: [0, 1, 0, 1],
      credit_card: ['Y', 'N', 'N', 'Y'],
      savings: ['true', 'false', 'true', 'true'],
      is_active: [1, 0, 1, 1],
      gender: ['H', 'V', 'H', 'V'],
      resident: ['S', 'N', 'S', 'S'],
    });
    const schema = inferSchema(t);
    expect(roles(t)).toEqual({
      id: 'id',
      balance: 'numeric',
      has_personal_loan: 'product',
      credit_card: 'product',
      savings: 'product',
      is_active: 'product',
      gender: 'product',
      resident: 'product',
    });
    expect(schema.columns.find((c) => c.name === 'is_active')?.reason).toMatch(
      /^a customer attribute \(0\/1\)/,
    );
    expect(schema.columns.find((c) => c.name === 'savings')?.reason).toMatch(/^a product-holding flag/);
    expect(schema.columns.find((c) => c.name === 'has_personal_loan')?.label).toBe('personal loan');
  });

  it('with ind_*_ult1 columns, exactly those are product holdings; other flags are attributes', () => {
    const t = table({
      ncodpers: [1, 2, 3, 4],
      ind_actividad_cliente: [1, 0, 1, 0],
      ind_nuevo: [0, 0, 1, 0],
      other_flag: [0, 1, 1, 0],
      ind_tjcr_fin_ult1: [0, 1, 0, 0],
      ind_ahor_fin_ult1: [0, 0, 0, 0],
    });
    expect(roles(t)).toMatchObject({
      ind_actividad_cliente: 'product',
      ind_nuevo: 'product',
      other_flag: 'product',
      ind_tjcr_fin_ult1: 'product',
      ind_ahor_fin_ult1: 'product',
    });
    const ahorro = inferSchema(t).columns.find((c) => c.name === 'ind_ahor_fin_ult1');
    expect(ahorro?.reason).toMatch(/no customer holds it/);
    expect(ahorro?.label).toBe('saving account');
  });

  it('sorts categories by frequency, and ignores constant, empty and high-cardinality columns with a reason', () => {
    const n = 120;
    const t = table({
      x: Array.from({ length: n }, (_, i) => i),
      tier: Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 'gold' : i % 3 === 0 ? 'silver' : 'basic')),
      note: Array.from({ length: n }, (_, i) => `free text ${i}`),
      country: Array.from({ length: n }, () => 'ES'),
      tenure: Array.from({ length: n }, () => 12),
      blank: Array.from({ length: n }, () => ''),
    });
    const schema = inferSchema(t);
    const by = Object.fromEntries(schema.columns.map((c) => [c.name, c]));
    expect(by.tier?.role).toBe('categorical');
    expect(by.tier?.categories).toEqual(['basic', 'silver', 'gold']);
    expect(by.note?.role).toBe('ignored');
    expect(by.note?.reason).toMatch(/distinct values/);
    expect(by.country?.reason).toBe('constant: every value is "ES"');
    expect(by.tenure?.reason).toBe('constant: every value is 12');
    expect(by.blank?.reason).toMatch(/empty/);
  });

  it('recognises ISO dates', async () => {
    const { schema } = await csvFromText(
      'id,fecha_alta,x\na,2015-01-28,1\nb,2012-08-10,2\nc,,3\nd,2001-12-31T10:00:00,4\ne,1999-02-01,5\n',
    );
    expect(schema.columns.find((c) => c.name === 'fecha_alta')?.role).toBe('date');
    expect(isIsoDate('2015-13-01')).toBe(false);
    expect(isIsoDate('28/01/2015')).toBe(false);
  });

  it('recognises day-first, month-first and year-first dates with slashes or dots', async () => {
    for (const text of ['28/01/2015', '01/28/2015', '28.01.2015', '2015/01/28', '5-3-2019 10:30']) {
      expect(isDateText(text), text).toBe(true);
    }
    for (const text of ['13/13/2015', '28/01/15', '1.5', 'Jan 2015'])
      expect(isDateText(text), text).toBe(false);
    const { schema, quality } = await csvFromText(
      'id,opened,x\na,28/01/2015,1\nb,10/08/2012,2\nc,,3\nd,31/12/2001,4\ne,01/02/1999,5\n',
    );
    expect(schema.columns.find((c) => c.name === 'opened')?.role).toBe('date');
    expect(quality.notes).toContain('Date columns (opened) are recognised as dates and not clustered on.');
  });
});

describe('near-copies of a yes/no column', () => {
  it('reports a model score that copies the outcome and keeps it out of the features, but not an honest correlate', async () => {
    const lines = ['id,churned,score,age'];
    for (let i = 0; i < 60; i++) {
      const churned = i % 4 === 0 ? 1 : 0;
      // The score is the outcome plus a little noise; age leans towards it but is its own thing.
      const score = churned ? 0.95 + (i % 5) / 100 : (i % 5) / 100;
      const age = 30 + (i % 17) + churned * 8;
      lines.push(`c${i},${churned},${score},${age}`);
    }
    const { schema, quality } = await csvFromText(`${lines.join('\n')}\n`);
    const score = schema.columns.find((c) => c.name === 'score')!;
    expect(score.role).toBe('ignored');
    expect(score.reason).toMatch(/^a near-copy of the yes\/no column churned \(correlation 1\.00\)/);
    expect(quality.dropped.map((d) => d.name)).toContain('score');
    expect(schema.columns.find((c) => c.name === 'age')?.role).toBe('numeric');
  });
});

describe('productLabel', () => {
  it('names all 24 Santander products', () => {
    expect(Object.keys(SANTANDER_PRODUCTS)).toHaveLength(24);
    expect(productLabel('ind_cco_fin_ult1')).toBe('current account');
    expect(productLabel('ind_recibo_ult1')).toBe('direct debit');
    expect(productLabel('ind_nom_pens_ult1')).toBe('pension payments');
  });

  it('humanises other names', () => {
    expect(productLabel('has_personal_loan')).toBe('personal loan');
    expect(productLabel('HasCreditCard')).toBe('credit card');
    expect(productLabel('mortgage_flag')).toBe('mortgage');
    expect(productLabel('ind_seguro_ult1')).toBe('seguro');
  });
});
