/**
 * The data sources an admin declares in SEGBOT_SOURCES_FILE (JSON), by name:
 *
 *   { "sources": {
 *       "warehouse": { "kind": "postgres", "connectionEnv": "WAREHOUSE_URL",
 *                      "query": "SELECT … FROM marts.customers", "batchRows": 10000 },
 *       "lake":      { "kind": "parquet", "path": "/data/customers/" },
 *       "extract":   { "kind": "csv", "path": "exports/customers.csv" } } }
 *
 * The file holds no credentials: a PostgreSQL source names the environment variable that holds
 * its connection string, and a file that looks like it carries a secret is refused at start-up.
 * Sources are never declared in chat; `/segbot pull` only picks one by name.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors.js';

export interface PostgresSource {
  kind: 'postgres';
  name: string;
  /** The environment variable that holds the connection string (postgres://user:password@host/db). */
  connectionEnv: string;
  /** A read-only SELECT; it runs in a READ ONLY transaction behind a cursor. */
  query: string;
  /** Rows fetched per round trip. */
  batchRows: number;
}

export interface FileSource {
  kind: 'parquet' | 'csv';
  name: string;
  /** A file, a folder (every file of the kind under it) or a glob, absolute. */
  path: string;
  batchRows: number;
}

export type DataSource = PostgresSource | FileSource;

/** The configured sources by name; empty when SEGBOT_SOURCES_FILE is not set. */
export interface SourceCatalog {
  /** The file they were read from, for messages; null when none is configured. */
  file: string | null;
  sources: ReadonlyMap<string, DataSource>;
  /**
   * Reads an environment variable a source names (its connection string). A function, not a copy of
   * the environment, so logging the config can never print a credential.
   */
  lookupEnv(name: string): string | undefined;
}

export const EMPTY_SOURCE_CATALOG: SourceCatalog = {
  file: null,
  sources: new Map(),
  lookupEnv: () => undefined,
};

export const DEFAULT_BATCH_ROWS = 10_000;
const VARIABLE = 'SEGBOT_SOURCES_FILE';
const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Anything that smells of a secret written into the file itself.
const SECRET_KEY = /pass|secret|token|credential|connection_?string|^url$|dsn/i;
const SECRET_VALUE = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^@\s]*@/i;

const KEYS: Record<DataSource['kind'], readonly string[]> = {
  postgres: ['kind', 'connectionEnv', 'query', 'batchRows', 'description'],
  parquet: ['kind', 'path', 'batchRows', 'description'],
  csv: ['kind', 'path', 'batchRows', 'description'],
};

/** Reads the sources file named by SEGBOT_SOURCES_FILE, or the empty catalog when it is unset. */
export function readSourceCatalog(env: Readonly<Record<string, string | undefined>>): SourceCatalog {
  const file = env[VARIABLE]?.trim();
  if (!file) return EMPTY_SOURCE_CATALOG;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(VARIABLE, `cannot read ${file}.`, 'Point it at a readable JSON file of sources.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(
      VARIABLE,
      `${file} is not valid JSON.`,
      'Check it with `node -e "JSON.parse(require(\'fs\').readFileSync(process.argv[1]))" <file>`.',
    );
  }
  return parseSourceCatalog(json, file, (name) => env[name]);
}

/** Checks the parsed JSON of a sources file; `file` resolves relative paths and names the file in errors. */
export function parseSourceCatalog(
  json: unknown,
  file: string,
  lookupEnv: SourceCatalog['lookupEnv'],
): SourceCatalog {
  const fail = (message: string, hint?: string): never => {
    throw new ConfigError(VARIABLE, `${file}: ${message}`, hint);
  };
  if (!isRecord(json) || !isRecord(json.sources)) {
    return fail('expected an object {"sources": {"<name>": {…}, …}}.');
  }
  const sources = new Map<string, DataSource>();
  for (const [name, raw] of Object.entries(json.sources)) {
    if (!NAME.test(name)) {
      fail(
        `source name "${name}" is not allowed.`,
        'Use lowercase letters, digits, "-" and "_" (up to 40), e.g. "warehouse".',
      );
    }
    if (!isRecord(raw)) return fail(`source "${name}" must be an object.`);
    const kind = raw.kind;
    if (kind !== 'postgres' && kind !== 'parquet' && kind !== 'csv') {
      return fail(
        `source "${name}" has kind ${JSON.stringify(kind)}.`,
        'kind is "postgres", "parquet" or "csv".',
      );
    }
    for (const [key, value] of Object.entries(raw)) {
      if (SECRET_KEY.test(key) || (typeof value === 'string' && SECRET_VALUE.test(value))) {
        fail(
          `source "${name}" carries what looks like a credential (${key}).`,
          'Credentials go in the environment only: put the connection string in an environment variable and name that variable in "connectionEnv".',
        );
      }
      if (!KEYS[kind].includes(key)) {
        fail(
          `source "${name}" has an unknown key "${key}".`,
          `A ${kind} source takes ${KEYS[kind].join(', ')}.`,
        );
      }
    }
    const batchRows = raw.batchRows ?? DEFAULT_BATCH_ROWS;
    if (
      typeof batchRows !== 'number' ||
      !Number.isInteger(batchRows) ||
      batchRows < 1 ||
      batchRows > 1_000_000
    ) {
      fail(`source "${name}": batchRows must be a whole number from 1 to 1,000,000.`);
    }
    if (kind === 'postgres') {
      const { connectionEnv, query } = raw;
      if (typeof connectionEnv !== 'string' || !ENV_NAME.test(connectionEnv)) {
        fail(
          `source "${name}": connectionEnv must name an environment variable (e.g. "WAREHOUSE_URL").`,
          'The variable holds the connection string; the file never does.',
        );
      }
      if (typeof query !== 'string' || query.trim() === '') fail(`source "${name}": query must be a SELECT.`);
      sources.set(name, {
        kind,
        name,
        connectionEnv: connectionEnv as string,
        query: (query as string).trim().replace(/;\s*$/, ''),
        batchRows: batchRows as number,
      });
    } else {
      const path = raw.path;
      if (typeof path !== 'string' || path.trim() === '')
        fail(`source "${name}": path must name a file or folder.`);
      const where = path as string;
      sources.set(name, {
        kind,
        name,
        path: isAbsolute(where) ? where : resolve(dirname(file), where),
        batchRows: batchRows as number,
      });
    }
  }
  return { file, sources, lookupEnv };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
