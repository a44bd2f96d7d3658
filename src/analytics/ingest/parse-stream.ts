import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { BadInputError } from '../../errors.js';
import { binaryError, type Delimiter } from './detect-format.js';
import { emptyFileError, headerOnlyError } from './parse-fast.js';
import { TableBuilder } from './table-builder.js';

export interface StreamParseOptions {
  fileName: string;
  delimiter: Delimiter;
  /** '\r' for files whose lines end in a bare carriage return; otherwise '\n' and '\r\n'. */
  recordDelimiter: 'lf' | 'cr';
  maxRows?: number;
  forceText?: ReadonlySet<number>;
  /** Expected number of rows, to size the numeric buffers. */
  capacity?: number;
  /** The bytes were already checked to be UTF-8 without NUL: hand them to csv-parse as they are. */
  validated?: boolean;
}

/**
 * The general parser: csv-parse over a stream of UTF-8 byte chunks (no BOM), for any CSV
 * (quoted fields, embedded newlines, doubled quotes). Records are handled as csv-parse emits them,
 * so memory holds the columns, not the text.
 */
export async function parseCsvStream(
  chunks: AsyncIterable<Uint8Array>,
  options: StreamParseOptions,
): Promise<TableBuilder> {
  const { fileName } = options;
  let tb: TableBuilder | null = null;
  let headerLine = 0;
  let nextLine = 1;
  let failure: unknown = null;
  const newline = options.recordDelimiter === 'cr' ? '\r' : '\n';

  const onRecord = (record: string[]): void => {
    // Line numbers are counted here rather than taken from csv-parse's per-record info, which
    // costs an object per record: one line per record plus the newlines inside quoted values.
    const line = nextLine;
    nextLine++;
    for (let i = 0; i < record.length; i++) {
      const field = record[i]!;
      if (field.length > 0 && field.includes(newline)) nextLine += countOf(field, newline);
    }
    // Empty lines come through as a single empty field; the fast path skips them too.
    if (record.length === 1 && record[0] === '') return;
    if (failure !== null) return;
    try {
      if (tb === null) {
        headerLine = line;
        tb = new TableBuilder(record, line, {
          fileName,
          delimiter: options.delimiter,
          maxRows: options.maxRows,
          forceText: options.forceText,
          capacity: options.capacity,
        });
        return;
      }
      if (record.length !== tb.names.length) throw tb.raggedError(line, record.length);
      if (tb.rowCount >= tb.maxRows) throw tb.tooManyRowsError();
      const row = tb.beginRow(line);
      const columns = tb.columns;
      const dc = tb.decimalComma;
      for (let i = 0; i < record.length; i++) columns[i]!.pushCell(row, record[i]!, dc);
    } catch (error) {
      failure = error;
    }
  };

  const parser = parse({
    delimiter: options.delimiter,
    record_delimiter: options.recordDelimiter === 'cr' ? ['\r'] : ['\r\n', '\n'],
    quote: '"',
    escape: '"',
    bom: false,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
  });
  parser.on('data', onRecord);

  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  async function* decoded(): AsyncGenerator<string | Uint8Array> {
    for await (const chunk of chunks) {
      if (failure !== null) return;
      if (options.validated) {
        // csv-parse collects a field's bytes before decoding, so a character split between
        // chunks is still read whole.
        yield chunk;
        continue;
      }
      if (chunk.indexOf(0) >= 0) throw binaryError(fileName);
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw binaryError(fileName);
      }
      if (text.length > 0) yield text;
    }
    let tail: string;
    try {
      tail = decoder.decode();
    } catch {
      throw binaryError(fileName);
    }
    if (tail.length > 0) yield tail;
  }

  const input = Readable.from(decoded(), { objectMode: false });
  try {
    await new Promise<void>((resolve, reject) => {
      input.on('error', reject);
      parser.on('error', reject);
      parser.on('end', resolve);
      input.pipe(parser);
    });
  } catch (error) {
    if (failure === null) failure = error;
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (failure !== null) throw toUserError(failure, fileName, nextLine);
  const built = tb as TableBuilder | null;
  if (built === null) throw emptyFileError(fileName);
  if (built.rowCount === 0) throw headerOnlyError(fileName, headerLine);
  return built;
}

/** `recordStart` is the line on which the record being read when the error came started. */
function toUserError(error: unknown, fileName: string, recordStart: number): unknown {
  if (error instanceof CsvError) {
    const line =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? recordStart
        : typeof error.lines === 'number'
          ? error.lines
          : undefined;
    const location = line === undefined ? { file: fileName } : { file: fileName, line };
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      return new BadInputError('A double quote opens a value that is never closed.', {
        hint: 'Check the line named here for a stray " character; a quote inside a quoted value must be written twice ("").',
        location,
      });
    }
    return new BadInputError(
      'The file is not valid CSV around this line (a quoted value is not followed by a separator).',
      {
        hint: 'Values that contain quotes must be wrapped in double quotes, with each inner quote written twice ("").',
        location,
      },
    );
  }
  return error;
}

function countOf(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}
