import { Buffer, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { BadInputError } from '../../errors.js';
import type { Column, IngestResult, Schema, Table } from '../types.js';
import {
  assertLooksLikeText,
  binaryError,
  type Delimiter,
  detectDelimiter,
  utf8BomLength,
} from './detect-format.js';
import { findDuplicate } from './find-duplicate.js';
import { inferSchema, looksLikeCustomerIdName } from './infer-schema.js';
import { markNearCopies } from './near-copies.js';
import { emptyFileError, estimateRows, parseQuoteFreeBuffer } from './parse-fast.js';
import { parseCsvStream } from './parse-stream.js';
import { buildQualityReport, replacePlaceholders } from './quality-report.js';
import { finishColumns, type TableBuilder } from './table-builder.js';

/** Options for {@link ingestCsv}. */
export interface IngestOptions {
  /** Shown in error messages and the quality report. */
  fileName: string;
  /** Reject files with more data rows than this (a TooLargeError). */
  maxRows?: number;
  /** Awaited between slices of a big file's rows (see FastParseOptions.pause). */
  pause?: () => Promise<void>;
}

/** Options for {@link parseCsv}. */
export interface ParseOptions extends IngestOptions {
  /**
   * 'auto' (default) takes the byte-level fast path for a quote-free file given as one buffer;
   * 'general' always uses csv-parse (tests and the benchmark compare the two).
   */
  parser?: 'auto' | 'general';
}

/** A parsed file plus where each row came from. */
export interface ParsedCsv {
  table: Table;
  /** 1-based line of the file on which each row starts (the header is line 1). */
  lines: Int32Array;
  /** Which parser produced the table. */
  parser: 'fast' | 'general';
}

/** The first bytes looked at for the file type, delimiter and line endings. */
const HEAD_BYTES = 64 * 1024;
/** Slice size when a buffer is fed to the streaming parser. */
const FEED_BYTES = 1 << 20;

/**
 * Parses a customer CSV (bytes or a stream of byte chunks), infers its schema and builds the
 * data-quality report. Negative placeholders such as -999999 in otherwise non-negative columns
 * become missing values (the report says how many). Bad input becomes a BadInputError naming
 * file, line and column (a TooLargeError when `maxRows` is exceeded).
 *
 * A quote-free file given as one buffer takes the byte-level fast path; anything else (quoted
 * fields, or a stream of chunks) goes through csv-parse. Both give identical tables.
 */
export async function ingestCsv(
  source: Uint8Array | AsyncIterable<Uint8Array>,
  options: IngestOptions,
): Promise<IngestResult> {
  const { table, lines } = await parseCsv(source, options);
  const replaced = replacePlaceholders(table);
  // Model scores and recoded outcomes would make the segments the outcome itself: see markNearCopies.
  const schema = markNearCopies(table, inferSchema(table));
  checkCustomerIds(table, lines, schema.idColumn);
  checkMagnitudes(table, lines, schema);
  if (!schema.columns.some((c) => c.role === 'numeric')) {
    throw new BadInputError('The file has no numeric column segbot can use to describe customers.', {
      hint: `segbot needs at least one column of numbers (balances, purchases, age, ...). Columns found: ${schema.columns
        .map((c) => `${c.name} (${c.role}: ${c.reason})`)
        .join('; ')
        .slice(0, 600)}`,
      location: { file: options.fileName },
    });
  }
  const quality = buildQualityReport(table, schema, replaced);
  return { table, schema, quality };
}

/**
 * Parses a CSV into a Table without interpreting it: detects encoding problems, the delimiter and
 * line endings, then runs the fast or the general parser. Both give identical Tables.
 */
export async function parseCsv(
  source: Uint8Array | AsyncIterable<Uint8Array>,
  options: ParseOptions,
): Promise<ParsedCsv> {
  if (source instanceof Uint8Array) return parseBytes(source, options);
  return parseChunks(source, options);
}

interface Sniffed {
  bom: number;
  delimiter: Delimiter;
  recordDelimiter: 'lf' | 'cr';
}

/** Looks at the first bytes: file type, BOM, emptiness, delimiter and line endings. */
function sniff(head: Uint8Array, complete: boolean, fileName: string): Sniffed {
  assertLooksLikeText(head, fileName);
  const bom = utf8BomLength(head);
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(head.subarray(bom));
  if (complete && text.trim() === '') throw emptyFileError(fileName);
  const recordDelimiter = !text.includes('\n') && text.includes('\r') ? 'cr' : 'lf';
  const firstLines = text.split(recordDelimiter === 'cr' ? '\r' : '\n');
  // The last piece of the head may be a cut line.
  if (!complete && firstLines.length > 1) firstLines.pop();
  return { bom, delimiter: detectDelimiter(firstLines), recordDelimiter };
}

async function parseBytes(bytes: Uint8Array, options: ParseOptions): Promise<ParsedCsv> {
  const { fileName } = options;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sniffed = sniff(buf.subarray(0, HEAD_BYTES), buf.length <= HEAD_BYTES, fileName);
  if (buf.indexOf(0) >= 0 || !isUtf8(buf)) throw binaryError(fileName);
  const fingerprint = createHash('sha256').update(buf).digest('hex');
  const quoteFree = buf.indexOf(0x22, sniffed.bom) < 0;
  const fast = options.parser !== 'general' && quoteFree && sniffed.recordDelimiter === 'lf';
  const run = async (forceText?: ReadonlySet<number>): Promise<TableBuilder> => {
    const common = { fileName, delimiter: sniffed.delimiter, maxRows: options.maxRows, forceText };
    if (fast) return parseQuoteFreeBuffer(buf, sniffed.bom, { ...common, pause: options.pause });
    return parseCsvStream(sliceChunks(buf.subarray(sniffed.bom)), {
      ...common,
      recordDelimiter: sniffed.recordDelimiter,
      capacity: estimateRows(buf, sniffed.bom),
      validated: true,
    });
  };
  return finish(run, fingerprint, fileName, fast ? 'fast' : 'general');
}

async function* sliceChunks(buf: Buffer): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.length; i += FEED_BYTES) yield buf.subarray(i, i + FEED_BYTES);
}

async function parseChunks(source: AsyncIterable<Uint8Array>, options: ParseOptions): Promise<ParsedCsv> {
  const { fileName } = options;
  const hash = createHash('sha256');
  // Chunks are kept so a column that turns out to be text can be re-read with its exact text.
  const kept: Uint8Array[] = [];
  const iterator = source[Symbol.asyncIterator]();
  let headLength = 0;
  let complete = false;
  while (headLength < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      complete = true;
      break;
    }
    hash.update(next.value);
    kept.push(next.value);
    headLength += next.value.length;
  }
  const head = Buffer.concat(kept);
  if (head.length === 0) throw emptyFileError(fileName);
  const sniffed = sniff(head, complete, fileName);
  const headCount = kept.length;

  async function* firstPass(): AsyncGenerator<Uint8Array> {
    yield head.subarray(sniffed.bom);
    if (complete) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      hash.update(next.value);
      kept.push(next.value);
      yield next.value;
    }
  }
  async function* again(): AsyncGenerator<Uint8Array> {
    yield head.subarray(sniffed.bom);
    for (let i = headCount; i < kept.length; i++) yield kept[i]!;
  }

  let passes = 0;
  let fingerprint = '';
  const run = async (forceText?: ReadonlySet<number>): Promise<TableBuilder> => {
    const chunks = passes++ === 0 ? firstPass() : again();
    const tb = await parseCsvStream(chunks, {
      fileName,
      delimiter: sniffed.delimiter,
      recordDelimiter: sniffed.recordDelimiter,
      maxRows: options.maxRows,
      forceText,
    });
    if (fingerprint === '') fingerprint = hash.digest('hex');
    return tb;
  };
  const first = await run();
  return finish(
    async (forceText) => (forceText ? run(forceText) : first),
    () => fingerprint,
    fileName,
    'general',
  );
}

/** Builds the Table, re-reading once if some text columns lost the text of their early numbers. */
async function finish(
  run: (forceText?: ReadonlySet<number>) => Promise<TableBuilder>,
  fingerprint: string | (() => string),
  fileName: string,
  parser: 'fast' | 'general',
): Promise<ParsedCsv> {
  let tb = await run();
  let { columns, reread, descriptionRow } = finishColumns(tb);
  // A customer id is a label, not a quantity: read as a number, "000123" would lose its zeros and an
  // id longer than 15 digits its last digits, and lists of ids would no longer match the bank's.
  columns.forEach((column, index) => {
    if (column.kind === 'numeric' && looksLikeCustomerIdName(column.name)) reread.add(index);
  });
  if (reread.size > 0) {
    tb = await run(reread);
    ({ columns, reread, descriptionRow } = finishColumns(tb));
  }
  // A description or units line under the header is no customer: rows start after it.
  const first = descriptionRow ? 1 : 0;
  const table: Table = {
    fileName,
    rowCount: tb.rowCount - first,
    columns,
    delimiter: tb.delimiter,
    fingerprint: typeof fingerprint === 'string' ? fingerprint : fingerprint(),
  };
  if (descriptionRow) table.descriptionLine = tb.lines[0]!;
  return { table, lines: tb.lines.slice(first, tb.rowCount), parser };
}

/**
 * The largest magnitude segbot accepts in a numeric column. Larger numbers in a customer table are
 * export mistakes (a card or account number in an amount column, a lost decimal point), and their
 * sums and squares would lose all precision or overflow to Infinity in the statistics.
 */
export const MAX_MAGNITUDE = 1e15;

/**
 * Every numeric column but the customer id holds values within ±MAX_MAGNITUDE; the first one
 * beyond is an error naming its line and column (the value itself stays out of the message).
 */
function checkMagnitudes(table: Table, lines: Int32Array, schema: Schema): void {
  const ids = new Set(schema.columns.filter((c) => c.role === 'id').map((c) => c.name));
  if (schema.idColumn) ids.add(schema.idColumn);
  for (const column of table.columns) {
    if (column.kind !== 'numeric' || ids.has(column.name)) continue;
    let first = -1;
    let count = 0;
    for (let row = 0; row < column.values.length; row++) {
      if (!(Math.abs(column.values[row]!) <= MAX_MAGNITUDE) && !Number.isNaN(column.values[row]!)) {
        if (first < 0) first = row;
        count++;
      }
    }
    if (first < 0) continue;
    const line = lines[first]!;
    const more = count > 1 ? ` (and ${count - 1} more further down)` : '';
    throw new BadInputError(
      `Column ${column.name} holds a number beyond ±10^15 on line ${line}${more}; segbot works with values up to 1,000,000,000,000,000 in size.`,
      {
        hint: 'Check that line for an export mistake (an account or card number in an amount column, a missing decimal point); correct the value or leave the cell empty, then upload again.',
        location: { file: table.fileName, line, column: column.name },
      },
    );
  }
}

/**
 * The customer id column (named like one: CUST_ID, customer_id, ncodpers, ...) must identify each
 * row: a duplicate or a missing id is an error naming the lines involved.
 */
function checkCustomerIds(table: Table, lines: Int32Array, idColumn: string | null): void {
  const column = table.columns.find((c) => looksLikeCustomerIdName(c.name));
  // Schema inference only makes a unique, complete column the id: nothing more to check.
  if (column === undefined || column.name === idColumn) return;
  const location = (row: number) => ({ file: table.fileName, line: lines[row]!, column: column.name });
  if (column.missing > 0) {
    let row = 0;
    while (idAt(column, row) !== null) row++;
    throw new BadInputError(`The customer id (column ${column.name}) is missing on line ${lines[row]}.`, {
      hint: 'Every customer row needs an id; fill it in or remove the row, then upload again.',
      location: location(row),
    });
  }
  const duplicate = findDuplicate(column.values);
  if (duplicate !== null) {
    const [first, second] = duplicate;
    throw new BadInputError(
      // The lines are enough to find it; the id itself stays out of messages that may be logged.
      `A customer id appears twice in column ${column.name}, on lines ${lines[first]} and ${lines[second]}.`,
      {
        hint: 'Keep one row per customer (for monthly snapshots, keep the latest month), then upload again.',
        location: location(second),
      },
    );
  }
}

function idAt(column: Column, row: number): string | number | null {
  if (column.kind === 'numeric') {
    const v = column.values[row]!;
    return Number.isNaN(v) ? null : v;
  }
  const v = column.values[row]!;
  return v === '' ? null : v;
}
