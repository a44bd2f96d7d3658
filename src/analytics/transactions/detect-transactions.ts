/**
 * Recognises a transaction file (one row per transaction, many per customer) from its header and
 * first rows, before it is read as a customer table: a customer id, a date and an amount column,
 * plus optional channel, category, merchant and 0/1 flag columns.
 */
import { looksLikeCustomerIdName, nameWords } from '../ingest/infer-schema.js';

/** Which column (by index in the header) plays which part in a transaction file. */
export interface TransactionColumns {
  names: string[];
  customer: number;
  date: number;
  amount: number;
  channel: number | null;
  category: number | null;
  merchant: number | null;
  /** 0/1 columns (product flags repeated on each row), carried per customer as "ever 1". */
  flags: number[];
}

const DATE_WORDS = new Set(['date', 'fecha', 'timestamp', 'datetime', 'day', 'posted', 'booked', 'time']);
const AMOUNT_WORDS = new Set(['amount', 'amt', 'importe', 'monto', 'spend', 'value', 'valor']);
const CHANNEL_WORDS = new Set(['channel', 'canal']);
const CATEGORY_WORDS = new Set(['category', 'categoria', 'mcc', 'type', 'tipo']);
const MERCHANT_WORDS = new Set(['merchant', 'comercio', 'store', 'shop', 'payee']);

/** A date cell segbot reads in a transaction file: YYYY-MM-DD or YYYY/MM/DD, optionally with a time after it. */
const DATE_CELL = /^\d{4}[-/]\d{2}[-/]\d{2}([T ].*)?$/;

function firstNamed(
  names: readonly string[],
  words: ReadonlySet<string>,
  taken: ReadonlySet<number>,
): number | null {
  const index = names.findIndex((name, i) => !taken.has(i) && nameWords(name).some((w) => words.has(w)));
  return index < 0 ? null : index;
}

/**
 * The transaction columns of a file with this header and these first rows (already split into
 * cells), or null when the file is not a transaction file. A date column must hold dates and an
 * amount column numbers in the sample; a flag column holds only 0 and 1.
 */
export function detectTransactionColumns(
  header: readonly string[],
  sample: readonly (readonly string[])[],
): TransactionColumns | null {
  const names = header.map((h) => h.trim());
  const customer = names.findIndex((name) => looksLikeCustomerIdName(name));
  if (customer < 0) return null;
  const taken = new Set([customer]);
  const cells = (index: number) =>
    sample.map((row) => (row[index] ?? '').trim()).filter((cell) => cell !== '');
  // Most cells, not all: a stray bad row is then reported by line, not mistaken for a customer table.
  const mostly = (index: number, test: (cell: string) => boolean) => {
    const values = cells(index);
    return values.length > 0 && values.filter(test).length >= 0.8 * values.length;
  };
  const date = firstNamed(names, DATE_WORDS, taken);
  if (date === null || !mostly(date, (cell) => DATE_CELL.test(cell))) return null;
  taken.add(date);
  const amount = firstNamed(names, AMOUNT_WORDS, taken);
  if (amount === null || !mostly(amount, (cell) => Number.isFinite(Number(cell.replace(',', '.')))))
    return null;
  taken.add(amount);
  const optional = (words: ReadonlySet<string>): number | null => {
    const index = firstNamed(names, words, taken);
    if (index !== null) taken.add(index);
    return index;
  };
  const channel = optional(CHANNEL_WORDS);
  const category = optional(CATEGORY_WORDS);
  const merchant = optional(MERCHANT_WORDS);
  const flags: number[] = [];
  names.forEach((_, index) => {
    if (taken.has(index)) return;
    const values = cells(index);
    if (values.length > 0 && values.every((cell) => cell === '0' || cell === '1')) flags.push(index);
  });
  return { names, customer, date, amount, channel, category, merchant, flags };
}
