import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ingestCsv, parseCsv } from '../../../../src/analytics/ingest/index.js';
import type { Column, IngestResult, Table } from '../../../../src/analytics/types.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/csv/', import.meta.url));

/** Bytes of a fixture under test/fixtures/csv. */
export function fixture(name: string): Buffer {
  return readFileSync(FIXTURES + name);
}

/** Ingests CSV text as UTF-8 bytes. */
export function csvFromText(text: string, fileName = 'test.csv', maxRows?: number): Promise<IngestResult> {
  return ingestCsv(Buffer.from(text, 'utf8'), { fileName, maxRows });
}

/** The bytes as a stream of chunks of `size` bytes. */
export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Runs `fn` and returns the error it throws (failing the test if it does not). */
export async function errorOf(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** A Table as plain data with every double spelled exactly, for deep equality across parsers. */
export function tableSnapshot(table: Table): unknown {
  return {
    rowCount: table.rowCount,
    delimiter: table.delimiter,
    fingerprint: table.fingerprint,
    columns: table.columns.map((c: Column) => ({
      name: c.name,
      kind: c.kind,
      missing: c.missing,
      length: c.values.length,
      values:
        c.kind === 'numeric'
          ? Array.from(c.values, (v) => (Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v))
          : c.values,
    })),
  };
}

/** Parses with both parsers (and as a chunked stream) and returns the three results. */
export async function parseAllWays(bytes: Uint8Array, chunkSize = 7) {
  const options = { fileName: 'prop.csv' };
  const settle = async (p: Promise<{ table: Table; lines: Int32Array; parser: string }>) => {
    try {
      const r = await p;
      return {
        ok: true as const,
        table: tableSnapshot(r.table),
        lines: Array.from(r.lines),
        parser: r.parser,
      };
    } catch (error) {
      return {
        ok: false as const,
        error: (error as Error).constructor.name,
        message: (error as Error).message,
      };
    }
  };
  const auto = await settle(parseCsv(bytes, options));
  const general = await settle(parseCsv(bytes, { ...options, parser: 'general' }));
  const stream = await settle(parseCsv(chunked(bytes, chunkSize), options));
  return { auto, general, stream };
}
