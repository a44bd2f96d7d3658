/**
 * A seeded, Santander-style product table (Spanish column names, one row per customer) for
 * `/segbot crosssell`, its tests and the README: planted co-holding (payroll, pension payments and
 * the payroll account go together), employees (ind_empleado A/B/F/P) who hold payroll products far
 * more often, and deceased customers (indfall = S) who all hold a home account that no living
 * customer holds, so leaving them out is visible in every rate.
 */
import { createRng, type Rng } from '../rng.js';

export interface GenerateSantanderOptions {
  customers: number;
  seed: number;
}

/** The product columns, in file order. */
export const SANTANDER_SAMPLE_PRODUCTS = [
  'ind_cco_fin_ult1',
  'ind_ctop_fin_ult1',
  'ind_recibo_ult1',
  'ind_ecue_fin_ult1',
  'ind_tjcr_fin_ult1',
  'ind_cno_fin_ult1',
  'ind_nomina_ult1',
  'ind_nom_pens_ult1',
  'ind_dela_fin_ult1',
  'ind_valo_fin_ult1',
  'ind_viv_fin_ult1',
] as const;

const HEADER = [
  'fecha_dato',
  'ncodpers',
  'ind_empleado',
  'sexo',
  'edad',
  'antiguedad',
  'canal_entrada',
  'indfall',
  'ind_actividad_cliente',
  'renta',
  'segmento',
  ...SANTANDER_SAMPLE_PRODUCTS,
];

/** Entry channels, most used first: a long tail like the real table's. */
const CHANNELS = [
  'KHE',
  'KAT',
  'KFC',
  'KHQ',
  'KFA',
  'KHK',
  'KHM',
  'KHN',
  'KAS',
  'RED',
  'KAG',
  'KAY',
  'KAA',
  'KAB',
  'KAE',
  'KCC',
  'KBZ',
  'KHL',
  'KFD',
  'KAI',
  'KEY',
  'KAW',
  'KAR',
  'KAZ',
  'KAF',
  '007',
  '013',
  'KCI',
  'KAH',
  'KBO',
];

const SEGMENTS = ['01 - TOP', '02 - PARTICULARES', '03 - UNIVERSITARIO'];

/** Share of deceased and of employee customers planted. */
export const PLANTED_SHARES = { deceased: 0.01, employee: 0.02 } as const;

function channelOf(rng: Rng): string {
  // Zipf-like: channel i is picked with weight 1 / (i + 1)^1.3.
  const weights = CHANNELS.map((_, i) => 1 / (i + 1) ** 1.3);
  let u = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < CHANNELS.length; i++) {
    u -= weights[i]!;
    if (u < 0) return CHANNELS[i]!;
  }
  return CHANNELS[0]!;
}

const flag = (rng: Rng, p: number) => (rng.next() < p ? 1 : 0);

/** One customer row's cells, and whether it was planted as deceased or employee. */
function customerRow(
  rng: Rng,
  i: number,
): { cells: (string | number)[]; deceased: boolean; employee: boolean } {
  const deceased = rng.next() < PLANTED_SHARES.deceased;
  const employee = !deceased && rng.next() < PLANTED_SHARES.employee;
  const segment = rng.next() < 0.3 ? SEGMENTS[2]! : rng.next() < 0.1 ? SEGMENTS[0]! : SEGMENTS[1]!;
  const age = segment === SEGMENTS[2] ? 18 + rng.int(8) : 25 + rng.int(60);
  const active = rng.next() < (segment === SEGMENTS[2] ? 0.25 : 0.55) ? 1 : 0;
  const top = segment === SEGMENTS[0];
  const payroll = flag(rng, employee ? 0.7 : active ? (top ? 0.3 : 0.12) : 0.01);
  const products = [
    flag(rng, segment === SEGMENTS[2] ? 0.9 : 0.6),
    flag(rng, segment === SEGMENTS[2] ? 0.02 : 0.2),
    flag(rng, active ? 0.25 : 0.03),
    flag(rng, active ? 0.15 : 0.02),
    flag(rng, top ? 0.25 : active ? 0.06 : 0.005),
    payroll ? flag(rng, 0.9) : flag(rng, 0.03),
    payroll,
    payroll ? flag(rng, 0.85) : 0,
    flag(rng, age > 50 ? 0.09 : 0.02),
    flag(rng, top ? 0.2 : 0.015),
    deceased ? 1 : 0,
  ];
  const cells = [
    '2016-05-28',
    1_000_000 + i,
    employee ? 'ABFP'[rng.int(4)]! : 'N',
    rng.next() < 0.5 ? 'H' : 'V',
    age,
    1 + rng.int(240),
    channelOf(rng),
    deceased ? 'S' : 'N',
    active,
    (40_000 + 120_000 * rng.next() * (top ? 3 : 1)).toFixed(2),
    segment,
    ...products,
  ];
  return { cells, deceased, employee };
}

/** The table as CSV text. */
export function generateSantanderCsv(options: GenerateSantanderOptions): string {
  const rng = createRng(options.seed);
  const lines = [HEADER.join(',')];
  for (let i = 0; i < options.customers; i++) lines.push(customerRow(rng, i).cells.join(','));
  return `${lines.join('\n')}\n`;
}

/** Which rows were planted as deceased and as employees (the same draws as the CSV). */
export function plantedSantander(options: GenerateSantanderOptions): { deceased: number; employees: number } {
  const rng = createRng(options.seed);
  let deceased = 0;
  let employees = 0;
  for (let i = 0; i < options.customers; i++) {
    const row = customerRow(rng, i);
    if (row.deceased) deceased++;
    if (row.employee) employees++;
  }
  return { deceased, employees };
}
