/**
 * PostgreSQL sources against a real server (SEGBOT_TEST_DATABASE_URL; `.ci/run` starts one): a
 * 50,000-row table pulled through a cursor in batches, PostgreSQL's types and NULLs through the
 * upload's schema inference, stored as a channel's dataset, and failures that name what to fix
 * without quoting the password or a value from the data.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCsv } from '../../src/analytics/ingest/ingest-csv.js';
import { BadInputError } from '../../src/errors.js';
import { pullIntoChannel, pullSourceTable } from '../../src/services/pull-source.js';
import { readPostgresSource } from '../../src/sources/read-postgres-source.js';
import type { RowBatch } from '../../src/sources/row-batches.js';
import {
  type PostgresSource,
  parseSourceCatalog,
  type SourceCatalog,
} from '../../src/sources/source-catalog.js';
import { expectStored } from '../helpers/source-fixtures.js';
import { createTestDeps } from '../helpers/test-deps.js';

const ROWS = 50_000;
const URL_VARIABLE = 'SEGBOT_PG_SOURCE_URL';
const schema = `segbot_pull_${process.pid}`;
const signal = new AbortController().signal;

function databaseUrl(): string {
  const url = process.env.SEGBOT_TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'SEGBOT_TEST_DATABASE_URL is not set. `npm run test:pg` needs a PostgreSQL server: run `.ci/run`, or start one and set SEGBOT_TEST_DATABASE_URL=postgres://user@127.0.0.1:5432/postgres.',
    );
  }
  return url;
}

/** A catalog of one postgres source with this query, its URL looked up from `url`. */
function catalogFor(query: string, url: string, batchRows = 5_000): SourceCatalog {
  return parseSourceCatalog(
    { sources: { warehouse: { kind: 'postgres', connectionEnv: URL_VARIABLE, query, batchRows } } },
    '/etc/segbot/sources.json',
    (name) => (name === URL_VARIABLE ? url : undefined),
  );
}

async function failure(promise: Promise<unknown>): Promise<BadInputError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    return error as BadInputError;
  }
  throw new Error('expected the pull to fail');
}

describe('PostgreSQL sources', () => {
  let url: string;
  let admin: pg.Client;

  beforeAll(async () => {
    url = databaseUrl();
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await admin.query(`
      CREATE TABLE ${schema}.customers AS
      SELECT 'C' || lpad(i::text, 6, '0') AS customer_id,
             CASE WHEN i % 7 = 0 THEN NULL ELSE round((i % 997) * 12.5 + 0.25, 2)::numeric(12, 2) END AS balance,
             ((i * 37) % 1000)::double precision / 3 AS purchases,
             (i % 48 + 1)::integer AS tenure_months,
             ((i * 7919) % 100000)::bigint AS points,
             (i % 3 = 0) AS has_personal_loan,
             DATE '2020-01-01' + (i % 1500) AS opened_on,
             CASE i % 4 WHEN 0 THEN 'north' WHEN 1 THEN 'south, coast' WHEN 2 THEN 'east "metro"' ELSE NULL END AS region
      FROM generate_series(1, ${ROWS}) AS i`);
    await admin.query(`CREATE SEQUENCE ${schema}.counter`);
  });
  afterAll(async () => {
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  it('streams 50,000 rows through a cursor in batches of batchRows, every value as PostgreSQL writes it', async () => {
    const source = catalogFor(`SELECT * FROM ${schema}.customers ORDER BY customer_id`, url).sources.get(
      'warehouse',
    ) as PostgresSource;
    const sizes: number[] = [];
    let first: RowBatch | undefined;
    const seen = new Set<string>();
    for await (const batch of readPostgresSource(
      source,
      (name) => (name === URL_VARIABLE ? url : undefined),
      signal,
    )) {
      sizes.push(batch.rows.length);
      first ??= batch;
      for (const row of batch.rows) seen.add(row[0]!);
    }
    expect(sizes).toEqual(Array(10).fill(5_000));
    expect(seen.size).toBe(ROWS);
    expect(first!.columns).toEqual([
      'customer_id',
      'balance',
      'purchases',
      'tenure_months',
      'points',
      'has_personal_loan',
      'opened_on',
      'region',
    ]);
    // i = 1..4: numeric keeps its two decimals, booleans are t/f, dates ISO, NULL is null.
    expect(first!.rows.slice(0, 4)).toEqual([
      ['C000001', '12.75', '12.333333333333334', '2', '7919', 'f', '2020-01-02', 'south, coast'],
      ['C000002', '25.25', '24.666666666666668', '3', '15838', 'f', '2020-01-03', 'east "metro"'],
      ['C000003', '37.75', '37', '4', '23757', 't', '2020-01-04', null],
      ['C000004', '50.25', '49.333333333333336', '5', '31676', 'f', '2020-01-05', 'north'],
    ]);
  });

  it('goes through the upload’s schema inference and quality report, and is stored as a dataset version', async () => {
    const { deps } = createTestDeps();
    const sources = catalogFor(`SELECT * FROM ${schema}.customers`, url);
    const reads: number[] = [];
    const pulled = await pullIntoChannel(
      { sources, maxBytes: 100 * 1024 * 1024, ...deps },
      { channelId: 'CPG', userId: 'U1', sourceName: 'warehouse', signal, onRows: (rows) => reads.push(rows) },
    );
    expect(reads.at(-1)).toBe(ROWS);
    expect(reads.length).toBeGreaterThanOrEqual(10);
    expect(expectStored(pulled).record).toMatchObject({
      version: 1,
      rowCount: ROWS,
      fileName: 'warehouse (postgres source)',
    });
    const stored = (await deps.datasets.latestDataset('CPG'))!;
    expect(stored.schema.idColumn).toBe('customer_id');
    const roles = Object.fromEntries(stored.schema.columns.map((c) => [c.name, c.role]));
    expect(roles).toMatchObject({
      customer_id: 'id',
      balance: 'numeric',
      purchases: 'numeric',
      tenure_months: 'numeric',
      points: 'numeric',
      has_personal_loan: 'product',
      opened_on: 'date',
    });
    const { ingest } = await pullSourceTable(
      { sources, maxBytes: 100 * 1024 * 1024, ingestCsv },
      'warehouse',
      {
        signal,
      },
    );
    const balance = ingest.quality.columns.find((c) => c.name === 'balance')!;
    expect(balance.missing).toBe(Math.floor(ROWS / 7));
    const loan = ingest.quality.columns.find((c) => c.name === 'has_personal_loan')!;
    expect(loan.mean).toBeCloseTo(Math.floor(ROWS / 3) / ROWS, 6);
    expect(ingest.quality.columns.find((c) => c.name === 'region')!.missing).toBe(ROWS / 4);
  });

  it('reads in a READ ONLY transaction: a query that writes is refused and changes nothing', async () => {
    const sources = catalogFor(`SELECT nextval('${schema}.counter') AS n, 1.5 AS x`, url);
    const error = await failure(
      pullSourceTable({ sources, maxBytes: 1e6, ingestCsv }, 'warehouse', { signal }),
    );
    expect(error.message).toMatch(/tries to change data; sources are read only/);
    const { rows } = await admin.query(`SELECT last_value, is_called FROM ${schema}.counter`);
    expect(rows[0].is_called).toBe(false);
  });

  it('says what is wrong with the query without quoting the data', async () => {
    const missing = await failure(
      pullSourceTable(
        { sources: catalogFor(`SELECT * FROM ${schema}.nowhere`, url), maxBytes: 1e6, ingestCsv },
        'warehouse',
        {
          signal,
        },
      ),
    );
    expect(missing.message).toMatch(
      /not valid SQL for this database, or names a table or column that does not exist/,
    );
    expect(missing.hint).toMatch(/SQLSTATE 42P01/);

    // PostgreSQL's own message would quote the value ("invalid input syntax for type integer: …").
    const badValue = await failure(
      pullSourceTable(
        {
          sources: catalogFor(`SELECT customer_id::integer AS n FROM ${schema}.customers`, url),
          maxBytes: 1e6,
          ingestCsv,
        },
        'warehouse',
        { signal },
      ),
    );
    expect(badValue.message).toMatch(/failed on a value in the data/);
    expect(`${badValue.message} ${badValue.hint}`).not.toContain('C000001');
  });

  it('names an unknown database and an unreachable server without the connection string', async () => {
    const parsed = new URL(url);
    parsed.password = 'pw-Never-Shown';
    parsed.pathname = '/segbot_no_such_database';
    const unknownDb = await failure(
      pullSourceTable(
        { sources: catalogFor('SELECT 1 AS x', parsed.toString()), maxBytes: 1e6, ingestCsv },
        'warehouse',
        {
          signal,
        },
      ),
    );
    expect(unknownDb.message).toMatch(/database named in SEGBOT_PG_SOURCE_URL does not exist/);
    expect(`${unknownDb.message} ${unknownDb.hint}`).not.toMatch(/pw-Never-Shown|segbot_no_such_database/);

    parsed.pathname = '/postgres';
    parsed.port = '1';
    const unreachable = await failure(
      pullSourceTable(
        { sources: catalogFor('SELECT 1 AS x', parsed.toString()), maxBytes: 1e6, ingestCsv },
        'warehouse',
        {
          signal,
        },
      ),
    );
    expect(unreachable.message).toMatch(/could not reach the database of source “warehouse”/);
    expect(`${unreachable.message} ${unreachable.hint}`).not.toContain('pw-Never-Shown');
  });
});
