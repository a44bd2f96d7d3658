/**
 * Pulls a configured data source into a channel as its next dataset version: the rows stream in
 * batches from PostgreSQL or DuckDB, become CSV bytes, and go through the same ingest (schema
 * inference, quality report) and the same store as an uploaded file. Nothing is stored unless the
 * whole table was read and checked.
 */
import type { IngestResult } from '../analytics/types.js';
import { collectBytes } from '../collect-bytes.js';
import { NotFoundError, TooLargeError } from '../errors.js';
import { readFileSource } from '../sources/read-file-source.js';
import { readPostgresSource, type SourceEnv } from '../sources/read-postgres-source.js';
import { type RowBatch, rowBatchesToCsv } from '../sources/row-batches.js';
import type { DataSource, SourceCatalog } from '../sources/source-catalog.js';
import { type StoreDatasetDeps, type StoredDataset, storeIngestedDataset } from './store-dataset.js';

export interface PullSourceDeps {
  sources: SourceCatalog;
  ingestCsv(source: Uint8Array, options: { fileName: string }): Promise<IngestResult>;
  /** The same ceiling as an upload (SEGBOT_MAX_UPLOAD_MB), counted on the CSV the rows become. */
  maxBytes: number;
}

export interface PullProgress {
  /** Called after every batch with the rows read so far. */
  onRows?: (rows: number) => void;
  signal: AbortSignal;
}

/** The source of that name, or a NotFoundError that lists the configured ones. */
export function findSource(catalog: SourceCatalog, name: string): DataSource {
  const source = catalog.sources.get(name.toLowerCase());
  if (source) return source;
  const names = [...catalog.sources.keys()];
  if (names.length === 0) {
    throw new NotFoundError(
      'No data sources are configured.',
      'An admin declares them in a JSON file named by SEGBOT_SOURCES_FILE on segbot’s server (see the README, “Data sources”); they cannot be added from Slack.',
    );
  }
  throw new NotFoundError(
    `There is no data source called “${name}”.`,
    `Configured sources: ${names.join(', ')}. Sources are declared in SEGBOT_SOURCES_FILE on segbot’s server.`,
  );
}

/** The source's rows, in batches. */
export function readSource(
  source: DataSource,
  env: SourceEnv,
  signal?: AbortSignal,
): AsyncGenerator<RowBatch> {
  return source.kind === 'postgres'
    ? readPostgresSource(source, env, signal)
    : readFileSource(source, signal);
}

/** The name a pulled dataset is stored under (shown where an upload shows its file name). */
export function pulledName(source: DataSource): string {
  return `${source.name} (${source.kind} source)`;
}

/** The source's rows as CSV chunks, refused past `maxBytes` before anything is stored. */
export async function* sourceCsv(
  source: DataSource,
  deps: Pick<PullSourceDeps, 'sources' | 'maxBytes'>,
  progress: PullProgress,
): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const chunk of rowBatchesToCsv(
    readSource(source, deps.sources.lookupEnv, progress.signal),
    progress.onRows,
  )) {
    bytes += chunk.byteLength;
    if (bytes > deps.maxBytes) {
      throw new TooLargeError(
        `Source “${source.name}” holds more than the ${Math.round(deps.maxBytes / (1024 * 1024))} MB segbot accepts for one dataset.`,
        'Narrow the source (fewer columns, a filter in its query or fewer files), or ask an admin to raise SEGBOT_MAX_UPLOAD_MB.',
      );
    }
    yield chunk;
  }
}

/** Reads and checks the named source's whole table. */
export async function pullSourceTable(
  deps: PullSourceDeps,
  name: string,
  progress: PullProgress,
): Promise<{ source: DataSource; ingest: IngestResult }> {
  const source = findSource(deps.sources, name);
  // The CSV is bounded by maxBytes as it is read, so it is held whole, as an upload's file is.
  const bytes = await collectBytes(sourceCsv(source, deps, progress));
  const ingest = await deps.ingestCsv(bytes, { fileName: pulledName(source) });
  return { source, ingest };
}

/** Pulls the named source and stores it as the channel's next dataset version. */
export async function pullIntoChannel(
  deps: PullSourceDeps & StoreDatasetDeps,
  input: { channelId: string; userId: string; sourceName: string } & PullProgress,
): Promise<StoredDataset & { source: DataSource }> {
  const { source, ingest } = await pullSourceTable(deps, input.sourceName, input);
  const stored = await storeIngestedDataset(deps, { ...input, ingest });
  return { ...stored, source };
}
