/**
 * Seeded synthetic transactions with planted RFM behaviour, so `/segbot rfm`, the tests and the
 * benchmark have a file whose right answer is known: champions buy often and lately, lost customers
 * bought once or twice long ago, and so on. The same seed always gives the same file.
 */
import { createRng, type Rng } from '../rng.js';

/** The behaviour planted in each generated customer. */
export type PlantedRfm = 'champion' | 'loyal' | 'new' | 'at_risk' | 'lost' | 'occasional';

interface RfmParams {
  share: number;
  /** Days before the end date: [min, max) for the last transaction. */
  lastAgo: [number, number];
  /** Days between the first and the last transaction: [min, max). */
  span: [number, number];
  transactions: [number, number];
  ticket: number;
}

const SPAN_DAYS = 540;

export const PLANTED_RFM: Readonly<Record<PlantedRfm, RfmParams>> = {
  champion: { share: 0.1, lastAgo: [0, 10], span: [300, 520], transactions: [40, 80], ticket: 120 },
  loyal: { share: 0.15, lastAgo: [0, 45], span: [200, 480], transactions: [18, 36], ticket: 80 },
  new: { share: 0.1, lastAgo: [0, 20], span: [0, 10], transactions: [1, 3], ticket: 60 },
  at_risk: { share: 0.15, lastAgo: [150, 260], span: [150, 270], transactions: [15, 35], ticket: 90 },
  lost: { share: 0.2, lastAgo: [330, 520], span: [0, 15], transactions: [1, 3], ticket: 40 },
  occasional: { share: 0.3, lastAgo: [20, 200], span: [60, 300], transactions: [3, 9], ticket: 50 },
};

const CHANNELS = ['app', 'online', 'branch', 'atm'];
const CATEGORIES = ['groceries', 'dining', 'fuel', 'travel', 'retail', 'utilities'];

export interface GenerateTransactionsOptions {
  customers: number;
  seed: number;
  /** The last date of the file (default 2025-06-30). */
  endDate?: string;
}

export const TRANSACTIONS_HEADER = 'customer_id,date,amount,channel,category,merchant';

function pickPersona(rng: Rng): PlantedRfm {
  let u = rng.next();
  for (const [name, params] of Object.entries(PLANTED_RFM) as [PlantedRfm, RfmParams][]) {
    u -= params.share;
    if (u < 0) return name;
  }
  return 'occasional';
}

function between(rng: Rng, [min, max]: [number, number]): number {
  return min + rng.int(Math.max(1, max - min));
}

/** The planted behaviour of each customer, in file order (the same draws as the CSV). */
export function plantedRfm(options: GenerateTransactionsOptions): PlantedRfm[] {
  const out: PlantedRfm[] = [];
  for (const customer of generateCustomerTransactions(options)) out.push(customer.persona);
  return out;
}

interface GeneratedCustomer {
  id: string;
  persona: PlantedRfm;
  /** One CSV line per transaction, oldest first. */
  lines: string[];
}

function* generateCustomerTransactions(options: GenerateTransactionsOptions): Generator<GeneratedCustomer> {
  const rng = createRng(options.seed);
  const end = Date.parse(`${options.endDate ?? '2025-06-30'}T00:00:00Z`) / 86_400_000;
  for (let i = 0; i < options.customers; i++) {
    const persona = pickPersona(rng);
    const p = PLANTED_RFM[persona];
    const last = end - between(rng, p.lastAgo);
    const first = Math.max(end - SPAN_DAYS, last - between(rng, p.span));
    const count = between(rng, p.transactions);
    const channel = CHANNELS[rng.int(CHANNELS.length)]!;
    const days: number[] = [first, last];
    for (let t = 2; t < count; t++) days.push(first + rng.int(last - first + 1));
    days.length = Math.min(days.length, count);
    days.sort((a, b) => a - b);
    const id = `C${String(100000 + i)}`;
    const lines = days.map((day) => {
      const amount = p.ticket * Math.exp(0.5 * rng.normal() - 0.125);
      // Mostly the customer's own channel, sometimes another.
      const used = rng.next() < 0.8 ? channel : CHANNELS[rng.int(CHANNELS.length)]!;
      const category = CATEGORIES[rng.int(CATEGORIES.length)]!;
      const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
      return `${id},${date},${amount.toFixed(2)},${used},${category},M${1000 + rng.int(500)}`;
    });
    yield { id, persona, lines };
  }
}

/** The CSV text in chunks of about a thousand customers (header first), for files of any size. */
export function* generateTransactionCsvChunks(options: GenerateTransactionsOptions): Generator<string> {
  let chunk = `${TRANSACTIONS_HEADER}\n`;
  let customers = 0;
  for (const customer of generateCustomerTransactions(options)) {
    chunk += `${customer.lines.join('\n')}\n`;
    if (++customers % 1000 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** The whole file as one string (for tests and small samples). */
export function generateTransactionsCsv(options: GenerateTransactionsOptions): string {
  return Array.from(generateTransactionCsvChunks(options)).join('');
}
