import { Buffer } from 'node:buffer';
import { BadInputError } from '../../errors.js';
import type { Delimiter } from './detect-format.js';
import { EXACT_POW10, MANTISSA_LIMIT } from './parse-cell.js';
import { TableBuilder } from './table-builder.js';

export interface FastParseOptions {
  fileName: string;
  delimiter: Delimiter;
  maxRows?: number;
  forceText?: ReadonlySet<number>;
  /**
   * Called between slices of rows when given; a caller that must keep answering (the bot) passes a
   * wait for its event loop. Without it the parse runs straight through.
   */
  pause?: () => Promise<void>;
}

/**
 * Parses a CSV that contains no double quote, straight from its bytes: every line is one record and
 * every delimiter ends a field. Numeric cells are read digit by digit into the column's
 * Float64Array without creating a string; anything unusual (non-ASCII bytes, missing tokens, text,
 * numbers that need more than 2^53 or an inexact power of ten) is decoded and handed to the same
 * cell rules as the general parser, so both give the same Table.
 *
 * `buf` must be valid UTF-8 without NUL bytes and without a BOM before `start`.
 */
export async function parseQuoteFreeBuffer(
  buf: Uint8Array,
  start: number,
  options: FastParseOptions,
): Promise<TableBuilder> {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  // With a final newline every cell ends inside the buffer, so the scanner needs no bounds checks.
  const bytes = view.length === 0 || view[view.length - 1] === 10 ? view : Buffer.concat([view, NEWLINE]);
  const len = bytes.length;
  // A bare '\r' ending the original file is a record for csv-parse, not an empty line.
  const crlfEnd = bytes === view ? len : len - 1;
  const d = options.delimiter.charCodeAt(0);

  // The header is the first non-empty line.
  let pos = start;
  let line = 0;
  let headerText: string | null = null;
  while (pos < len) {
    line++;
    let end = bytes.indexOf(10, pos);
    if (end < 0) end = len;
    const isEmpty = end === pos || (end === pos + 1 && bytes[pos] === 13 && end < crlfEnd);
    if (!isEmpty) {
      headerText = bytes.toString('utf8', pos, end);
      pos = end + 1;
      break;
    }
    pos = end + 1;
  }
  if (headerText === null) throw emptyFileError(options.fileName);
  const header = headerText.split(options.delimiter);
  const headerLine = line;

  const tb = new TableBuilder(header, headerLine, {
    fileName: options.fileName,
    delimiter: options.delimiter,
    maxRows: options.maxRows,
    forceText: options.forceText,
    capacity: estimateRows(bytes, pos),
  });
  // Work in slices of rows with the caller's pause in between, so a bot parsing a big upload keeps answering.
  const cursor: Cursor = { pos, line };
  const { pause } = options;
  while (cursor.pos < len) {
    scanRows(bytes, crlfEnd, d, tb, cursor, pause ? ROWS_PER_SLICE : Number.POSITIVE_INFINITY);
    if (pause && cursor.pos < len) await pause();
  }
  if (tb.rowCount === 0) throw headerOnlyError(options.fileName, headerLine);
  return tb;
}

const ROWS_PER_SLICE = 65536;

interface Cursor {
  /** Byte offset of the next line. */
  pos: number;
  /** Number of the line before it. */
  line: number;
}

/** Parses up to `maxRowsNow` rows from the cursor on, moving the cursor past them. */
function scanRows(
  bytes: Buffer,
  crlfEnd: number,
  d: number,
  tb: TableBuilder,
  cursor: Cursor,
  maxRowsNow: number,
): void {
  const len = bytes.length;
  const tabIsSpace = d !== 9;
  const nCols = tb.names.length;
  const columns = tb.columns;
  const dc = tb.decimalComma;
  const limit = tb.maxRows;
  const stopAt = tb.rowCount + maxRowsNow;
  let pos = cursor.pos;
  let line = cursor.line;

  while (pos < len && tb.rowCount < stopAt) {
    line++;
    let c = bytes[pos]!;
    if (c === 10) {
      pos++;
      continue;
    }
    if (c === 13 && bytes[pos + 1] === 10 && pos + 1 < crlfEnd) {
      pos += 2;
      continue;
    }
    if (tb.rowCount >= limit) {
      const fields = countFields(bytes, pos, d);
      if (fields !== nCols) throw tb.raggedError(line, fields);
      throw tb.tooManyRowsError();
    }
    const row = tb.beginRow(line);
    let col = 0;
    for (;;) {
      const cellStart = pos;
      let p = pos;
      c = bytes[p]!;
      while (c === 32 || c === 13 || c === 11 || c === 12 || (c === 9 && tabIsSpace)) {
        c = bytes[++p]!;
      }
      // Try the cell as a decimal number; the grammar matches parseNumberText.
      let negative = false;
      if (c === 45 || c === 43) {
        negative = c === 45;
        c = bytes[++p]!;
      }
      let mantissa = 0;
      let exact = true;
      let digits = 0;
      let fraction = 0;
      while (c >= 48 && c <= 57) {
        digits++;
        if (mantissa < MANTISSA_LIMIT) mantissa = mantissa * 10 + (c - 48);
        else exact = false;
        c = bytes[++p]!;
      }
      if (c === 46 || (c === 44 && dc)) {
        c = bytes[++p]!;
        while (c >= 48 && c <= 57) {
          digits++;
          fraction++;
          if (mantissa < MANTISSA_LIMIT) mantissa = mantissa * 10 + (c - 48);
          else exact = false;
          c = bytes[++p]!;
        }
      }
      let valid = digits > 0;
      let exponent = 0;
      if (valid && (c === 101 || c === 69)) {
        c = bytes[++p]!;
        let expNegative = false;
        if (c === 45 || c === 43) {
          expNegative = c === 45;
          c = bytes[++p]!;
        }
        let expDigits = 0;
        while (c >= 48 && c <= 57) {
          expDigits++;
          if (exponent < 100000) exponent = exponent * 10 + (c - 48);
          c = bytes[++p]!;
        }
        if (expDigits === 0) valid = false;
        if (expNegative) exponent = -exponent;
      }
      while (c === 32 || c === 13 || c === 11 || c === 12 || (c === 9 && tabIsSpace)) {
        c = bytes[++p]!;
      }
      const column = columns[col];
      if (column === undefined) {
        // More fields than the header: report the whole line.
        throw tb.raggedError(line, countFields(bytes, lineStartOf(bytes, cellStart), d));
      }
      if (valid && (c === d || c === 10)) {
        const scale = exponent - fraction;
        if (!column.isText && exact && fraction <= 22 && scale >= -22 && scale <= 22) {
          let value = scale < 0 ? mantissa / EXACT_POW10[-scale]! : mantissa * EXACT_POW10[scale]!;
          if (negative) value = -value;
          column.pushNumber(row, value === 0 ? 0 : value);
        } else {
          column.pushCell(row, bytes.toString('latin1', cellStart, p), dc);
        }
      } else {
        let ascii = c < 128;
        while (c !== d && c !== 10) {
          c = bytes[++p]!;
          if (c >= 128) ascii = false;
        }
        // The bytes before `c` were read by the number grammar, so they are ASCII.
        column.pushCell(row, bytes.toString(ascii ? 'latin1' : 'utf8', cellStart, p), dc);
      }
      col++;
      pos = p + 1;
      if (c === 10) break;
    }
    if (col !== nCols) throw tb.raggedError(line, col);
  }
  cursor.pos = pos;
  cursor.line = line;
}

const NEWLINE = Buffer.from([10]);

function lineStartOf(bytes: Buffer, pos: number): number {
  let p = pos;
  while (p > 0 && bytes[p - 1] !== 10) p--;
  return p;
}

function countFields(bytes: Buffer, lineStart: number, d: number): number {
  let end = bytes.indexOf(10, lineStart);
  if (end < 0) end = bytes.length;
  let fields = 1;
  for (let p = lineStart; p < end; p++) if (bytes[p] === d) fields++;
  return fields;
}

/** Rows expected from the average length of the first lines, so buffers rarely need to grow. */
export function estimateRows(bytes: Buffer, from: number): number {
  let p = from;
  let lines = 0;
  while (lines < 200 && p < bytes.length) {
    const end = bytes.indexOf(10, p);
    lines++;
    if (end < 0) {
      p = bytes.length;
      break;
    }
    p = end + 1;
  }
  if (lines === 0) return 16;
  const average = Math.max(1, (p - from) / lines);
  return Math.ceil(((bytes.length - from) / average) * 1.05) + 16;
}

/** Error for a file with no header line (empty, or only blank lines). */
export function emptyFileError(fileName: string): BadInputError {
  return new BadInputError('The file is empty.', {
    hint: 'Upload a CSV whose first line names the columns and with one line per customer after it.',
    location: { file: fileName },
  });
}

/** Error for a file with a header and no data rows. */
export function headerOnlyError(fileName: string, headerLine: number): BadInputError {
  return new BadInputError('The file has a header line but no customer rows.', {
    hint: 'Add one line per customer below the header, then upload again.',
    location: { file: fileName, line: headerLine },
  });
}
