import { BadInputError, TooLargeError } from '../../errors.js';
import type { Column } from '../types.js';
import { ColumnBuilder } from './column-builder.js';
import type { Delimiter } from './detect-format.js';
import { parseNumberText } from './parse-cell.js';

/** Quotes a user's value in a message, cut to a readable length. */
export function quoteValue(text: string, max = 40): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

export interface TableBuilderOptions {
  fileName: string;
  delimiter: Delimiter;
  maxRows?: number;
  /** Column indexes to keep as text from the first row (the second pass for mixed columns). */
  forceText?: ReadonlySet<number>;
  /** Expected number of rows, to size the numeric buffers. */
  capacity?: number;
}

/**
 * The state both parsers share: the header, one ColumnBuilder per column, and the line number of
 * every row (for error messages). Header checks, ragged rows and the row limit live here so both
 * parsers report them identically.
 */
export class TableBuilder {
  readonly fileName: string;
  readonly delimiter: Delimiter;
  readonly decimalComma: boolean;
  readonly names: string[];
  readonly columns: ColumnBuilder[];
  readonly maxRows: number;
  rowCount = 0;
  /** 1-based file line on which each row starts. */
  lines: Int32Array;
  private capacity: number;

  constructor(header: string[], headerLine: number, options: TableBuilderOptions) {
    this.fileName = options.fileName;
    this.delimiter = options.delimiter;
    // Spreadsheets that write ';' between fields are the ones that write decimal commas.
    this.decimalComma = options.delimiter === ';';
    this.maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
    this.names = checkHeader(header, headerLine, options.fileName);
    this.capacity = Math.max(16, Math.min(options.capacity ?? 1024, this.maxRows + 1));
    this.lines = new Int32Array(this.capacity);
    this.columns = this.names.map(
      (name, i) => new ColumnBuilder(name, this.capacity, options.forceText?.has(i) ?? false),
    );
  }

  /**
   * Starts a row that begins on `line`; returns its index. Callers check the field count first
   * (`raggedError`), so a ragged line past the row limit is still reported as ragged.
   */
  beginRow(line: number): number {
    const row = this.rowCount;
    if (row >= this.maxRows) throw this.tooManyRowsError();
    if (row >= this.capacity) this.grow(row + 1);
    this.lines[row] = line;
    this.rowCount = row + 1;
    return row;
  }

  private grow(minimum: number): void {
    const next = Math.min(Math.max(minimum, this.capacity * 2), this.maxRows + 1);
    const lines = new Int32Array(next);
    lines.set(this.lines);
    this.lines = lines;
    for (const column of this.columns) column.grow(next);
    this.capacity = next;
  }

  raggedError(line: number, fieldCount: number): BadInputError {
    const expected = this.names.length;
    const what = fieldCount > expected ? 'too many' : 'too few';
    return new BadInputError(
      `Line ${line} has ${fieldCount} value${fieldCount === 1 ? '' : 's'} but the header has ${expected} columns (${what} values on that line).`,
      {
        hint: `Every line needs exactly ${expected} values separated by "${this.delimiter === '\t' ? 'tab' : this.delimiter}". Check that line for a missing or extra separator; a value that itself contains "${this.delimiter === '\t' ? 'tab' : this.delimiter}" must be in double quotes.`,
        location: { file: this.fileName, line },
      },
    );
  }

  tooManyRowsError(): TooLargeError {
    return new TooLargeError(
      `${this.fileName} has more than ${this.maxRows.toLocaleString('en-US')} customer rows, the most segbot accepts here.`,
      'Split the file or keep the customers you need, then upload again.',
    );
  }
}

function checkHeader(header: string[], line: number, fileName: string): string[] {
  const names = header.map((raw, i) => {
    const name = raw.trim();
    // Spreadsheet and dataframe exports often leave the first (index) column unnamed.
    return name === '' ? `column_${i + 1}` : name;
  });
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new BadInputError(
        `The header names column ${quoteValue(name)} twice (columns ${first + 1} and ${i + 1}).`,
        {
          hint: 'Give every column a distinct name in the first line, then upload again.',
          location: { file: fileName, line, column: name },
        },
      );
    }
    seen.set(name, i);
  });
  return names;
}

/** A column whose cells are mostly numbers is numeric; its other cells are errors, not text. */
const NUMERIC_MAJORITY = 0.8;

/**
 * Turns the builders into Table columns. A column with a few non-numeric cells among numbers is a
 * BadInputError at its first such cell. Returns the indexes of text columns whose early numeric
 * cells were kept only as numbers (they need a second pass that keeps their text).
 */
export function finishColumns(tb: TableBuilder): {
  columns: Column[];
  reread: Set<number>;
  descriptionRow: boolean;
} {
  if (hasDescriptionRow(tb)) {
    return {
      columns: tb.columns.map((b) => withoutFirstRow(b, tb)),
      reread: new Set(),
      descriptionRow: true,
    };
  }
  const reread = new Set<number>();
  const columns: Column[] = tb.columns.map((b, index) => {
    const n = tb.rowCount;
    if (!b.isText) {
      // A little slack from the row estimate is cheaper to keep than to copy 1M-row columns.
      const values = b.nums.length - n <= n / 8 ? b.nums.subarray(0, n) : b.nums.slice(0, n);
      return { name: b.name, kind: 'numeric', values, missing: b.missing };
    }
    if (
      !b.forcedText &&
      b.numericCount > 0 &&
      b.numericCount >= NUMERIC_MAJORITY * (b.numericCount + b.badCount) &&
      !isCodeColumn(b, n, tb.decimalComma)
    ) {
      throw badValueError(tb, b.name, b.firstBadRow, b.firstBadText, b.numericCount, b.badCount);
    }
    if (b.lossy) reread.add(index);
    return { name: b.name, kind: 'text', values: b.texts!, missing: b.missing };
  });
  return { columns, reread, descriptionRow: false };
}

/** Whether a column is numbers everywhere except a worded cell (not a malformed number) in the first row. */
function textOnlyInFirstRow(b: ColumnBuilder): boolean {
  return (
    b.isText &&
    !b.forcedText &&
    b.firstBadRow === 0 &&
    b.badCount === 1 &&
    b.numericCount > 0 &&
    /[a-z]{2}/i.test(b.firstBadText)
  );
}

/**
 * Whether the first row under the header describes the columns (descriptions or units, as some
 * exports add) rather than a customer: at least two columns are numbers everywhere but there, and no
 * column that is otherwise numbers has a number there. Mostly-text columns say nothing either way.
 */
function hasDescriptionRow(tb: TableBuilder): boolean {
  if (tb.rowCount < 3) return false;
  let described = 0;
  for (const b of tb.columns) {
    if (textOnlyInFirstRow(b)) described++;
    else if (!b.isText && !Number.isNaN(b.nums[0]!)) return false;
    else if (b.isText && b.lossy) return false;
  }
  // One odd cell is a typo to report; a description line words several columns.
  return described >= 2;
}

/** The column without its first row; a column that was numbers below that row becomes numeric. */
function withoutFirstRow(b: ColumnBuilder, tb: TableBuilder): Column {
  const n = tb.rowCount;
  if (!b.isText) return { name: b.name, kind: 'numeric', values: b.nums.slice(1, n), missing: b.missing - 1 };
  const texts = b.texts!.slice(1, n);
  if (!textOnlyInFirstRow(b)) {
    return { name: b.name, kind: 'text', values: texts, missing: b.missing - (b.texts![0] === '' ? 1 : 0) };
  }
  const values = new Float64Array(texts.length);
  texts.forEach((text, i) => {
    values[i] = text === '' ? Number.NaN : (parseNumberText(text, tb.decimalComma) ?? Number.NaN);
  });
  return { name: b.name, kind: 'numeric', values, missing: b.missing };
}

/**
 * A column of a few numeric codes plus a few short letter codes, each repeated (Santander's
 * indrel_1mes: 1, 1.0, 2, 3, 4 and P), is categorical rather than numbers with typos.
 */
function isCodeColumn(b: ColumnBuilder, n: number, decimalComma: boolean): boolean {
  const numbers = new Set<number>();
  const codes = new Map<string, number>();
  for (let row = 0; row < b.switchRow; row++) {
    const v = b.nums[row]!;
    if (!Number.isNaN(v)) numbers.add(v);
  }
  const texts = b.texts!;
  for (let row = b.switchRow; row < n; row++) {
    const text = texts[row]!;
    if (text === '') continue;
    const v = parseNumberText(text, decimalComma);
    if (v !== undefined) numbers.add(v);
    else codes.set(text, (codes.get(text) ?? 0) + 1);
    if (numbers.size > 10 || codes.size > 3) return false;
  }
  return [...codes].every(([code, count]) => code.length <= 3 && count >= 2);
}

function badValueError(
  tb: TableBuilder,
  column: string,
  row: number,
  text: string,
  numeric: number,
  bad: number,
): BadInputError {
  const line = tb.lines[row]!;
  const others = bad > 1 ? ` (${bad - 1} more non-numeric value${bad > 2 ? 's' : ''} further down)` : '';
  let why = 'is not a number';
  let hint = 'Correct the value, or leave the cell empty (or NA) if it is unknown, then upload again.';
  if (/^[+-]?(inf|infinity)$/i.test(text) || /^[+-]?[\d.]+e[+-]?\d+$/i.test(text)) {
    why = 'is not a finite number';
    hint = 'Replace it with a real value, or leave the cell empty (or NA) if it is unknown.';
  } else if (/^[+-]?\d{1,3}([,.\s']\d{3})+([.,]\d+)?$/.test(text)) {
    why = 'has a thousands separator';
    hint = tb.decimalComma
      ? 'Remove the thousands separators (write 1234,5 rather than 1.234,5) and upload again.'
      : 'Remove the thousands separators (write 1234.5 rather than 1,234.5); in Excel, set the column format to Number without the 1000 separator before saving as CSV.';
  } else if (!tb.decimalComma && /^[+-]?\d+,\d+$/.test(text)) {
    why = 'uses a decimal comma';
    hint =
      'Write numbers with a decimal point (1234.5), or save the file with ";" between values so commas are read as decimal commas.';
  }
  return new BadInputError(
    `Column ${column} holds numbers (${numeric.toLocaleString('en-US')} of them), but the value ${quoteValue(text)} on line ${line} ${why}${others}.`,
    {
      hint,
      location: { file: tb.fileName, line, column },
      storedMessage: `Column ${column} holds numbers, but the value on line ${line} ${why}${others}.`,
    },
  );
}
