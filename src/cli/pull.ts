/**
 * `segbot pull <source> [--out customers.csv]`: reads a data source declared in
 * SEGBOT_SOURCES_FILE, checks it as an upload is checked (schema, quality report), and writes it as
 * a CSV that `segbot segment`, `predict` and the others read. Nothing is written unless the whole
 * table was read and passed the checks.
 */
import { ingestCsv } from '../analytics/ingest/ingest-csv.js';
import { CONFIG_DEFAULTS } from '../config.js';
import { BadInputError } from '../errors.js';
import { findSource, pulledName, sourceCsv } from '../services/pull-source.js';
import { readSourceCatalog } from '../sources/source-catalog.js';
import { type CliIo, fileError } from './io.js';
import { parseCliArgs } from './parse-cli-args.js';

export const PULL_USAGE = `Usage: segbot pull <source> [--out customers.csv]

Reads a data source declared in the JSON file named by SEGBOT_SOURCES_FILE (a PostgreSQL query,
or Parquet / CSV files read with DuckDB), checks it as an upload is checked, prints the quality
summary and writes the rows as CSV. Connection strings come from the environment variables the
sources file names, never from the command line.

Options:
  --out FILE      write the CSV to FILE (default: standard output)
  -h, --help      show this help
`;

/** Runs `segbot pull`; returns the exit code. */
export async function runPull(args: string[], io: CliIo): Promise<number> {
  const usageError = (message: string) =>
    new BadInputError(message, { hint: 'Run `segbot pull --help` for the options.' });
  const { values, positionals } = parseCliArgs(
    {
      args,
      allowPositionals: true,
      strict: true,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    },
    usageError,
  );
  if (values.help === true) {
    io.stdout(PULL_USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw usageError('Name exactly one source, for example: segbot pull warehouse');
  const env = io.env ?? process.env;
  const catalog = readSourceCatalog(env);
  const source = findSource(catalog, positionals[0]!);
  const maxMb =
    Number(env.SEGBOT_MAX_UPLOAD_MB) > 0 ? Number(env.SEGBOT_MAX_UPLOAD_MB) : CONFIG_DEFAULTS.maxUploadMb;

  // The chunks are kept as they stream into the checks, so the file written is exactly what passed them.
  const chunks: Uint8Array[] = [];
  const controller = new AbortController();
  async function* kept(): AsyncGenerator<Uint8Array> {
    for await (const chunk of sourceCsv(
      source,
      { sources: catalog, maxBytes: Math.floor(maxMb * 1024 * 1024) },
      { signal: controller.signal },
    )) {
      chunks.push(chunk);
      yield chunk;
    }
  }
  const { quality } = await ingestCsv(kept(), { fileName: pulledName(source) });
  const csv = Buffer.concat(chunks);
  if (values.out === undefined) io.stdout(csv.toString('utf8'));
  else {
    try {
      await io.writeFile(values.out, csv);
    } catch (error) {
      throw fileError(values.out, error, 'write');
    }
  }
  const lines = [
    `segbot pull: ${source.name} (${source.kind}): ${quality.rows.toLocaleString('en-US')} rows, ${quality.columnCount} columns${values.out === undefined ? '' : ` written to ${values.out}`}`,
    ...quality.dropped.map((dropped) => `  - dropped ${dropped.name}: ${dropped.reason}`),
    ...[...quality.columns.flatMap((column) => column.notes), ...quality.notes].map((note) => `  - ${note}`),
  ];
  io.stderr(`${lines.join('\n')}\n`);
  return 0;
}
