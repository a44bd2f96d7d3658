import { describe, expect, it } from 'vitest';
import { csvCell, scoresCsv, scoresCsvPieces, toCsv } from '../../../../src/analytics/predict/csv-export.js';

describe('csv export', () => {
  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('C10001')).toBe('C10001');
  });

  it('quotes commas, quotes and line breaks, and writes numbers as numbers', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(toCsv(['id', 'n'], [['=x', 1]])).toBe("id,n\n'=x,1\n");
  });

  it('writes scored customers with rounded probabilities and an optional segment', () => {
    expect(scoresCsv([{ customerId: '-7', probability: 0.123456, decile: 1 }])).toBe(
      "customer_id,probability,decile\n'-7,0.1235,1\n",
    );
    expect(scoresCsv([{ customerId: 'C1', probability: 0.5, decile: 2, segment: 'Revolvers' }])).toBe(
      'customer_id,probability,decile,segment\nC1,0.5,2,Revolvers\n',
    );
  });
});

describe('scoresCsvPieces', () => {
  it('writes three reason columns, blank where a customer has fewer, formulas in names defused', () => {
    const csv = scoresCsv([
      {
        customerId: 'C1',
        probability: 0.9,
        decile: 1,
        reasons: ['=cmd| balance high (+8 pts)', 'no loan, ever (+2 pts)'],
      },
      { customerId: 'C2', probability: 0.1, decile: 10, reasons: [] },
    ]);
    expect(csv).toBe(
      [
        'customer_id,probability,decile,reason_1,reason_2,reason_3',
        `'=cmd| balance high (+8 pts),"no loan, ever (+2 pts)",`.replace(/^/, 'C1,0.9,1,'),
        'C2,0.1,10,,,',
        '',
      ].join('\n'),
    );
  });

  it('splits the list into pieces that join to exactly the whole file', () => {
    const scores = Array.from({ length: 1_003 }, (_, i) => ({
      customerId: i % 100 === 0 ? `=X${i}` : `C${i}`,
      probability: (i % 997) / 997,
      decile: 1 + (i % 10),
      segment: i % 2 ? 'Revolvers' : 'VIP, high spenders',
    }));
    const pieces = [...scoresCsvPieces(scores, { segmentOf: (s) => s.segment, rowsPerPiece: 100 })];
    expect(pieces).toHaveLength(1 + 11);
    expect(pieces.join('')).toBe(scoresCsv(scores));
    expect(pieces[1]!.split('\n')).toHaveLength(101);
    expect(pieces[1]!.startsWith("'=X0,0,1,")).toBe(true);
  });
});
