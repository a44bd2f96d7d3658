/**
 * Data-source fixtures: a seeded customer CSV, the same rows as a Parquet file (written by DuckDB),
 * and a sources file naming them, all in a fresh temporary folder.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';

export interface SourceFixtures {
  dir: string;
  csvPath: string;
  /** A folder holding the rows split over two Parquet files. */
  parquetDir: string;
  /** The sources file (JSON) declaring "extract" (csv), "lake" (parquet) and "warehouse" (postgres). */
  sourcesFile: string;
  rows: number;
}

/** Writes the fixtures; `connectionEnv` is the variable the "warehouse" source reads. */
export async function writeSourceFixtures(
  options: { rows?: number; seed?: number; connectionEnv?: string; query?: string } = {},
): Promise<SourceFixtures> {
  const rows = options.rows ?? 300;
  const dir = mkdtempSync(join(tmpdir(), 'segbot-sources-'));
  const csvPath = join(dir, 'customers.csv');
  writeFileSync(csvPath, generateCustomersCsv({ rows, seed: options.seed ?? 5 }));
  const parquetDir = join(dir, 'lake');
  mkdirSync(parquetDir);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const half = Math.floor(rows / 2);
    const read = `read_csv('${csvPath}', header = true)`;
    await connection.run(
      `COPY (SELECT * FROM ${read} LIMIT ${half}) TO '${join(parquetDir, 'part-1.parquet')}' (FORMAT parquet)`,
    );
    await connection.run(
      `COPY (SELECT * FROM ${read} OFFSET ${half}) TO '${join(parquetDir, 'part-2.parquet')}' (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  const sourcesFile = join(dir, 'sources.json');
  writeFileSync(
    sourcesFile,
    JSON.stringify({
      sources: {
        extract: { kind: 'csv', path: 'customers.csv', batchRows: 64 },
        lake: { kind: 'parquet', path: 'lake', batchRows: 100 },
        warehouse: {
          kind: 'postgres',
          connectionEnv: options.connectionEnv ?? 'SEGBOT_TEST_WAREHOUSE_URL',
          query: options.query ?? 'SELECT * FROM customers',
        },
      },
    }),
  );
  return { dir, csvPath, parquetDir, sourcesFile, rows };
}
