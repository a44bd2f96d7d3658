/**
 * Property tests of the CSV ingest: whatever bytes arrive, `ingestCsv` either returns a table whose
 * values match an independent reading of the generated file, or throws a BadInputError with a
 * message. Never another error, never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestCsv } from '../../src/analytics/ingest/ingest-csv.js';
import { isMissingToken } from '../../src/analytics/ingest/parse-cell.js';
import type { Column, IngestResult } from '../../src/analytics/types.js';
import { BadInputError, userMessage } from '../../src/errors.js';

const SEED = 20261122;
const encoder = new TextEncoder();

/** Runs the ingest and classifies the outcome; any error other than BadInputError fails the test. */
async function ingestOrBadInput(
  bytes: Uint8Array,
  chunked = false,
): Promise<{ ok: true; result: IngestResult } | { ok: false; error: BadInputError }> {
  const source = chunked ? chunksOf(bytes, 7) : bytes;
  try {
    return { ok: true, result: await ingestCsv(source, { fileName: 'prop.csv' }) };
  } catch (error) {
    if (!(error instanceof BadInputError)) {
      throw new Error(
        `ingestCsv threw ${String((error as Error)?.name)}: ${String((error as Error)?.message)}`,
      );
    }
    expect(error.message.length).toBeGreaterThan(10);
    expect(userMessage(error)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    return { ok: false, error };
  }
}

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** RFC 4180 quoting: fields with the delimiter, a quote, CR or LF (or edge spaces) are quoted. */
function quote(field: string, delimiter: string): string {
  return /["\r\n]/.test(field) || field.includes(delimiter) || field !== field.trim()
    ? `"${field.replace(/"/g, '""')}"`
    : field;
}

// ---- the reference: what a cell means, written independently of the parser ----------------------

/** Decimal grammar the ingest documents: sign, digits with optional point, optional exponent, finite. */
function referenceNumber(text: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value + 0 : undefined;
}

interface ReferenceColumn {
  name: string;
  kind: 'numeric' | 'text';
  /** numbers (NaN = missing) or trimmed texts ('' = missing) */
  values: (number | string)[];
}

function referenceColumn(name: string, cells: string[]): ReferenceColumn {
  const trimmed = cells.map((c) => c.trim());
  const present = trimmed.filter((t) => !isMissingToken(t));
  const numeric = present.length > 0 && present.every((t) => referenceNumber(t) !== undefined);
  return numeric
    ? {
        name,
        kind: 'numeric',
        values: trimmed.map((t) => (isMissingToken(t) ? Number.NaN : referenceNumber(t)!)),
      }
    : { name, kind: 'text', values: trimmed.map((t) => (isMissingToken(t) ? '' : t)) };
}

function actualValues(column: Column): (number | string)[] {
  return column.kind === 'numeric' ? Array.from(column.values) : [...column.values];
}

// ---- generators ---------------------------------------------------------------------------------

// Up to ±10^15, the largest magnitude ingest accepts in a numeric column (beyond it is an error:
// see numeric-bounds.property.test.ts).
const numericEdges = fc.constantFrom(
  '0',
  '-0',
  '1e15',
  '-1e15',
  '999999999999999.9',
  '5e-324',
  '2.2250738585072014e-308',
  '0.1',
  '-0.0',
  '+3',
  '.5',
  '7.',
  '1E5',
  '123456789012345.678901234567890',
  '0.30000000000000004',
);
const goodNumber = fc.oneof(
  { weight: 3, arbitrary: fc.double({ min: -1e15, max: 1e15, noNaN: true }).map((v) => String(v)) },
  { weight: 2, arbitrary: fc.integer({ min: -99998, max: 1_000_000_000 }).map(String) },
  { weight: 2, arbitrary: numericEdges },
);
const missingCell = fc.constantFrom('', 'NA', 'N/A', 'NaN', 'null', '?', '  ');
/** Cells that look like numbers to a person but are not plain decimals: the column stays text. */
const trickyCell = fc.constantFrom(
  '1,234',
  '1,234.56',
  'Infinity',
  '-Infinity',
  'inf',
  '1e309',
  '0x1F',
  '1_000',
  '12%',
  '$5',
  '1.2.3',
  '−5',
);
/** Any unicode text, with quotes, delimiters and line breaks well represented. */
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom('"', ',', ';', '\t', '\n', '\r\n', ' ', 'a', 'é', '客', '🎉', '\u00a0'),
    maxLength: 10,
  }),
);

interface Shape {
  delimiter: ',' | '\t' | ';';
  rows: number;
  numericNames: string[];
  numericCells: string[][];
  textName: string;
  textCells: string[];
  trickyCells: string[] | null;
  crlf: boolean;
  bom: boolean;
}

const columnName = (i: number) =>
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
    // The index keeps names distinct; a letter first keeps them from reading as an id or a number.
    .map((s) => `f${i} ${s}`.trim());

const shape: fc.Arbitrary<Shape> = fc
  .record({
    delimiter: fc.constantFrom(',' as const, '\t' as const, ';' as const),
    rows: fc.integer({ min: 3, max: 25 }),
    numericCount: fc.integer({ min: 1, max: 4 }),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    withTricky: fc.boolean(),
  })
  .chain((base) =>
    fc.record({
      delimiter: fc.constant(base.delimiter),
      rows: fc.constant(base.rows),
      crlf: fc.constant(base.crlf),
      bom: fc.constant(base.bom),
      numericNames: fc.tuple(...Array.from({ length: base.numericCount }, (_, i) => columnName(i))),
      numericCells: fc.array(
        fc.array(fc.oneof({ weight: 5, arbitrary: goodNumber }, { weight: 1, arbitrary: missingCell }), {
          minLength: base.rows,
          maxLength: base.rows,
        }),
        { minLength: base.numericCount, maxLength: base.numericCount },
      ),
      textName: fc.constant('NOTE ✎'),
      textCells: fc.array(
        anyText.map((t) => `x${t}`),
        { minLength: base.rows, maxLength: base.rows },
      ),
      trickyCells: base.withTricky
        ? fc.array(trickyCell, { minLength: base.rows, maxLength: base.rows })
        : fc.constant(null),
    }),
  );

/** Renders a shape as CSV text, with a guaranteed varied numeric column so the file is usable. */
function renderShape(s: Shape): { text: string; expected: ReferenceColumn[] } {
  const ids = Array.from({ length: s.rows }, (_, i) => `C${String(i).padStart(4, '0')}`);
  const spend = Array.from({ length: s.rows }, (_, i) => String(i * 1.5 + 1));
  const columns: { name: string; cells: string[] }[] = [
    { name: 'CUST_ID', cells: ids },
    { name: 'SPEND', cells: spend },
    ...s.numericNames.map((name, j) => ({ name, cells: s.numericCells[j]! })),
    { name: s.textName, cells: s.textCells },
    ...(s.trickyCells ? [{ name: 'AMOUNT_TEXT', cells: s.trickyCells }] : []),
  ];
  const eol = s.crlf ? '\r\n' : '\n';
  const line = (fields: string[]) => fields.map((f) => quote(f, s.delimiter)).join(s.delimiter);
  const body = [line(columns.map((c) => c.name))];
  for (let r = 0; r < s.rows; r++) body.push(line(columns.map((c) => c.cells[r]!)));
  const text = (s.bom ? '\uFEFF' : '') + body.join(eol) + eol;
  return { text, expected: columns.map((c) => referenceColumn(c.name.trim(), c.cells)) };
}

function sameValue(a: number | string, b: number | string): boolean {
  if (typeof a === 'number' && typeof b === 'number')
    return Object.is(a, b) || a === b || (Number.isNaN(a) && Number.isNaN(b));
  return a === b;
}

describe('ingestCsv under generated input', () => {
  it('turns random bytes into a table or a BadInputError, nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 1500 }), fc.boolean(), async (bytes, chunked) => {
        await ingestOrBadInput(bytes, chunked);
      }),
      { numRuns: 250, seed: SEED },
    );
  });

  it('turns random CSV-ish text (quotes, delimiters, line breaks, unicode) into a table or a BadInputError', async () => {
    const csvish = fc.string({
      unit: fc.constantFrom(
        '"',
        ',',
        ';',
        '\t',
        '\n',
        '\r',
        ' ',
        '1',
        '0',
        '.',
        '-',
        'e',
        'A',
        'é',
        '客',
        '\u0000',
      ),
      maxLength: 300,
    });
    await fc.assert(
      fc.asyncProperty(csvish, fc.boolean(), async (text, chunked) => {
        await ingestOrBadInput(encoder.encode(`CUST_ID,BALANCE\n${text}`), chunked);
      }),
      { numRuns: 250, seed: SEED },
    );
  });

  it('reads well-formed files of random shape exactly as the reference does', async () => {
    await fc.assert(
      fc.asyncProperty(shape, fc.boolean(), async (s, chunked) => {
        const { text, expected } = renderShape(s);
        const outcome = await ingestOrBadInput(encoder.encode(text), chunked);
        if (!outcome.ok) throw new Error(`a well-formed file was refused: ${outcome.error.message}`);
        const { table } = outcome.result;
        expect(table.rowCount).toBe(s.rows);
        expect(table.columns.map((c) => c.name)).toEqual(expected.map((c) => c.name));
        for (const [j, reference] of expected.entries()) {
          const column = table.columns[j]!;
          expect(column.kind, `kind of ${reference.name}`).toBe(reference.kind);
          const actual = actualValues(column);
          for (let r = 0; r < s.rows; r++) {
            if (!sameValue(actual[r]!, reference.values[r]!)) {
              throw new Error(
                `${reference.name} row ${r + 1}: got ${JSON.stringify(String(actual[r]))}, expected ${JSON.stringify(String(reference.values[r]))}`,
              );
            }
          }
        }
      }),
      { numRuns: 150, seed: SEED },
    );
  });

  it('breaking one row of a well-formed file gives a BadInputError that points at a line', async () => {
    await fc.assert(
      fc.asyncProperty(
        shape,
        fc.nat(),
        fc.constantFrom('drop-field', 'extra-field', 'open-quote'),
        async (s, at, how) => {
          const { text } = renderShape({ ...s, textCells: s.textCells.map(() => 'plain'), delimiter: ',' });
          const lines = text.trimEnd().split(/\r?\n/);
          const row = 1 + (at % (lines.length - 1));
          const target = lines[row]!;
          lines[row] =
            how === 'drop-field'
              ? target.slice(0, target.lastIndexOf(','))
              : how === 'extra-field'
                ? `${target},surplus`
                : `${target.slice(0, target.indexOf(',') + 1)}"${target.slice(target.indexOf(',') + 1)}`;
          const outcome = await ingestOrBadInput(encoder.encode(`${lines.join('\n')}\n`));
          expect(outcome.ok).toBe(false);
          if (!outcome.ok && how !== 'open-quote') expect(outcome.error.location.line).toBe(row + 1);
        },
      ),
      { numRuns: 60, seed: SEED },
    );
  });

  it('keeps a huge field whole, with embedded newlines and quotes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 70_000, max: 300_000 }),
        fc.constantFrom('a', '"', '\n', 'é', ','),
        async (length, filler) => {
          const big = `x${filler.repeat(length)}y`;
          const rows = ['C1', 'C2', 'C3', 'C4'].map(
            (id, i) => `${id},${i + 1},${quote(i === 1 ? big : 'z', ',')}`,
          );
          const text = `CUST_ID,BALANCE,NOTE\n${rows.join('\n')}\n`;
          const outcome = await ingestOrBadInput(encoder.encode(text), length % 2 === 0);
          if (!outcome.ok) throw new Error(`refused: ${outcome.error.message}`);
          const note = outcome.result.table.columns[2]!;
          expect(note.kind).toBe('text');
          expect((note.values as string[])[1]).toBe(big.trim());
        },
      ),
      { numRuns: 8, seed: SEED },
    );
  });

  it('header names: any unicode, blank or repeated, gives a table or a BadInputError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyText, { minLength: 1, maxLength: 5 }), async (names) => {
        const header = ['CUST_ID', ...names].map((n) => quote(n, ',')).join(',');
        const rows = [1, 2, 3, 4].map((i) =>
          [`C${i}`, ...names.map((_, j) => String(i * (j + 2)))].join(','),
        );
        const outcome = await ingestOrBadInput(encoder.encode(`${header}\n${rows.join('\n')}\n`));
        if (outcome.ok) {
          const got = outcome.result.table.columns.map((c) => c.name);
          expect(new Set(got).size).toBe(got.length);
          expect(got.every((n) => n.trim() !== '')).toBe(true);
        }
      }),
      { numRuns: 150, seed: SEED },
    );
  });
});
