import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestCsv } from '../../../../src/analytics/ingest/index.js';
import { isSegbotError } from '../../../../src/errors.js';
import { chunked, parseAllWays } from './helpers.js';

const numberCell = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => v.toFixed(6)),
  fc.constantFrom(
    '-0',
    '0.0',
    '1e308',
    '1e309',
    '-1e-320',
    '00012',
    '.5',
    '5.',
    '+3',
    '12345678901234567890',
    '0.12345678901234567890123',
  ),
  fc.constantFrom('1,5', '1,234', '1.234,5', 'Infinity', '-inf', '0x1F'),
);
const missingCell = fc.constantFrom('', 'NA', 'N/A', 'NaN', 'null', 'NULL', 'None', '?', '         NA', ' ');
const textCell = fc.oneof(
  fc.constantFrom(
    'C10001',
    'H',
    'V',
    '02 - PARTICULARES',
    'CORUÑA',
    'ñandú',
    'Y',
    'N',
    'true',
    '2015-01-28',
    'a\rb',
  ),
  fc.string({ maxLength: 8 }).map((s) => s.replace(/[",;\t\r\n]/g, '')),
);
const padded = (cell: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.constantFrom('', ' ', '  ', '\u00a0'), cell, fc.constantFrom('', ' ', '\t'))
    .map(([a, c, b]) => a + c + b);

/** A random CSV: a header, rows mixing numbers, missing tokens and text, various separators. */
const csvText = fc
  .record({
    columns: fc.integer({ min: 1, max: 5 }),
    rows: fc.integer({ min: 0, max: 25 }),
    delimiter: fc.constantFrom(',', ';', '\t'),
    newline: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    trailingNewline: fc.boolean(),
    blankLines: fc.boolean(),
    quotes: fc.boolean().chain((q) => (q ? fc.boolean() : fc.constant(false))),
    injectBad: fc.integer({ min: 0, max: 3 }),
    seedCells: fc.array(
      fc.oneof({ weight: 6, arbitrary: padded(numberCell) }, missingCell, padded(textCell)),
      {
        minLength: 150,
        maxLength: 150,
      },
    ),
    raggedAt: fc.oneof(
      { weight: 5, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 30 }) },
    ),
    columnKinds: fc.array(fc.constantFrom('numeric', 'mixed', 'text'), { minLength: 5, maxLength: 5 }),
  })
  .map((s) => {
    const header = Array.from({ length: s.columns }, (_, j) => (j === 0 ? 'id' : `col ${j}`));
    const lines = [header.join(s.delimiter)];
    let k = 0;
    for (let r = 0; r < s.rows; r++) {
      const cells: string[] = [];
      const width = s.raggedAt === r ? s.columns + 1 : s.columns;
      for (let j = 0; j < width; j++) {
        let cell = s.seedCells[k++ % s.seedCells.length]!;
        const kind = s.columnKinds[j % 5];
        if (kind === 'numeric' && !/^[\s\d.+-]*$/.test(cell) && !(s.injectBad === 0 && r % 7 === 3)) {
          cell = String(r * 1.5 + j);
        }
        if (kind === 'text' && r % 2 === 0) cell = `t${r}`;
        if (cell.includes(s.delimiter) || (s.quotes && r % 3 === 0)) {
          cell = `"${cell.replace(/"/g, '""')}${s.quotes && r % 5 === 0 ? '\n"" more' : ''}"`;
        }
        cells.push(cell);
      }
      lines.push(cells.join(s.delimiter));
      if (s.blankLines && r % 4 === 1) lines.push('');
    }
    const text = lines.join(s.newline) + (s.trailingNewline ? s.newline : '');
    return (s.bom ? '\ufeff' : '') + text;
  });

describe('fast path and csv-parse give identical tables', () => {
  it('on random CSV shapes (values, missing tokens, padding, separators, blank lines, ragged rows)', async () => {
    let fastRuns = 0;
    await fc.assert(
      fc.asyncProperty(csvText, fc.integer({ min: 1, max: 64 }), async (text, chunkSize) => {
        const bytes = Buffer.from(text, 'utf8');
        const { auto, general, stream } = await parseAllWays(bytes, chunkSize);
        if (auto.ok && auto.parser === 'fast') fastRuns++;
        expect(general).toEqual({ ...auto, ...(auto.ok ? { parser: 'general' } : {}) });
        expect(stream).toEqual(general);
      }),
      { numRuns: 200, seed: 424242 },
    );
    // The comparison is only meaningful if the fast path actually ran on many of the inputs.
    expect(fastRuns).toBeGreaterThan(30);
  });

  it('on random bytes: every input either parses or gives a coded error, the same way on each path', async () => {
    const alphabet = fc.constantFrom(...'0123456789.,;\t\n\r"-e NAé\u00a0x'.split(''));
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.string({ unit: alphabet, maxLength: 200 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (input) => {
        const { auto, general, stream } = await parseAllWays(input, 5);
        for (const result of [auto, general, stream]) {
          if (!result.ok) expect(['BadInputError', 'TooLargeError']).toContain(result.error);
        }
        expect(stream.ok).toBe(general.ok);
        expect(auto.ok).toBe(general.ok);
        if (auto.ok && general.ok) expect(general.table).toEqual(auto.table);
        try {
          await ingestCsv(chunked(input, 11), { fileName: 'random.bin' });
        } catch (error) {
          expect(isSegbotError(error)).toBe(true);
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('on a huge field and a long file of numbers', async () => {
    const huge = 'x'.repeat(300_000);
    const rows = Array.from(
      { length: 3000 },
      (_, i) => `c${i},${(i * 0.37).toFixed(5)},${i % 2 === 0 ? huge.slice(0, 50) : 'y'}`,
    );
    const text = `id,amount,note\n${rows.join('\n')}\nbig,1,${huge}\n`;
    const { auto, general, stream } = await parseAllWays(Buffer.from(text), 4096);
    expect(auto.ok && auto.parser).toBe('fast');
    expect(general).toEqual({ ...auto, parser: 'general' });
    expect(stream).toEqual(general);
  });
});

describe('multi-byte characters across chunk boundaries', () => {
  it('reads a character split between the 1 MB slices fed to csv-parse', async () => {
    const rows = Array.from({ length: 15_000 }, (_, i) => `${i},${'ñ'.repeat(30 + (i % 7))},${i * 0.5}`).join(
      '\n',
    );
    let prefix = 'id';
    let bytes = Buffer.from(`${prefix},name,x\n${rows}\n`);
    // Make byte 2^20 (the start of the second slice) a UTF-8 continuation byte.
    while ((bytes[1 << 20]! & 0xc0) !== 0x80) {
      prefix += 'x';
      bytes = Buffer.from(`${prefix},name,x\n${rows}\n`);
    }
    const { auto, general, stream } = await parseAllWays(bytes, 65_537);
    expect(auto.ok && auto.parser).toBe('fast');
    expect(general).toEqual({ ...auto, parser: 'general' });
    expect(stream).toEqual(general);
  });
});
