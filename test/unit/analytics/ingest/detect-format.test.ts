import { describe, expect, it } from 'vitest';
import { detectDelimiter, ingestCsv } from '../../../../src/analytics/ingest/index.js';
import { BadInputError } from '../../../../src/errors.js';
import { errorOf } from './helpers.js';

describe('detectDelimiter', () => {
  it('picks the separator that splits every line the same way', () => {
    expect(detectDelimiter(['a,b,c', '1,2,3'])).toBe(',');
    expect(detectDelimiter(['a;b;c', '1,5;2,5;3'])).toBe(';');
    expect(detectDelimiter(['a\tb', '1\t2'])).toBe('\t');
    expect(detectDelimiter(['"x,y";b', '1;2'])).toBe(';');
    expect(detectDelimiter(['single'])).toBe(',');
    expect(detectDelimiter([])).toBe(',');
  });
});

describe('format detection', () => {
  it('strips a UTF-8 BOM from the first column name', async () => {
    const { table } = await ingestCsv(Buffer.from('\ufeffid,x\na,1\nb,2\n'), { fileName: 'bom.csv' });
    expect(table.columns[0]?.name).toBe('id');
  });

  it('reads files with bare carriage-return line ends', async () => {
    const { table } = await ingestCsv(Buffer.from('id,x\ra,1\rb,2\r'), { fileName: 'mac.csv' });
    expect(table.rowCount).toBe(2);
  });

  it.each([
    ['an old .xls', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1], /old Excel file/],
    ['gzip', [0x1f, 0x8b, 8, 0], /gzip/],
    ['a NUL byte', [0x61, 0x2c, 0x62, 0x0a, 0x31, 0x00, 0x32, 0x0a], /not UTF-8 text/],
    ['whitespace only', [0x20, 0x0a, 0x0d, 0x0a], /empty/],
  ])('rejects %s with a hint', async (_what, bytes, message) => {
    const error = await errorOf(() => ingestCsv(Uint8Array.from(bytes), { fileName: 'f.csv' }));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toMatch(message);
    expect((error as BadInputError).hint).toBeTruthy();
  });

  it('names the first unnamed column instead of failing', async () => {
    const { table } = await ingestCsv(Buffer.from(',id,x\n0,a,1\n1,b,2\n'), { fileName: 'pandas.csv' });
    expect(table.columns.map((c) => c.name)).toEqual(['column_1', 'id', 'x']);
  });
});
