/**
 * `segbot rfm tx.csv [--as-of YYYY-MM-DD] [--json out.json]`: RFM scores and named segments of a
 * transaction file (or of a table with recency_days, frequency and monetary per customer).
 */
import { basename } from 'node:path';
import { dayNumber } from '../analytics/transactions/aggregate-transactions.js';
import { BadInputError } from '../errors.js';
import { analyseRfmFile, type RfmAnalysis, rfmJson } from '../services/rfm-analysis.js';
import { parseFileArgs, writeJson } from './file-command.js';
import { type CliIo, readInput } from './io.js';

export const RFM_USAGE = `Usage: segbot rfm <transactions.csv> [options]

Reads a transaction file (one row per transaction: customer id, date YYYY-MM-DD, amount; optional
channel, category, merchant), aggregates it per customer, scores recency, frequency and monetary
value 1-5 by quintile and names the RFM segments (Champions, Loyal, ..., Lost) with a playbook.

Options:
  --as-of YYYY-MM-DD  count recency from this date (default: the file's last transaction date)
  --json out.json     also write segments and per-customer assignments as JSON
  -h, --help          show this help
`;

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const range = (r: { min: number; max: number }) => (r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`);

/** The readable summary printed by `segbot rfm`. */
export function formatRfmSummary(analysis: RfmAnalysis): string {
  const { result, note } = analysis;
  const lines = [
    note ?? '',
    `${result.customers.toLocaleString('en-US')} customers in ${result.segments.length} RFM segments:`,
    '',
  ];
  for (const s of result.segments) {
    lines.push(
      `${s.name.padEnd(20)} ${s.size.toLocaleString('en-US').padStart(9)} (${percent(s.share).padStart(5)})  revenue ${percent(s.revenueShare).padStart(5)}  R ${range(s.r)} F ${range(s.f)} M ${range(s.m)}`,
      `${''.padEnd(20)} -> ${s.action.title}: ${s.action.reason}`,
    );
  }
  return `${lines.filter((line, i) => i > 0 || line !== '').join('\n')}\n`;
}

/** Runs `segbot rfm`; returns the exit code. */
export async function runRfm(args: string[], io: CliIo): Promise<number> {
  const command = parseFileArgs(
    args,
    { 'as-of': { type: 'string' } },
    { name: 'rfm', example: 'segbot rfm tx.csv --as-of 2025-06-30' },
  );
  if (command === null) {
    io.stdout(RFM_USAGE);
    return 0;
  }
  const asOf = command.values['as-of'];
  if (asOf !== undefined && Number.isNaN(dayNumber(asOf)))
    throw new BadInputError(`--as-of must be a date written YYYY-MM-DD, got "${asOf}".`, {
      hint: 'For example: segbot rfm tx.csv --as-of 2025-06-30',
    });
  const bytes = await readInput(io, command.file);
  const analysis = await analyseRfmFile(bytes, {
    fileName: basename(command.file),
    ...(asOf === undefined ? {} : { asOf }),
  });
  io.stdout(formatRfmSummary(analysis));
  await writeJson(io, command.json, rfmJson(analysis));
  return 0;
}
