/**
 * Reads a Parquet or CSV source (a file, a folder of them, or a glob) with DuckDB, streamed in
 * chunks. Every value is read as text (`COLUMNS(*)::VARCHAR`, `all_varchar`), so types are decided
 * by segbot's own schema inference exactly as for an uploaded CSV; NULL stays a missing cell.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { BadInputError } from '../errors.js';
import type { RowBatch } from './row-batches.js';
import type { FileSource } from './source-catalog.js';

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The glob DuckDB reads: the file itself, or every file of the kind under a folder. */
function sourcePattern(source: FileSource): string {
  if (/[*?[]/.test(source.path)) return source.path;
  let isFolder: boolean;
  try {
    isFolder = statSync(source.path).isDirectory();
  } catch {
    throw new BadInputError(`The ${source.kind} file or folder of source “${source.name}” does not exist.`, {
      hint: 'Check its "path" in SEGBOT_SOURCES_FILE, and that segbot’s user may read it.',
    });
  }
  return isFolder ? join(source.path, '**', `*.${source.kind}`) : source.path;
}

function sourceSql(source: FileSource, pattern: string): string {
  const reader =
    source.kind === 'parquet'
      ? `read_parquet(${sqlString(pattern)}, union_by_name = true)`
      : `read_csv(${sqlString(pattern)}, header = true, all_varchar = true, union_by_name = true)`;
  return `SELECT COLUMNS(*)::VARCHAR FROM ${reader}`;
}

/**
 * DuckDB's messages can quote the path and, for a malformed file, a value from it: only the error's
 * kind ("IO Error", "Invalid Input Error") is passed on.
 */
function readFailure(source: FileSource, error: unknown): BadInputError {
  const message = error instanceof Error ? error.message : '';
  const kind = /^([A-Za-z ]{1,40} Error):/.exec(message)?.[1];
  const noFiles = /No files found/i.test(message);
  return new BadInputError(
    noFiles
      ? `Source “${source.name}” has no ${source.kind} files where SEGBOT_SOURCES_FILE points.`
      : `DuckDB could not read the ${source.kind} data of source “${source.name}”${kind ? ` (${kind})` : ''}.`,
    {
      hint: noFiles
        ? `Check its "path": a folder is searched for *.${source.kind} files.`
        : `Check that the files are valid ${source.kind === 'csv' ? 'CSV with a header line' : 'Parquet'} and share one set of columns.`,
    },
  );
}

/** Yields the source's rows in batches of `source.batchRows` (at least one batch, for the columns). */
export async function* readFileSource(source: FileSource, signal?: AbortSignal): AsyncGenerator<RowBatch> {
  const pattern = sourcePattern(source);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    let result: Awaited<ReturnType<typeof connection.stream>>;
    try {
      result = await connection.stream(sourceSql(source, pattern));
    } catch (error) {
      throw readFailure(source, error);
    }
    const columns = result.columnNames();
    const rows: (string | null)[][] = [];
    let yielded = false;
    try {
      for (;;) {
        signal?.throwIfAborted();
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        for (const row of chunk.getRows()) rows.push(row.map((v) => (v === null ? null : String(v))));
        while (rows.length >= source.batchRows) {
          yield { columns, rows: rows.splice(0, source.batchRows) };
          yielded = true;
        }
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      throw readFailure(source, error);
    }
    if (rows.length > 0 || !yielded) yield { columns, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
