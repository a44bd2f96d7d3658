import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { columnByName, ingestCsv, numericValues, parseCsv } from '../../../../src/analytics/ingest/index.js';
import { BadInputError, TooLargeError, userMessage } from '../../../../src/errors.js';
import { chunked, csvFromText, errorOf, fixture, tableSnapshot } from './helpers.js';

describe('ingestCsv on a CC GENERAL style file', () => {
  it('reads every column, finds the id and reports the planted quirks', async () => {
    const bytes = fixture('cc-general-sample.csv');
    const { table, schema, quality } = await ingestCsv(bytes, { fileName: 'cc.csv' });
    expect(table.rowCount).toBe(24);
    expect(table.columns).toHaveLength(18);
    expect(table.delimiter).toBe(',');
    expect(table.fingerprint).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(schema.idColumn).toBe('CUST_ID');
    expect(quality.byRole.numeric).toHaveLength(17);
    expect(columnByName(table, 'MINIMUM_PAYMENTS').missing).toBe(2);
    expect(columnByName(table, 'CREDIT_LIMIT').missing).toBe(1);
    expect(quality.notes).toContain('3 customers have BALANCE above CREDIT_LIMIT.');
    expect(quality.notes).toContain(
      '1 value of CASH_ADVANCE_FREQUENCY above 1 (a frequency or ratio should be between 0 and 1).',
    );
    expect(quality.notes.join(' ')).not.toMatch(/C1000\d/);
    expect(numericValues(table, 'BALANCE')[0]).toBe(9350.016681);
  });

  it('reads the same numbers from a ";" file with decimal commas, a BOM and CRLF line ends', async () => {
    const comma = await ingestCsv(fixture('cc-general-sample.csv'), { fileName: 'a.csv' });
    const semi = await ingestCsv(fixture('cc-general-semicolon.csv'), { fileName: 'b.csv' });
    expect(semi.table.delimiter).toBe(';');
    expect(semi.table.rowCount).toBe(10);
    expect(semi.table.columns.map((c) => c.name)).toEqual(comma.table.columns.map((c) => c.name));
    for (const name of ['BALANCE', 'PURCHASES_FREQUENCY', 'MINIMUM_PAYMENTS']) {
      expect(Array.from(numericValues(semi.table, name))).toEqual(
        Array.from(numericValues(comma.table, name)).slice(0, 10),
      );
    }
  });

  it('reads tab-separated files', async () => {
    const tab = await ingestCsv(fixture('cc-general-tab.tsv'), { fileName: 'c.tsv' });
    expect(tab.table.delimiter).toBe('\t');
    expect(tab.schema.idColumn).toBe('CUST_ID');
    expect(tab.table.columns.filter((c) => c.kind === 'numeric')).toHaveLength(17);
  });

  it('gives the same table from a stream of small chunks as from one buffer', async () => {
    const bytes = fixture('cc-general-semicolon.csv');
    const whole = await ingestCsv(bytes, { fileName: 'x.csv' });
    const streamed = await ingestCsv(chunked(bytes, 5), { fileName: 'x.csv' });
    expect(tableSnapshot(streamed.table)).toEqual(tableSnapshot(whole.table));
    expect(streamed.schema).toEqual(whole.schema);
  });

  it('takes the fast path for quote-free buffers and csv-parse otherwise', async () => {
    expect((await parseCsv(fixture('cc-general-sample.csv'), { fileName: 'a.csv' })).parser).toBe('fast');
    expect((await parseCsv(fixture('santander-sample.csv'), { fileName: 's.csv' })).parser).toBe('general');
    expect(
      (await parseCsv(chunked(fixture('cc-general-sample.csv'), 100), { fileName: 'a.csv' })).parser,
    ).toBe('general');
  });
});

describe('ingestCsv on the Santander-style sample', () => {
  it('ingests without configuration, quirks included', async () => {
    const { table, schema, quality } = await ingestCsv(fixture('santander-sample.csv'), {
      fileName: 'santander.csv',
    });
    expect(table.rowCount).toBe(30);
    expect(schema.idColumn).toBe('ncodpers');
    const role = (name: string) => schema.columns.find((c) => c.name === name)?.role;
    expect(role('age')).toBe('numeric');
    expect(numericValues(table, 'age').every((v) => v >= 18 && v <= 70)).toBe(true);
    expect(role('antiguedad')).toBe('numeric');
    expect(role('renta')).toBe('numeric');
    expect(columnByName(table, 'renta').missing).toBe(4);
    expect(role('segmento')).toBe('categorical');
    expect(schema.columns.find((c) => c.name === 'segmento')?.categories).toContain('02 - PARTICULARES');
    // Two-valued columns (H/V, S/N) are yes/no attributes: profiled, not clustered on.
    expect(role('sexo')).toBe('product');
    expect(role('indresi')).toBe('product');
    expect(role('canal_entrada')).toBe('categorical');
    expect(role('nomprov')).toBe('categorical');
    expect(schema.columns.find((c) => c.name === 'nomprov')?.categories).toContain('CORUÑA, A');
    expect(role('ind_actividad_cliente')).toBe('product');
    expect(role('ind_nuevo')).toBe('product');
    expect(role('indrel')).toBe('numeric');
    expect(role('fecha_alta')).toBe('date');
    expect(role('fecha_dato')).toBe('ignored');
    expect(role('tipodom')).toBe('ignored');
    expect(role('ult_fec_cli_1t')).toBe('ignored');
    const products = schema.columns.filter((c) => c.role === 'product' && /product-holding/.test(c.reason));
    expect(products).toHaveLength(24);
    expect(products.every((p) => /^ind_.+_ult1$/.test(p.name))).toBe(true);
    expect(products.find((p) => p.name === 'ind_tjcr_fin_ult1')?.label).toBe('credit card');
    expect(quality.notes).toContain(
      '1 value of antiguedad (3.3%) was -999999, a placeholder for "unknown" or "never" that stands apart from the other values; it is counted as missing, not averaged.',
    );
    expect(columnByName(table, 'antiguedad').missing).toBe(1);
    expect(
      Math.min(...numericValues(table, 'antiguedad').filter((v) => !Number.isNaN(v))),
    ).toBeGreaterThanOrEqual(0);
    expect(quality.dropped.map((d) => d.name)).toEqual(
      expect.arrayContaining(['fecha_dato', 'pais_residencia', 'tipodom', 'ult_fec_cli_1t', 'conyuemp']),
    );
  });
});

interface BadCase {
  file: string;
  message: RegExp;
  line?: number;
  column?: string;
}

const BAD: BadCase[] = [
  { file: 'empty.csv', message: /empty/ },
  { file: 'header-only.csv', message: /no customer rows/, line: 1 },
  { file: 'ragged-row.csv', message: /Line 4 has 6 values but the header has 5 columns/, line: 4 },
  {
    file: 'duplicate-header.csv',
    message: /"BALANCE" twice \(columns 2 and 4\)/,
    line: 1,
    column: 'BALANCE',
  },
  {
    file: 'duplicate-id.csv',
    message: /A customer id appears twice in column CUST_ID, on lines 4 and 7\./,
    line: 7,
    column: 'CUST_ID',
  },
  { file: 'missing-id.csv', message: /missing on line 4/, line: 4, column: 'CUST_ID' },
  { file: 'bad-number.csv', message: /value "4OO.25" on line 5 is not a number/, line: 5, column: 'BALANCE' },
  { file: 'bad-number-multiline.csv', message: /"abc" on line 12/, line: 12, column: 'BALANCE' },
  {
    file: 'thousands-separator.csv',
    message: /"1,600.25" on line 7 has a thousands separator/,
    line: 7,
    column: 'BALANCE',
  },
  {
    file: 'infinity.csv',
    message: /"Infinity" on line 8 is not a finite number/,
    line: 8,
    column: 'BALANCE',
  },
  { file: 'no-numeric.csv', message: /no numeric column/ },
  { file: 'utf16.csv', message: /UTF-16/ },
  { file: 'utf16-no-bom.csv', message: /UTF-16/ },
  { file: 'excel.xlsx', message: /looks like an Excel file/ },
  { file: 'image.png', message: /PNG image/ },
  { file: 'latin1.csv', message: /not UTF-8 text/ },
  { file: 'unclosed-quote.csv', message: /never closed/, line: 3 },
];

describe('bad input', () => {
  it.each(BAD)(
    '$file gives a BadInputError that says where and how to fix it',
    async ({ file, message, line, column }) => {
      for (const source of [() => fixture(`bad/${file}`), () => chunked(fixture(`bad/${file}`), 3)]) {
        const error = await errorOf(() => ingestCsv(source(), { fileName: file }));
        expect(error).toBeInstanceOf(BadInputError);
        const bad = error as BadInputError;
        expect(bad.message).toMatch(message);
        expect(bad.location.file).toBe(file);
        expect(bad.location.line).toBe(line);
        expect(bad.location.column).toBe(column);
        expect(bad.hint).toBeTruthy();
        expect(userMessage(bad)).toContain(file);
      }
    },
  );

  it('rejects more rows than maxRows with a TooLargeError', async () => {
    const error = await errorOf(() =>
      ingestCsv(fixture('cc-general-sample.csv'), { fileName: 'a.csv', maxRows: 10 }),
    );
    expect(error).toBeInstanceOf(TooLargeError);
    expect(error.message).toMatch(/more than 10 customer rows/);
    await expect(
      ingestCsv(fixture('cc-general-sample.csv'), { fileName: 'a.csv', maxRows: 24 }),
    ).resolves.toBeTruthy();
  });

  it('treats padded and spelled-out missing tokens as missing', async () => {
    const { table } = await csvFromText(
      'id,x,y\na,1,         NA\nb,N/A,2\nc,3,?\nd,NaN,null\ne,None,5\nf, 6 ,NULL\n',
    );
    expect(Array.from(numericValues(table, 'x'))).toEqual([1, Number.NaN, 3, Number.NaN, Number.NaN, 6]);
    expect(columnByName(table, 'y').missing).toBe(4);
  });

  it('keeps a mostly-text column as text, with the exact text of its number-like cells', async () => {
    const rows = ['A1', '007', 'B2', '1.50', 'C3', 'D4', '2e3', 'E5']
      .map((code, i) => `c${i},${code},${i}`)
      .join('\n');
    const { table, schema } = await csvFromText(`id,code,x\n${rows}\n`);
    const code = columnByName(table, 'code');
    expect(code.kind).toBe('text');
    expect(code.values).toEqual(['A1', '007', 'B2', '1.50', 'C3', 'D4', '2e3', 'E5']);
    expect(schema.columns.find((c) => c.name === 'code')?.role).toBe('ignored');
  });

  it('reads 1e308 and -0, refuses 1e308 in a numeric column, and reports a number too large for a double', async () => {
    const text = 'id,x\na,1e308\nb,-0\nc,2\nd,3\ne,4\n';
    const { table } = await parseCsv(Buffer.from(text), { fileName: 't.csv' });
    expect(Array.from(numericValues(table, 'x'))).toEqual([1e308, 0, 2, 3, 4]);
    expect(Object.is(numericValues(table, 'x')[1], 0)).toBe(true);
    const beyond = await errorOf(() => csvFromText(text));
    expect(beyond.message).toMatch(/Column x holds a number beyond ±10\^15 on line 2;/);
    const error = await errorOf(() => csvFromText('id,x\na,1e309\nb,1\nc,2\nd,3\ne,4\n'));
    expect(error.message).toMatch(/"1e309" on line 2 is not a finite number/);
  });

  it('never puts customer ids in error messages', async () => {
    const badValue = await errorOf(() => csvFromText('CUST_ID,x\nC9,1\nC8,abc\nC7,2\nC6,3\nC5,4\nC4,5\n'));
    expect(badValue.message).not.toMatch(/C[4-9]/);
    const duplicate = await errorOf(() => csvFromText('CUST_ID,x\nC9,1\nC8,2\nC9,3\n'));
    expect(userMessage(duplicate)).not.toMatch(/C[89]/);
  });
});

describe('code columns', () => {
  it("reads a column of numeric codes plus a repeated letter code (Santander's indrel_1mes) as categorical", async () => {
    const codes = ['1', '1.0', '1', '3', '1', 'P', '1', '2.0', 'P', '1', '1', '4', '1', '1', '1.0', '1'];
    const rows = codes.map((c, i) => `${1000 + i},${c},${i * 2.5}`).join('\n');
    const { table, schema } = await csvFromText(`ncodpers,indrel_1mes,renta\n${rows}\n`);
    expect(columnByName(table, 'indrel_1mes').values).toEqual(codes);
    expect(schema.columns.find((c) => c.name === 'indrel_1mes')?.role).toBe('categorical');
  });

  it('still rejects a single stray letter among few numeric values', async () => {
    const rows = ['12', '12', '6', '12', 'x', '8', '12', '12', '11', '12']
      .map((t, i) => `c${i},${t}`)
      .join('\n');
    const error = await errorOf(() => csvFromText(`id,TENURE\n${rows}\n`));
    expect(error.message).toMatch(/value "x" on line 6 is not a number/);
  });
});

describe('responsiveness', () => {
  it('lets other work run while the fast path reads a large file, through the caller’s pause', async () => {
    const rows = Array.from({ length: 70_000 }, (_, i) => `${i},${i % 97}`).join('\n');
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    let pauses = 0;
    const pause = (): Promise<void> => {
      pauses++;
      return new Promise((resolve) => setImmediate(resolve));
    };
    const { parsed, turnedBeforeEnd } = await parseCsv(Buffer.from(`id,x\n${rows}\n`), {
      fileName: 'big.csv',
      pause,
    }).then((p) => ({ parsed: p, turnedBeforeEnd: turned }));
    expect(parsed.parser).toBe('fast');
    expect(parsed.table.rowCount).toBe(70_000);
    expect(pauses).toBeGreaterThan(0);
    expect(turnedBeforeEnd).toBe(true);
  });

  it('reads straight through without a pause, to the same table', async () => {
    const rows = Array.from({ length: 70_000 }, (_, i) => `${i},${i % 97}`).join('\n');
    const bytes = Buffer.from(`id,x\n${rows}\n`);
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const straight = await parseCsv(bytes, { fileName: 'big.csv' });
    const turnedDuringStraight = turned;
    const sliced = await parseCsv(bytes, {
      fileName: 'big.csv',
      pause: () => new Promise((resolve) => setImmediate(resolve)),
    });
    expect(turnedDuringStraight).toBe(false);
    expect(straight.table).toEqual(sliced.table);
  });
});

describe('customer ids keep their exact text', () => {
  it('keeps leading zeros and ids longer than a double can hold, on every parser', async () => {
    const bytes = new TextEncoder().encode(
      'customer_id,BALANCE,PURCHASES\n000123,10,1\n000124,20,2\n9007199254740993,30,3\n',
    );
    const general = await parseCsv(bytes, { fileName: 'ids.csv', parser: 'general' });
    const fast = await parseCsv(bytes, { fileName: 'ids.csv' });
    const streamed = await parseCsv(chunked(bytes, 5), { fileName: 'ids.csv' });
    expect(fast.parser).toBe('fast');
    for (const { table } of [general, fast, streamed]) {
      const ids = columnByName(table, 'customer_id');
      expect(ids.kind).toBe('text');
      expect(ids.values).toEqual(['000123', '000124', '9007199254740993']);
      expect(columnByName(table, 'BALANCE').kind).toBe('numeric');
    }
    const { schema } = await ingestCsv(bytes, { fileName: 'ids.csv' });
    expect(schema.idColumn).toBe('customer_id');
  });
});
