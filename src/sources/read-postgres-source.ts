/**
 * Reads a PostgreSQL source: its query runs in a READ ONLY transaction behind a server-side
 * cursor, fetched `batchRows` at a time, so a table of millions of rows never sits in memory at
 * once and the query cannot change the warehouse. Every value arrives as PostgreSQL's own text
 * (no JavaScript parsing), so segbot's schema inference types it exactly as in an uploaded CSV.
 *
 * Errors never carry the server's message: it can quote the connection's user, a host or a cell
 * value ("invalid input syntax for type integer: …"). The SQLSTATE class says enough to act on.
 */
import pg from 'pg';
import { BadInputError } from '../errors.js';
import type { RowBatch } from './row-batches.js';
import type { PostgresSource } from './source-catalog.js';

/** Environment lookup (the catalog's), injected so tests and the CLI pass their own. */
export type SourceEnv = (name: string) => string | undefined;

const CONNECT_TIMEOUT_MS = 10_000;
// Every column as text: PostgreSQL's output format is what a CSV export of the query would hold.
const TEXT_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/** The connection string from the variable the source names; a clear error when it is unset. */
export function sourceConnectionString(source: PostgresSource, env: SourceEnv): string {
  const value = env(source.connectionEnv)?.trim();
  if (!value) {
    throw new BadInputError(
      `Source “${source.name}” reads its connection from the environment variable ${source.connectionEnv}, which is not set on the server segbot runs on.`,
      {
        hint: `An admin sets ${source.connectionEnv}=postgres://user:password@host:5432/database in segbot’s environment and restarts it. Never paste credentials into Slack.`,
      },
    );
  }
  return value;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
]);

/** What went wrong, from the error's codes only. */
export function describePostgresFailure(
  source: PostgresSource,
  error: unknown,
  connected: boolean,
): BadInputError {
  const code =
    typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const where = `source “${source.name}”`;
  const fixQuery = { hint: `Fix the source’s query in SEGBOT_SOURCES_FILE (SQLSTATE ${code}).` };
  if (
    !connected &&
    (NETWORK_CODES.has(code) || code === '' || /timeout/i.test((error as Error)?.message ?? ''))
  ) {
    return new BadInputError(`segbot could not reach the database of ${where}${code ? ` (${code})` : ''}.`, {
      hint: `Check the host and port in ${source.connectionEnv}, that the database is running, and that it accepts connections from segbot’s server.`,
    });
  }
  if (code === '28P01' || code === '28000') {
    return new BadInputError(`The database of ${where} refused segbot’s credentials.`, {
      hint: `Check the user and password in ${source.connectionEnv}, and that this user may log in from segbot’s server.`,
    });
  }
  if (code === '3D000') {
    return new BadInputError(`The database named in ${source.connectionEnv} does not exist (${where}).`, {
      hint: `Check the database name at the end of ${source.connectionEnv}.`,
    });
  }
  if (code === '42501') {
    return new BadInputError(`The database user of ${where} may not read what its query reads.`, {
      hint: 'Grant that user SELECT on the tables, or use a user that has it.',
    });
  }
  if (code === '25006') {
    return new BadInputError(`The query of ${where} tries to change data; sources are read only.`, fixQuery);
  }
  if (code === '57014') {
    return new BadInputError(`The query of ${where} was cancelled by the database (a statement timeout).`, {
      hint: 'Make the query cheaper (filter, pre-aggregate in a view) or raise the database user’s statement_timeout.',
    });
  }
  if (code.startsWith('42')) {
    return new BadInputError(
      `The query of ${where} is not valid SQL for this database, or names a table or column that does not exist.`,
      fixQuery,
    );
  }
  if (code.startsWith('22')) {
    return new BadInputError(
      `The query of ${where} failed on a value in the data (a conversion or division error).`,
      fixQuery,
    );
  }
  return new BadInputError(
    `The database of ${where} failed while segbot read it${code ? ` (${code})` : ''}.`,
    {
      hint: 'Try again; if it keeps failing, check the database’s own log for this time.',
    },
  );
}

/** Yields the query's rows in batches of `source.batchRows` (at least one batch, for the columns). */
export async function* readPostgresSource(
  source: PostgresSource,
  env: SourceEnv,
  signal?: AbortSignal,
): AsyncGenerator<RowBatch> {
  const client = new pg.Client({
    connectionString: sourceConnectionString(source, env),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'segbot',
    types: TEXT_TYPES,
  });
  // An idle connection that breaks emits 'error'; unhandled, it would end the process.
  client.on('error', () => {});
  let connected = false;
  try {
    try {
      await client.connect();
      connected = true;
      await client.query('BEGIN TRANSACTION READ ONLY');
      await client.query(`DECLARE segbot_pull NO SCROLL CURSOR FOR ${source.query}`);
    } catch (error) {
      throw describePostgresFailure(source, error, connected);
    }
    for (let first = true; ; first = false) {
      signal?.throwIfAborted();
      let result: pg.QueryArrayResult<(string | null)[]>;
      try {
        result = await client.query<(string | null)[]>({
          text: `FETCH FORWARD ${source.batchRows} FROM segbot_pull`,
          rowMode: 'array',
        });
      } catch (error) {
        throw describePostgresFailure(source, error, connected);
      }
      if (result.rows.length === 0 && !first) break;
      yield { columns: result.fields.map((field) => field.name), rows: result.rows };
      if (result.rows.length < source.batchRows) break;
    }
  } finally {
    if (connected) await client.query('ROLLBACK').catch(() => {});
    await client.end().catch(() => {});
  }
}
