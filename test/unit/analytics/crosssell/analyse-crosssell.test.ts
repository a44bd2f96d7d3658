import { describe, expect, it } from 'vitest';
import { analyseCrosssell } from '../../../../src/analytics/crosssell/analyse-crosssell.js';
import { crosssellText } from '../../../../src/analytics/crosssell/crosssell-text.js';
import {
  generateSantanderCsv,
  plantedSantander,
} from '../../../../src/analytics/crosssell/generate-santander.js';
import { ingestCsv } from '../../../../src/analytics/ingest/ingest-csv.js';
import { readableLabel, readableValue } from '../../../../src/analytics/segment/column-labels.js';

// Ten living customers and two deceased ones who hold everything. Products: A = current account,
// B = credit card, C = payroll.
const ROWS = [
  // ncodpers, edad, indfall, segmento, A, B, C
  [1, 23, 'N', '02 - PARTICULARES', 1, 1, 0],
  [2, 31, 'N', '02 - PARTICULARES', 1, 1, 0],
  [3, 45, 'N', '02 - PARTICULARES', 1, 0, 0],
  [4, 52, 'N', '02 - PARTICULARES', 1, 0, 0],
  [5, 67, 'N', '02 - PARTICULARES', 0, 1, 1],
  [6, 19, 'N', '03 - UNIVERSITARIO', 0, 0, 1],
  [7, 20, 'N', '03 - UNIVERSITARIO', 1, 0, 0],
  [8, 21, 'N', '03 - UNIVERSITARIO', 0, 0, 0],
  [9, 22, 'N', '03 - UNIVERSITARIO', 1, 1, 1],
  [10, 24, 'N', '03 - UNIVERSITARIO', 0, 0, 0],
  [11, 88, 'S', '02 - PARTICULARES', 1, 1, 1],
  [12, 91, 'S', '02 - PARTICULARES', 1, 1, 1],
];
const CSV = [
  'ncodpers,edad,indfall,segmento,ind_cco_fin_ult1,ind_tjcr_fin_ult1,ind_nomina_ult1',
  ...ROWS.map((r) => r.join(',')),
].join('\n');

async function analyse(csv: string) {
  const ingest = await ingestCsv(new TextEncoder().encode(csv), { fileName: 'santander.csv' });
  return analyseCrosssell(ingest.table, ingest.schema);
}

describe('analyseCrosssell', () => {
  it('counts the deceased, names their column, and leaves them out of every figure', async () => {
    const result = await analyse(CSV);
    expect(result.deceased).toEqual({ column: 'indfall', count: 2 });
    expect(result.customers).toBe(10);
    expect(result.products.map((p) => [p.label, p.holders])).toEqual([
      ['current account', 6],
      ['credit card', 4],
      ['payroll', 3],
    ]);
    const ages = result.breakdowns.find((b) => b.dimension === 'age band')!;
    expect(ages.groups.some((g) => g.value === '65 and over' && g.customers === 1)).toBe(true);
    expect(crosssellText(result)[0]).toMatch(
      /^2 deceased customers \(marked in indfall\) are counted here and left out/,
    );
  });

  it('gives the products-per-customer distribution', async () => {
    const result = await analyse(CSV);
    expect(result.productsPerCustomer).toEqual([
      { products: 0, customers: 2, share: 0.2 },
      { products: 1, customers: 4, share: 0.4 },
      { products: 2, customers: 3, share: 0.3 },
      { products: 3, customers: 1, share: 0.1 },
    ]);
  });

  it('computes the co-holding lift P(B | A) / P(B) among the living', async () => {
    const { lift } = await analyse(CSV);
    // A and B: 3 joint holders of 10, 6 hold A, 4 hold B → 3·10 / (6·4).
    expect(lift[0]![1]).toBeCloseTo(1.25, 10);
    expect(lift[1]![0]).toBeCloseTo(1.25, 10);
    // A and C: 1 joint → 10 / 18 (with the deceased it would be 3·12 / (8·5) = 0.9).
    expect(lift[0]![2]).toBeCloseTo(10 / 18, 10);
    // B and C: 2 joint → 20 / 12.
    expect(lift[1]![2]).toBeCloseTo(20 / 12, 10);
    expect(lift[0]![0]).toBeNull();
  });

  it('picks each segment’s next-best product from similar customers’ rates', async () => {
    const { nextBest } = await analyse(CSV);
    // Worked by hand: for university students, holders of their other products would hold the
    // credit card at 2.55 / 5 = 51% against 20% now; individuals' largest gap is payroll (30% vs 20%).
    expect(nextBest.map((n) => [n.segment, n.label])).toEqual([
      ['individuals', 'payroll'],
      ['university students', 'credit card'],
    ]);
    const students = nextBest[1]!;
    expect(students.rate).toBeCloseTo(0.2, 10);
    expect(students.expected).toBeCloseTo(2.55 / 5, 3);
    expect(students.opportunity).toBe(2);
    expect(nextBest[0]!.expected).toBeCloseTo(0.3, 10);
  });

  it('on the Santander-style sample: planted deceased excluded, employees hold payroll far more often', async () => {
    const options = { customers: 4000, seed: 11 };
    const result = await analyse(generateSantanderCsv(options));
    const planted = plantedSantander(options);
    expect(result.deceased?.count).toBe(planted.deceased);
    expect(result.customers).toBe(options.customers - planted.deceased);
    // Only the deceased hold the home account.
    expect(result.products.find((p) => p.column === 'ind_viv_fin_ult1')?.holders).toBe(0);
    const employees = result.breakdowns.find((b) => b.dimension === 'employee status')!;
    const payroll = result.products.findIndex((p) => p.column === 'ind_nomina_ult1');
    const rateOf = (label: string) => employees.groups.find((g) => g.label === label)!.rates[payroll]!;
    expect(rateOf('active employee')).toBeGreaterThan(0.4);
    expect(rateOf('not an employee')).toBeLessThan(0.15);
    const channels = result.breakdowns.find((b) => b.dimension === 'entry channel')!;
    expect(channels.groups).toHaveLength(10);
    expect(channels.totalGroups).toBeGreaterThan(10);
    expect(channels.groups[0]!.customers).toBeGreaterThan(channels.groups[9]!.customers);
  });
});

describe('Santander column labels', () => {
  it('reads the Spanish names and coded values in plain words', () => {
    expect(
      [
        'edad',
        'antiguedad',
        'renta',
        'canal_entrada',
        'ind_actividad_cliente',
        'ind_empleado',
        'indfall',
        'segmento',
      ].map(readableLabel),
    ).toEqual([
      'age',
      'seniority (months)',
      'gross income',
      'joining channel',
      'active customer',
      'employee status',
      'deceased',
      'segment',
    ]);
    expect(readableLabel('ind_tjcr_fin_ult1')).toBe('credit card');
    expect(readableLabel('ind_nom_pens_ult1')).toBe('pension payments');
    expect(readableValue('ind_empleado', 'A')).toBe('active employee');
    expect(readableValue('indfall', 'S')).toBe('deceased');
    expect(readableValue('segmento', '03 - UNIVERSITARIO')).toBe('university students');
    expect(readableValue('canal_entrada', 'KHE')).toBe('KHE');
  });
});
