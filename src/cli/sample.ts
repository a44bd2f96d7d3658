/**
 * `segbot sample`: writes seeded synthetic customers in the CC GENERAL schema, so anyone can try
 * segbot (and benchmark it) without real customer data.
 */

import { generateSantanderCsv } from '../analytics/crosssell/generate-santander.js';
import { generateCustomerCsvChunks } from '../analytics/generate-customers.js';
import { generateTransactionCsvChunks } from '../analytics/transactions/generate-transactions.js';
import { BadInputError } from '../errors.js';
import type { CliIo } from './io.js';

export const SAMPLE_USAGE = `Usage: segbot sample [--rows N] [--seed S] [--week W] [--products | --transactions | --santander] [--out customers.csv]

Writes generated customers (CUST_ID plus the 17 CC GENERAL behaviour columns) drawn from planted
personas: VIP high spenders, revolvers, transactors, installment buyers, cash-advance users,
dormant and new customers. The same seed always gives the same file.

Options:
  --rows N        number of customers (default: 5000, at most 5,000,000)
  --seed S        random seed (default: 42)
  --week W        the same customers W-1 weeks later (default: 1): about 3% change behaviour
                  each week (dormant cards wake up, revolvers turn to cash advances), amounts
                  drift a little and some customers take up a product
  --products      add product-holding flags (has_credit_card_upgrade, has_personal_loan,
                  has_savings_account) whose uptake depends on behaviour, for segbot predict
  --transactions  write a transaction file instead (customer_id,date,amount,channel,category,
                  merchant) for N customers with planted RFM behaviour, for segbot rfm
  --santander     write a Santander-style product table instead (Spanish column names,
                  deceased and employee customers), for segbot crosssell
  --out FILE      write to FILE instead of standard output
  -h, --help      show this help
`;

const MAX_ROWS = 5_000_000;

export interface SampleCommand {
  rows: number;
  seed: number;
  week: number;
  products: boolean;
  kind: 'customers' | 'transactions' | 'santander';
  out: string | undefined;
}

function usageError(message: string): BadInputError {
  return new BadInputError(message, { hint: 'Run `segbot sample --help` for the options.' });
}

function wholeNumber(flag: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw usageError(
      `${flag} must be a whole number from ${min} to ${max.toLocaleString('en-US')}, got "${value ?? ''}".`,
    );
  }
  return Number(value);
}

export function parseSampleArgs(args: readonly string[]): SampleCommand {
  const command: SampleCommand = {
    rows: 5000,
    seed: 42,
    week: 1,
    products: false,
    kind: 'customers',
    out: undefined,
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    if (flag === '--rows') command.rows = wholeNumber('--rows', args[++i], 1, MAX_ROWS);
    else if (flag === '--seed') command.seed = wholeNumber('--seed', args[++i], 0, 2 ** 31 - 1);
    else if (flag === '--week') command.week = wholeNumber('--week', args[++i], 1, 520);
    else if (flag === '--products') command.products = true;
    else if (flag === '--transactions') command.kind = 'transactions';
    else if (flag === '--santander') command.kind = 'santander';
    else if (flag === '--out') {
      const out = args[++i];
      if (!out) throw usageError('--out needs a file name.');
      command.out = out;
    } else throw usageError(`Unknown option "${flag}".`);
  }
  if (command.week > 1 && command.kind !== 'customers') {
    throw usageError(
      '--week makes a later week of the customers table; leave it out with --transactions or --santander.',
    );
  }
  return command;
}

function sampleChunks(command: SampleCommand): Iterable<string> {
  const { rows, seed } = command;
  if (command.kind === 'transactions') return generateTransactionCsvChunks({ customers: rows, seed });
  if (command.kind === 'santander') return [generateSantanderCsv({ customers: rows, seed })];
  return generateCustomerCsvChunks({ rows, seed, products: command.products, week: command.week });
}

export async function runSample(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(SAMPLE_USAGE);
    return 0;
  }
  const command = parseSampleArgs(args);
  const chunks = sampleChunks(command);
  if (command.out === undefined) {
    for (const chunk of chunks) io.stdout(chunk);
    return 0;
  }
  await io.writeFile(command.out, Array.from(chunks).join(''));
  const what = command.kind === 'transactions' ? 'customers’ transactions' : 'customers';
  io.stderr(`Wrote ${command.rows.toLocaleString('en-US')} ${what} to ${command.out}\n`);
  return 0;
}
