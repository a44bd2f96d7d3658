import { describe, expect, it } from 'vitest';
import {
  CC_GENERAL_COLUMNS,
  customersCsvHeader,
  generateCustomerCsvChunks,
  generateCustomers,
  generateCustomersCsv,
  oracleAuc,
  PLANTED_PERSONAS,
  PRODUCT_COLUMNS,
  plantedPersonas,
  productProbability,
  WEEKLY_MOVE_RATE,
  WEEKLY_MOVES,
} from '../../../src/analytics/generate-customers.js';

function parse(csv: string): { header: string[]; rows: string[][] } {
  const lines = csv.trimEnd().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((line) => line.split(',')) };
}

describe('generateCustomersCsv', () => {
  it('writes CUST_ID and the 17 CC GENERAL columns in file order', () => {
    const { header, rows } = parse(generateCustomersCsv({ rows: 5, seed: 1 }));
    expect(header).toEqual(['CUST_ID', ...CC_GENERAL_COLUMNS]);
    expect(header).toHaveLength(18);
    expect(rows).toHaveLength(5);
    expect(rows.map((row) => row[0])).toEqual(['C10001', 'C10002', 'C10003', 'C10004', 'C10005']);
    for (const row of rows) expect(row).toHaveLength(18);
  });

  it('is identical for the same seed and differs for another seed', () => {
    const a = generateCustomersCsv({ rows: 200, seed: 42 });
    expect(generateCustomersCsv({ rows: 200, seed: 42 })).toBe(a);
    expect(generateCustomersCsv({ rows: 200, seed: 43 })).not.toBe(a);
  });

  it('adds product flags without changing any customer’s behaviour', () => {
    const plain = parse(generateCustomersCsv({ rows: 300, seed: 42 }));
    const withProducts = parse(generateCustomersCsv({ rows: 300, seed: 42, products: true }));
    expect(withProducts.header).toEqual([...plain.header, ...PRODUCT_COLUMNS]);
    expect(withProducts.rows.map((row) => row.slice(0, plain.header.length))).toEqual(plain.rows);
    const flags = withProducts.rows.map((row) => row.slice(plain.header.length).join(''));
    expect(new Set(flags).size).toBeGreaterThan(1);
  });

  it('gives the same text in chunks as in one piece, with the header only in the first chunk', () => {
    const options = { rows: 2500, seed: 7, chunkRows: 1000, products: true };
    const chunks = Array.from(generateCustomerCsvChunks(options));
    expect(chunks).toHaveLength(3);
    expect(chunks[0]!.startsWith(customersCsvHeader(true))).toBe(true);
    expect(chunks[1]!.startsWith('C')).toBe(true);
    expect(chunks.join('')).toBe(generateCustomersCsv(options));
  });

  it('keeps the schema invariants of the real file', () => {
    const { header, rows } = parse(generateCustomersCsv({ rows: 1500, seed: 5 }));
    const col = (name: string) => header.indexOf(name);
    let missingMinimum = 0;
    for (const row of rows) {
      const value = (name: string) => Number(row[col(name)]);
      expect(
        Math.abs(value('PURCHASES') - value('ONEOFF_PURCHASES') - value('INSTALLMENTS_PURCHASES')),
      ).toBeLessThan(0.011);
      for (const name of CC_GENERAL_COLUMNS) {
        if (name === 'MINIMUM_PAYMENTS' && row[col(name)] === '') continue;
        expect(Number.isFinite(value(name))).toBe(true);
        expect(value(name)).toBeGreaterThanOrEqual(0);
        if (name.endsWith('FREQUENCY') || name === 'PRC_FULL_PAYMENT')
          expect(value(name)).toBeLessThanOrEqual(1);
      }
      expect(value('TENURE')).toBeGreaterThanOrEqual(6);
      expect(value('TENURE')).toBeLessThanOrEqual(12);
      expect(Number.isInteger(value('PURCHASES_TRX'))).toBe(true);
      expect(value('PURCHASES') > 0).toBe(value('PURCHASES_TRX') > 0);
      expect(value('CASH_ADVANCE') > 0).toBe(value('CASH_ADVANCE_TRX') > 0);
      if (row[col('MINIMUM_PAYMENTS')] === '') missingMinimum++;
    }
    // The real file misses 3.5% of MINIMUM_PAYMENTS; keep the same order of magnitude.
    expect(missingMinimum / rows.length).toBeGreaterThan(0.01);
    expect(missingMinimum / rows.length).toBeLessThan(0.08);
  });

  it('has right-skewed amounts like the real file (mean well above median)', () => {
    const customers = Array.from(generateCustomers({ rows: 4000, seed: 9 }));
    for (const name of ['BALANCE', 'PURCHASES', 'CASH_ADVANCE', 'PAYMENTS'] as const) {
      const values = customers.map((c) => c.values[name]).sort((a, b) => a - b);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      expect(mean).toBeGreaterThan(values[Math.floor(values.length / 2)]! * 1.2);
    }
  });

  it('rejects a negative or fractional row count', () => {
    expect(() => generateCustomersCsv({ rows: -1, seed: 1 })).toThrow(/rows/);
    expect(() => generateCustomersCsv({ rows: 1.5, seed: 1 })).toThrow(/rows/);
  });
});

describe('planted personas', () => {
  it('draws every persona in roughly its planted share', () => {
    const personas = plantedPersonas({ rows: 6000, seed: 11 });
    for (const [key, params] of Object.entries(PLANTED_PERSONAS)) {
      const share = personas.filter((p) => p === key).length / personas.length;
      expect(Math.abs(share - params.weight)).toBeLessThan(0.025);
    }
  });

  it('gives each persona its defining behaviour', () => {
    const customers = Array.from(generateCustomers({ rows: 4000, seed: 12, mixing: 0 }));
    const mean = (persona: string, column: (typeof CC_GENERAL_COLUMNS)[number]) => {
      const values = customers.filter((c) => c.persona === persona).map((c) => c.values[column]);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    const all = (column: (typeof CC_GENERAL_COLUMNS)[number]) =>
      customers.reduce((sum, c) => sum + c.values[column], 0) / customers.length;
    expect(mean('vip', 'PURCHASES')).toBeGreaterThan(3 * all('PURCHASES'));
    expect(mean('cash_advance', 'CASH_ADVANCE')).toBeGreaterThan(3 * all('CASH_ADVANCE'));
    expect(mean('transactor', 'PRC_FULL_PAYMENT')).toBeGreaterThan(0.7);
    expect(mean('revolver', 'PRC_FULL_PAYMENT')).toBeLessThan(0.05);
    expect(mean('revolver', 'BALANCE')).toBeGreaterThan(2 * all('BALANCE'));
    expect(mean('installment', 'INSTALLMENTS_PURCHASES')).toBeGreaterThan(
      2 * mean('installment', 'ONEOFF_PURCHASES'),
    );
    expect(mean('dormant', 'PURCHASES')).toBeLessThan(0.1 * all('PURCHASES'));
    expect(mean('new', 'TENURE')).toBeLessThan(8.5);
  });
});

describe('planted product flags', () => {
  it('adds three 0/1 columns drawn from the planted probabilities', () => {
    const { header, rows } = parse(generateCustomersCsv({ rows: 50, seed: 3, products: true }));
    expect(header.slice(18)).toEqual([...PRODUCT_COLUMNS]);
    for (const row of rows) for (const cell of row.slice(18)) expect(['0', '1']).toContain(cell);
  });

  it('keeps the behaviour columns unchanged when flags are added', () => {
    const plain = Array.from(generateCustomers({ rows: 1, seed: 4 }))[0]!;
    const withFlags = Array.from(generateCustomers({ rows: 1, seed: 4, products: true }))[0]!;
    expect(withFlags.values).toEqual(plain.values);
  });

  it('matches the planted uptake rate and lets the oracle beat chance', () => {
    const customers = Array.from(generateCustomers({ rows: 5000, seed: 21, products: true }));
    for (const product of PRODUCT_COLUMNS) {
      const probabilities = customers.map((c) => c.productProbabilities![product]);
      expect(probabilities[0]).toBeCloseTo(productProbability(product, customers[0]!.values), 12);
      const expected = probabilities.reduce((a, b) => a + b, 0) / customers.length;
      const observed = customers.filter((c) => c.products![product] === 1).length / customers.length;
      expect(Math.abs(observed - expected)).toBeLessThan(0.03);
      expect(oracleAuc(probabilities)).toBeGreaterThan(0.75);
    }
  });
});

describe('oracleAuc', () => {
  it('is 1 for certain labels, 0.5 for a constant score, and matches a pair count', () => {
    expect(oracleAuc([0, 0, 1, 1])).toBe(1);
    expect(oracleAuc([0.3, 0.3, 0.3])).toBeCloseTo(0.5, 12);
    // Pairs: (0.8 pos, 0.2 neg) weigh 0.8*0.8 and are ordered right; (0.2 pos, 0.8 neg) weigh 0.2*0.2.
    expect(oracleAuc([0.2, 0.8])).toBeCloseTo(0.64 / (0.64 + 0.04), 12);
  });
});

describe('a later week of the same customers', () => {
  const options = { rows: 4000, seed: 42, products: true };
  const first = Array.from(generateCustomers(options));
  const second = Array.from(generateCustomers({ ...options, week: 2 }));

  it('keeps every customer, moves a few to the planted next persona and keeps limits', () => {
    expect(Array.from(generateCustomers({ ...options, week: 1 }))).toEqual(first);
    expect(second.map((c) => c.id)).toEqual(first.map((c) => c.id));
    const moved = second.filter((c, i) => c.persona !== first[i]!.persona);
    // About WEEKLY_MOVE_RATE of 4,000: a week is drift, not a new customer base.
    expect(moved.length).toBeGreaterThan(4000 * WEEKLY_MOVE_RATE * 0.6);
    expect(moved.length).toBeLessThan(4000 * WEEKLY_MOVE_RATE * 1.4);
    for (const c of moved) {
      const before = first.find((f) => f.id === c.id)!;
      expect(c.persona).toBe(WEEKLY_MOVES[before.persona]);
    }
    const stayed = second.flatMap((c, i) =>
      c.persona === first[i]!.persona ? [[first[i]!, c] as const] : [],
    );
    expect(stayed.every(([before, after]) => before.values.CREDIT_LIMIT === after.values.CREDIT_LIMIT)).toBe(
      true,
    );
    // Amounts drift a little (a few percent), not a redraw.
    const ratios = stayed
      .map(([before, after]) => after.values.BALANCE / before.values.BALANCE)
      .filter((r) => Number.isFinite(r));
    expect(ratios.every((r) => r > 0.8 && r < 1.25)).toBe(true);
    expect(ratios.some((r) => r !== 1)).toBe(true);
  });

  it('keeps products held and adds a few new holders; the same seed and week repeat exactly', () => {
    let lost = 0;
    let gained = 0;
    second.forEach((c, i) => {
      for (const product of [
        'has_credit_card_upgrade',
        'has_personal_loan',
        'has_savings_account',
      ] as const) {
        const was = first[i]!.products![product];
        const now = c.products![product];
        if (was === 1 && now === 0) lost++;
        if (was === 0 && now === 1) gained++;
      }
    });
    expect(lost).toBe(0);
    expect(gained).toBeGreaterThan(0);
    expect(gained).toBeLessThan(4000 * 0.05);
    expect(generateCustomersCsv({ ...options, rows: 50, week: 3 })).toBe(
      generateCustomersCsv({ ...options, rows: 50, week: 3 }),
    );
    expect(generateCustomersCsv({ ...options, rows: 50, week: 3 })).not.toBe(
      generateCustomersCsv({ ...options, rows: 50, week: 2 }),
    );
    expect(() => generateCustomersCsv({ ...options, week: 0 })).toThrow(/week must be a whole number/);
  });
});
