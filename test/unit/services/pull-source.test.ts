import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { BadInputError, NotFoundError, TooLargeError } from '../../../src/errors.js';
import { findSource, pullIntoChannel, pullSourceTable } from '../../../src/services/pull-source.js';
import {
  EMPTY_SOURCE_CATALOG,
  readSourceCatalog,
  type SourceCatalog,
} from '../../../src/sources/source-catalog.js';
import { expectStored, type SourceFixtures, writeSourceFixtures } from '../../helpers/source-fixtures.js';
import { createTestDeps } from '../../helpers/test-deps.js';
import { thrown } from '../../helpers/thrown.js';

const PASSWORD = 'pw-Secret-9431';
const signal = new AbortController().signal;

async function rejection<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}`);
}

describe('pullSource', () => {
  let f: SourceFixtures;
  let catalog: SourceCatalog;
  beforeAll(async () => {
    f = await writeSourceFixtures({ rows: 300, connectionEnv: 'PULL_TEST_URL' });
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    catalog = readSourceCatalog({
      SEGBOT_SOURCES_FILE: f.sourcesFile,
      PULL_TEST_URL: `postgres://segbot:${PASSWORD}@127.0.0.1:1/warehouse`,
    });
  });

  it('stores a pulled Parquet folder as the channel’s next dataset version, with the upload’s quality report', async () => {
    const { deps } = createTestDeps();
    const seen: number[] = [];
    const pulled = await pullIntoChannel(
      { sources: catalog, maxBytes: 5 * 1024 * 1024, ...deps },
      { channelId: 'C1', userId: 'U1', sourceName: 'lake', signal, onRows: (rows) => seen.push(rows) },
    );
    expect(seen).toEqual([100, 200, 300]);
    expect(expectStored(pulled).record.version).toBe(1);
    expect(expectStored(pulled).record.rowCount).toBe(300);
    expect(expectStored(pulled).report.text).toMatch(
      /Imported lake \(parquet source\) as dataset v1: 300 rows/,
    );
    // The same table as uploading the CSV the Parquet files were made from.
    const uploaded = await ingestCsv(new Uint8Array(readFileSync(f.csvPath)), { fileName: 'c.csv' });
    const stored = (await deps.datasets.latestDataset('C1'))!;
    expect(stored.schema.idColumn).toBe(uploaded.schema.idColumn);
    expect(stored.schema.columns.map((c) => [c.name, c.role])).toEqual(
      uploaded.schema.columns.map((c) => [c.name, c.role]),
    );
    const again = await pullIntoChannel(
      { sources: catalog, maxBytes: 5 * 1024 * 1024, ...deps },
      { channelId: 'C1', userId: 'U1', sourceName: 'extract', signal },
    );
    expect(expectStored(again).record.version).toBe(2);
  });

  it('makes no new version when the source holds the same table as the channel’s latest', async () => {
    const { deps } = createTestDeps();
    const pull = () =>
      pullIntoChannel(
        { sources: catalog, maxBytes: 5 * 1024 * 1024, ...deps },
        { channelId: 'C2', userId: 'U1', sourceName: 'extract', signal },
      );
    expect(expectStored(await pull()).record.version).toBe(1);
    const again = await pull();
    expect(again.stored).toMatchObject({ status: 'unchanged', record: { version: 1 } });
    expect(await deps.datasets.listDatasets('C2')).toHaveLength(1);
  });

  it('refuses a source bigger than the upload limit and stores nothing', async () => {
    const { deps } = createTestDeps();
    const error = await rejection(
      pullIntoChannel(
        { sources: catalog, maxBytes: 10_000, ...deps },
        { channelId: 'C1', userId: 'U1', sourceName: 'extract', signal },
      ),
      TooLargeError,
    );
    expect(error.hint).toMatch(/SEGBOT_MAX_UPLOAD_MB/);
    expect(await deps.datasets.latestDataset('C1')).toBeNull();
  });

  it('names the configured sources when asked for an unknown one, and says how to configure when there are none', () => {
    expect(thrown(() => findSource(catalog, 'warehous'), NotFoundError).hint).toMatch(
      /extract, lake, warehouse/,
    );
    expect(thrown(() => findSource(EMPTY_SOURCE_CATALOG, 'lake'), NotFoundError).hint).toMatch(
      /SEGBOT_SOURCES_FILE/,
    );
  });

  it('names the unset variable of a PostgreSQL source', async () => {
    const bare = readSourceCatalog({ SEGBOT_SOURCES_FILE: f.sourcesFile });
    const error = await rejection(
      pullSourceTable({ sources: bare, maxBytes: 1e6, ingestCsv }, 'warehouse', { signal }),
      BadInputError,
    );
    expect(error.message).toMatch(/environment variable PULL_TEST_URL, which is not set/);
  });

  it('says an unreachable database cannot be reached, without the password or the host’s reply', async () => {
    const error = await rejection(
      pullSourceTable({ sources: catalog, maxBytes: 1e6, ingestCsv }, 'warehouse', { signal }),
      BadInputError,
    );
    expect(error.message).toMatch(/could not reach the database of source “warehouse” \(ECONNREFUSED\)/);
    expect(error.hint).toMatch(/PULL_TEST_URL/);
    expect(`${error.message} ${error.hint}`).not.toContain(PASSWORD);
    expect(`${error.message} ${error.hint}`).not.toContain('127.0.0.1');
  });
});
