/**
 * `segbot crosssell customers.csv [--json out.json]`: products per customer, co-holding lift,
 * holding rates by age band, entry channel, activity, employee status and segment, and the
 * next-best product of each segment.
 */
import { basename } from 'node:path';
import { crosssellText } from '../analytics/crosssell/crosssell-text.js';
import { ingestCsv } from '../analytics/ingest/ingest-csv.js';
import { runCrosssell as analyse, crosssellJson } from '../services/crosssell-analysis.js';
import { parseFileArgs, writeJson } from './file-command.js';
import { type CliIo, readInput } from './io.js';

export const CROSSSELL_USAGE = `Usage: segbot crosssell <customers.csv> [options]

Analyses the product flags of a customer table (for example Santander's ind_*_ult1 columns):
how many products customers hold, which products go together (lift), holding rates by age band,
entry channel, activity, employee status and segment, and each segment's next-best product.
Deceased customers (indfall = S) are counted, named and left out of every figure.

Options:
  --json out.json     also write productsPerCustomer, coHolding and bySegment as JSON
  -h, --help          show this help
`;

/** Runs `segbot crosssell`; returns the exit code. */
export async function runCrosssell(args: string[], io: CliIo): Promise<number> {
  const command = parseFileArgs(
    args,
    {},
    {
      name: 'crosssell',
      example: 'segbot crosssell customers.csv --json out.json',
    },
  );
  if (command === null) {
    io.stdout(CROSSSELL_USAGE);
    return 0;
  }
  const ingest = await ingestCsv(await readInput(io, command.file), { fileName: basename(command.file) });
  const result = analyse(ingest.table, ingest.schema);
  io.stdout(`${crosssellText(result).join('\n')}\n`);
  await writeJson(io, command.json, crosssellJson(result));
  return 0;
}
