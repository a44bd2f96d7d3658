import { describe, expect, it } from 'vitest';
import { generateSantanderCsv } from '../../../src/analytics/crosssell/generate-santander.js';
import { generateTransactionsCsv } from '../../../src/analytics/transactions/generate-transactions.js';
import { runCli } from '../../../src/cli/run-cli.js';
import { fakeIo } from './fake-io.js';

const TX = generateTransactionsCsv({ customers: 400, seed: 2 });

describe('segbot rfm', () => {
  it('prints the named segments and writes segments and assignments as JSON', async () => {
    const io = fakeIo({ 'tx.csv': TX });
    const code = await runCli(['rfm', 'tx.csv', '--json', 'out.json'], io);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    expect(io.out).toMatch(/^Read as transactions: [\d,]+ rows of 400 customers/);
    expect(io.out).toContain('Champions');
    const json = JSON.parse(String(io.files.get('out.json'))) as {
      segments: {
        name: string;
        size: number;
        revenueShare: number;
        rScore: object;
        fScore: object;
        mScore: object;
      }[];
      assignments: Record<string, unknown>[];
    };
    expect(json.segments.reduce((sum, s) => sum + s.size, 0)).toBe(400);
    expect(Object.keys(json.segments[0]!)).toEqual([
      'name',
      'size',
      'revenueShare',
      'rScore',
      'fScore',
      'mScore',
    ]);
    expect(json.assignments).toHaveLength(400);
    expect(Object.keys(json.assignments[0]!)).toEqual([
      'customerId',
      'segment',
      'r',
      'f',
      'm',
      'recencyDays',
      'frequency',
      'monetary',
    ]);
    expect(json.assignments[0]).toMatchObject({ customerId: 'C100000' });
  });

  it('counts recency from --as-of', async () => {
    const io = fakeIo({ 'tx.csv': TX });
    expect(await runCli(['rfm', 'tx.csv', '--as-of', '2025-07-30', '--json', 'a.json'], io)).toBe(0);
    const later = JSON.parse(String(io.files.get('a.json'))) as { assignments: { recencyDays: number }[] };
    await runCli(['rfm', 'tx.csv', '--json', 'b.json'], io);
    const atEnd = JSON.parse(String(io.files.get('b.json'))) as { assignments: { recencyDays: number }[] };
    expect(later.assignments[0]!.recencyDays - atEnd.assignments[0]!.recencyDays).toBe(30);
  });

  it('explains a bad date and a customer table without RFM columns, with exit code 2', async () => {
    const io = fakeIo({ 'tx.csv': TX, 'c.csv': 'customer_id,balance\nA,1\nB,2\n' });
    expect(await runCli(['rfm', 'tx.csv', '--as-of', '30/07/2025'], io)).toBe(2);
    expect(io.err).toContain('--as-of must be a date written YYYY-MM-DD');
    expect(await runCli(['rfm', 'c.csv'], io)).toBe(2);
    expect(io.err).toContain('is not a transaction file');
    expect(await runCli(['rfm'], io)).toBe(2);
  });
});

describe('segbot crosssell', () => {
  it('prints the findings and writes productsPerCustomer, coHolding and bySegment', async () => {
    const io = fakeIo({ 's.csv': generateSantanderCsv({ customers: 1500, seed: 4 }) });
    const code = await runCli(['crosssell', 's.csv', '--json', 'cs.json'], io);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    expect(io.out).toMatch(/\d+ deceased customers \(marked in indfall\)/);
    expect(io.out).toContain('By entry channel (canal_entrada) (top and bottom 5 of 30 by customers)');
    expect(io.out).toMatch(/• active employee \(\d+\): /);
    expect(io.out).toContain('Next-best product per segment');
    const json = JSON.parse(String(io.files.get('cs.json'))) as Record<string, unknown> & {
      coHolding: { products: string[]; lift: (number | null)[][] };
      bySegment: { rates: { groups: unknown[] }; nextBest: { segment: string }[] };
      productsPerCustomer: { products: number; customers: number }[];
    };
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['productsPerCustomer', 'coHolding', 'bySegment']),
    );
    expect(json.coHolding.lift).toHaveLength(json.coHolding.products.length);
    expect(json.bySegment.rates.groups).toHaveLength(3);
    expect(json.bySegment.nextBest.map((n) => n.segment)).toContain('university students');
  });

  it('refuses a table without product columns', async () => {
    const io = fakeIo({ 'c.csv': 'customer_id,balance\nA,1\nB,2\n' });
    expect(await runCli(['crosssell', 'c.csv'], io)).toBe(2);
    expect(io.err).toContain('fewer than two product columns');
  });
});
