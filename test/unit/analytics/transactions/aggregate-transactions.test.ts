import { describe, expect, it } from 'vitest';
import { generateSantanderCsv } from '../../../../src/analytics/crosssell/generate-santander.js';
import { generateCustomersCsv } from '../../../../src/analytics/generate-customers.js';
import { scoreRfm } from '../../../../src/analytics/rfm/score-rfm.js';
import {
  type AggregatedTransactions,
  aggregatedCsv,
  aggregateTransactions,
  sniffTransactions,
} from '../../../../src/analytics/transactions/aggregate-transactions.js';
import {
  generateTransactionsCsv,
  plantedRfm,
} from '../../../../src/analytics/transactions/generate-transactions.js';
import { BadInputError } from '../../../../src/errors.js';

const encode = (text: string) => new TextEncoder().encode(text);

const TX = [
  'customer_id,date,amount,channel',
  'A,2025-01-10,100,app',
  'A,2025-06-20,50,app',
  'B,2024-11-30,200,branch',
  'A,2025-05-01,30,branch',
  'C,2025-06-30,10.5,online',
].join('\n');

async function aggregate(text: string, asOf?: string): Promise<AggregatedTransactions> {
  const bytes = encode(text);
  const sniff = sniffTransactions(bytes);
  if (sniff === null) throw new Error('not recognised');
  return aggregateTransactions(bytes, sniff, { fileName: 'tx.csv', ...(asOf ? { asOf } : {}) });
}

async function rejection(promise: Promise<unknown>): Promise<BadInputError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BadInputError);
  return error as BadInputError;
}

function row(agg: AggregatedTransactions, id: string) {
  const c = agg.customerIds.indexOf(id);
  return {
    recency: agg.recencyDays[c],
    frequency: agg.frequency[c],
    monetary: agg.monetary[c],
    tenure: agg.tenureDays[c],
    trend: Number(agg.spendTrend[c]!.toFixed(4)),
    channel: agg.topChannel?.[c],
  };
}

describe('sniffTransactions', () => {
  it('recognises a long table of customer id, date and amount with its optional columns', () => {
    const sniff = sniffTransactions(encode(`${TX}\n`));
    expect(sniff?.columns).toMatchObject({ customer: 0, date: 1, amount: 2, channel: 3, category: null });
  });

  it('leaves customer tables to the ordinary ingest', () => {
    expect(sniffTransactions(encode(generateCustomersCsv({ rows: 50, seed: 1 })))).toBeNull();
    // Santander has a customer code and a date, but no amount.
    expect(sniffTransactions(encode(generateSantanderCsv({ customers: 50, seed: 1 })))).toBeNull();
    expect(sniffTransactions(encode('customer_id,date,amount\nA,yesterday,3\n'))).toBeNull();
  });
});

describe('aggregateTransactions', () => {
  it('computes recency, frequency, monetary, tenure, trend and top channel as of the last date', async () => {
    const agg = await aggregate(TX);
    expect(agg).toMatchObject({
      rows: 5,
      firstDate: '2024-11-30',
      lastDate: '2025-06-30',
      asOf: '2025-06-30',
    });
    expect(agg.customerIds).toEqual(['A', 'B', 'C']);
    // A: last 2025-06-20 (10 days), first 2025-01-10 (171 days); Apr–Jun 50 + 30 against Jan–Mar 100.
    expect(row(agg, 'A')).toEqual({
      recency: 10,
      frequency: 3,
      monetary: 180,
      tenure: 171,
      trend: -0.1111,
      channel: 'app',
    });
    // B: one purchase 212 days back, older than the six trend months.
    expect(row(agg, 'B')).toEqual({
      recency: 212,
      frequency: 1,
      monetary: 200,
      tenure: 212,
      trend: 0,
      channel: 'branch',
    });
    // C: new this month.
    expect(row(agg, 'C')).toEqual({
      recency: 0,
      frequency: 1,
      monetary: 10.5,
      tenure: 0,
      trend: 1,
      channel: 'online',
    });
  });

  it('counts from the as-of date and leaves later transactions out', async () => {
    const agg = await aggregate(TX, '2025-05-31');
    expect(agg).toMatchObject({ rows: 5, skippedAfterAsOf: 2, asOf: '2025-05-31', lastDate: '2025-05-01' });
    expect(agg.customerIds).toEqual(['A', 'B']);
    // Trend months are Mar–May against Dec–Feb: 30 against 100.
    expect(row(agg, 'A')).toMatchObject({
      recency: 30,
      frequency: 2,
      monetary: 130,
      trend: Number((-70 / 130).toFixed(4)),
    });
  });

  it('gives the same result however the bytes are cut into chunks', async () => {
    const text = generateTransactionsCsv({ customers: 60, seed: 3 });
    const bytes = encode(text);
    const sniff = sniffTransactions(bytes)!;
    const whole = await aggregateTransactions(bytes, sniff, { fileName: 'tx.csv' });
    async function* chunks(size: number) {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    }
    for (const size of [1, 7, 4096]) {
      const streamed = await aggregateTransactions(chunks(size), sniff, { fileName: 'tx.csv' });
      expect(aggregatedCsv(streamed)).toBe(aggregatedCsv(whole));
    }
  });

  it('reads quoted cells, CRLF line ends and semicolon files with decimal commas', async () => {
    const agg = await aggregate('customer_id;date;amount\r\n"X;1";2025-03-01;12,5\r\nX;2025-03-02;1\r\n');
    expect(agg.customerIds).toEqual(['X;1', 'X']);
    expect(agg.monetary[0]).toBe(12.5);
  });

  it('counts a channel or category the same whether it is quoted or padded', async () => {
    const agg = await aggregate(
      [
        'customer_id,date,amount,channel,category',
        'X,2025-03-01,1,"app",food',
        'X,2025-03-02,1, app ,"food"',
        'X,2025-03-03,1,branch,fuel',
        'Y,2025-03-03,1,branch,fuel',
      ].join('\n'),
    );
    expect(agg.topChannel).toEqual(['app', 'branch']);
    expect([...agg.categoriesUsed!]).toEqual([2, 1]);
  });

  it('counts the distinct merchants of each customer, in any row order', async () => {
    const agg = await aggregate(
      [
        'customer_id,date,amount,merchant',
        'X,2025-03-01,1,Shop A',
        'Y,2025-03-01,1,Shop A',
        'X,2025-03-02,1,"Shop B"',
        'X,2025-03-03,1, Shop A ',
        'Y,2025-03-04,1,Shop A',
        'X,2025-03-05,1,Shop C',
      ].join('\n'),
    );
    expect([...agg.merchantsUsed!]).toEqual([3, 1]);
    expect(aggregatedCsv(agg).split('\n')[0]).toContain('merchants_used');
    expect((await aggregate(TX)).merchantsUsed).toBeNull();
  });

  it('counts merchants exactly past the first growth of its pair set', async () => {
    // About 75,000 distinct customer–merchant pairs: the set grows several times.
    const text = generateTransactionsCsv({ customers: 5000, seed: 9 });
    const agg = await aggregate(text);
    const seen = new Map<string, Set<string>>();
    for (const line of text.trim().split('\n').slice(1)) {
      const cells = line.split(',');
      const set = seen.get(cells[0]!) ?? new Set<string>();
      set.add(cells[5]!);
      seen.set(cells[0]!, set);
    }
    const expected = agg.customerIds.map((id) => seen.get(id)!.size);
    expect(expected.reduce((a, b) => a + b, 0)).toBeGreaterThan(50_000);
    expect([...agg.merchantsUsed!]).toEqual(expected);
  });

  it('names the line and column of a bad date or amount, never the value', async () => {
    const badDate = await rejection(aggregate(`${TX}\nD,31/12/2025,5,app`));
    expect(badDate.location).toMatchObject({ line: 7, column: 'date' });
    expect(badDate.message).not.toContain('31/12/2025');
    const badAmount = await rejection(aggregate(`${TX}\nD,2025-01-01,€5,app`));
    expect(badAmount.location).toMatchObject({ line: 7, column: 'amount' });
    const ragged = await rejection(aggregate(`${TX}\nD,2025-01-01`));
    expect(ragged.location).toMatchObject({ line: 7 });
    expect((await rejection(aggregate(TX, '2025-13-01'))).message).toContain('not a date');
  });

  it('turns the planted behaviour into the matching RFM segments', async () => {
    const options = { customers: 2000, seed: 5 };
    const agg = await aggregate(generateTransactionsCsv(options));
    const planted = plantedRfm(options);
    const { names, r } = scoreRfm(agg);
    const share = (persona: string, accept: (i: number) => boolean) => {
      const members = planted.map((p, i) => (p === persona ? i : -1)).filter((i) => i >= 0);
      return members.filter(accept).length / members.length;
    };
    expect(share('champion', (i) => names[i] === 'Champions')).toBeGreaterThan(0.9);
    expect(share('lost', (i) => names[i] === 'Lost' || names[i] === 'Hibernating')).toBeGreaterThan(0.95);
    expect(share('new', (i) => names[i] === 'New customers' || names[i] === 'Promising')).toBeGreaterThan(
      0.95,
    );
    expect(share('at_risk', (i) => r[i]! <= 2)).toBeGreaterThan(0.7);
  });
});
