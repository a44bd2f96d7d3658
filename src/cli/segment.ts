/**
 * `segbot segment customers.csv [--k auto|N] [--seed S] [--features a,b] [--log auto|none]
 * [--method kmeans|gmm|density|compare] [--keep kmeans|gmm|density] [--covariance full|diag] [--json out.json]`: segments a CSV and prints a readable summary; with --json also writes the full
 * result for other tools.
 */
import { basename } from 'node:path';
import { ingestCsv } from '../analytics/ingest/ingest-csv.js';
import { MAX_K, segmentCustomers } from '../analytics/segment/segment-customers.js';
import {
  CLUSTER_METHODS,
  type ClusterMethod,
  type CovarianceType,
  type MethodChoice,
} from '../analytics/types.js';
import { BadInputError } from '../errors.js';
import { formatResultJsonPieces, formatSummary } from './format-summary.js';
import { type CliIo, fileError, readInput } from './io.js';
import { parseCliArgs } from './parse-cli-args.js';

export const SEGMENT_USAGE = `Usage: segbot segment <customers.csv> [options]

Segments the customers in a CSV file and prints a summary: data quality, the chosen k and why,
and one line per segment with its name, size, traits and a suggested campaign action.

Options:
  --k auto|N          number of segments, or auto to choose from 3..8 (default: auto)
  --seed S            random seed; the same seed gives the same segments (default: 42)
  --features a,b,...  only use these columns (default: every numeric and categorical column)
  --log auto|none     log-transform heavily skewed amount columns (default: auto)
  --method M          kmeans, gmm (Gaussian mixture, k by BIC, how sure each segment is),
                      density (dense groups plus the unusual customers outside them) or
                      compare (all three side by side) (default: kmeans)
  --keep M            with --method compare: the method whose segments are kept and written
                      (kmeans, gmm or density; default: kmeans)
  --covariance C      full or diag: the Gaussian mixture's covariances (default: full)
  --json out.json     also write the full result (assignments, profiles, centroids) as JSON
  -h, --help          show this help
`;

export interface SegmentCommand {
  file: string;
  k: 'auto' | number;
  seed: number;
  features: string[] | undefined;
  log: 'auto' | 'none';
  method: MethodChoice;
  covariance: CovarianceType | undefined;
  keep: ClusterMethod | undefined;
  json: string | undefined;
}

const METHODS: readonly MethodChoice[] = ['kmeans', 'gmm', 'density', 'compare'];

function usageError(message: string): BadInputError {
  return new BadInputError(message, { hint: 'Run `segbot segment --help` for the options.' });
}

/** Parses and validates the arguments after `segbot segment`; `null` means help was asked for. */
export function parseSegmentArgs(args: string[]): SegmentCommand | null {
  const { values, positionals } = parseOptions(args);
  if (values.help) return null;
  if (positionals.length === 0)
    throw usageError('Give the customer CSV to segment: segbot segment customers.csv');
  if (positionals.length > 1)
    throw usageError(`Give exactly one CSV file, got ${positionals.length}: ${positionals.join(' ')}`);

  const kText = (values.k ?? 'auto').trim().toLowerCase();
  let k: 'auto' | number = 'auto';
  if (kText !== 'auto') {
    k = /^\d+$/.test(kText) ? Number(kText) : Number.NaN;
    if (!Number.isInteger(k) || k < 2 || k > MAX_K) {
      throw usageError(`--k must be auto or a whole number from 2 to ${MAX_K}, got "${values.k}".`);
    }
  }
  const seedText = (values.seed ?? '42').trim();
  if (!/^-?\d+$/.test(seedText) || !Number.isSafeInteger(Number(seedText))) {
    throw usageError(`--seed must be a whole number, got "${values.seed}".`);
  }
  const log = (values.log ?? 'auto').trim().toLowerCase();
  if (log !== 'auto' && log !== 'none') throw usageError(`--log must be auto or none, got "${values.log}".`);
  let features: string[] | undefined;
  if (values.features !== undefined) {
    features = values.features
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    if (features.length === 0)
      throw usageError('--features needs at least one column name, e.g. --features BALANCE,PURCHASES');
  }
  const methodText = (values.method ?? 'kmeans').trim().toLowerCase();
  const method = METHODS.find((m) => m === methodText);
  if (method === undefined)
    throw usageError(`--method must be kmeans, gmm, density or compare, got "${values.method}".`);
  if (method === 'density' && k !== 'auto')
    throw usageError('--method density finds its own number of segments; leave out --k (or use --k auto).');
  let covariance: CovarianceType | undefined;
  if (values.covariance !== undefined) {
    const text = values.covariance.trim().toLowerCase();
    if (text !== 'full' && text !== 'diag')
      throw usageError(`--covariance must be full or diag, got "${values.covariance}".`);
    if (method !== 'gmm' && method !== 'compare')
      throw usageError('--covariance only applies to the Gaussian mixture: add --method gmm.');
    covariance = text;
  }
  let keep: ClusterMethod | undefined;
  if (values.keep !== undefined) {
    const text = values.keep.trim().toLowerCase();
    keep = CLUSTER_METHODS.find((m) => m === text);
    if (keep === undefined) throw usageError(`--keep must be kmeans, gmm or density, got "${values.keep}".`);
    if (method !== 'compare')
      throw usageError('--keep chooses among compared methods: add --method compare.');
  }
  if (values.json !== undefined && values.json.trim() === '')
    throw usageError('--json needs a file name, e.g. --json out.json');
  return {
    file: positionals[0]!,
    k,
    seed: Number(seedText),
    features,
    log,
    method,
    covariance,
    keep,
    json: values.json,
  };
}

function parseOptions(args: string[]) {
  return parseCliArgs(
    {
      args,
      allowPositionals: true,
      strict: true,
      options: {
        k: { type: 'string' },
        seed: { type: 'string' },
        features: { type: 'string' },
        log: { type: 'string' },
        method: { type: 'string' },
        covariance: { type: 'string' },
        keep: { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    usageError,
  );
}

/** Runs `segbot segment`; returns the exit code. Errors propagate to the dispatcher. */
export async function runSegment(args: string[], io: CliIo): Promise<number> {
  const command = parseSegmentArgs(args);
  if (command === null) {
    io.stdout(SEGMENT_USAGE);
    return 0;
  }
  const bytes = await readInput(io, command.file);
  const ingest = await ingestCsv(bytes, { fileName: basename(command.file) });
  const result = segmentCustomers(ingest, {
    k: command.k,
    seed: command.seed,
    features: command.features,
    log: command.log,
    method: command.method,
    ...(command.covariance ? { covariance: command.covariance } : {}),
    ...(command.keep ? { keep: command.keep } : {}),
  });
  if (command.json !== undefined) {
    try {
      await io.writeFile(command.json, formatResultJsonPieces(result));
    } catch (error) {
      throw fileError(command.json, error, 'write');
    }
  }
  io.stdout(formatSummary(result));
  if (command.json !== undefined) io.stdout(`Full result written to ${command.json}\n`);
  return 0;
}
