import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/errors.js';
import { readFileSource } from '../../../src/sources/read-file-source.js';
import type { RowBatch } from '../../../src/sources/row-batches.js';
import { type SourceFixtures, writeSourceFixtures } from '../../helpers/source-fixtures.js';

async function collect(batches: AsyncIterable<RowBatch>): Promise<RowBatch[]> {
  const all: RowBatch[] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

async function failure(batches: AsyncIterable<RowBatch>): Promise<BadInputError> {
  try {
    await collect(batches);
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    return error as BadInputError;
  }
  throw new Error('expected the read to fail');
}

describe('readFileSource', () => {
  let f: SourceFixtures;
  beforeAll(async () => {
    f = await writeSourceFixtures({ rows: 300 });
  });

  it('streams a CSV file in batches of batchRows, cells as written', async () => {
    const batches = await collect(
      readFileSource({ kind: 'csv', name: 'extract', path: f.csvPath, batchRows: 64 }),
    );
    expect(batches.map((b) => b.rows.length)).toEqual([64, 64, 64, 64, 44]);
    const [header, first] = readFileSync(f.csvPath, 'utf8').split('\n');
    expect(batches[0]!.columns.join(',')).toBe(header);
    // all_varchar: the text of the file, not DuckDB's reading of it; an empty cell is missing.
    expect(batches[0]!.rows[0]!.map((cell) => cell ?? '').join(',')).toBe(first);
  });

  it('reads every Parquet file of a folder, with the CSV’s values and missing cells as null', async () => {
    const batches = await collect(
      readFileSource({ kind: 'parquet', name: 'lake', path: f.parquetDir, batchRows: 100 }),
    );
    const rows = batches.flatMap((b) => b.rows);
    expect(rows).toHaveLength(300);
    const csvLines = readFileSync(f.csvPath, 'utf8').trim().split('\n');
    const columns = batches[0]!.columns;
    expect(columns.join(',')).toBe(csvLines[0]);
    const idColumn = columns.indexOf('CUST_ID');
    const byId = new Map(rows.map((row) => [row[idColumn], row]));
    // Parquet stores numbers: compare as numbers, and blanks as nulls.
    for (const line of csvLines.slice(1, 40)) {
      const cells = line.split(',');
      const row = byId.get(cells[idColumn]!)!;
      cells.forEach((cell, i) => {
        if (cell === '') expect(row[i]).toBeNull();
        else if (i !== idColumn) expect(Number(row[i])).toBeCloseTo(Number(cell), 6);
      });
    }
  });

  it('yields the columns of an empty file', async () => {
    const empty = join(f.dir, 'empty.csv');
    writeFileSync(empty, 'CUST_ID,BALANCE\n');
    const batches = await collect(readFileSource({ kind: 'csv', name: 'e', path: empty, batchRows: 10 }));
    expect(batches).toEqual([{ columns: ['CUST_ID', 'BALANCE'], rows: [] }]);
  });

  it('says what is wrong with a missing path, a folder without files, or a file that is not Parquet', async () => {
    expect(
      (
        await failure(
          readFileSource({ kind: 'csv', name: 'gone', path: join(f.dir, 'nope.csv'), batchRows: 10 }),
        )
      ).message,
    ).toMatch(/file or folder of source “gone” does not exist/);
    expect(
      (
        await failure(
          readFileSource({ kind: 'parquet', name: 'lake', path: join(f.dir, 'lake', '*.pq'), batchRows: 10 }),
        )
      ).message,
    ).toMatch(/no parquet files/);
    const bad = await failure(
      readFileSource({ kind: 'parquet', name: 'lake', path: f.csvPath, batchRows: 10 }),
    );
    expect(bad.message).toMatch(/DuckDB could not read the parquet data of source “lake”/);
    // DuckDB's own message quotes the path; it is not passed on.
    expect(bad.message).not.toContain(f.dir);
  });
});
