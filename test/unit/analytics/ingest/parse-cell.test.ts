import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMissingToken, parseNumberText } from '../../../../src/analytics/ingest/index.js';

describe('parseNumberText', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['-3.5', -3.5],
    ['+7', 7],
    ['.5', 0.5],
    ['5.', 5],
    ['40.900749', 40.900749],
    ['1e3', 1000],
    ['2.5E-3', 0.0025],
    ['1e308', 1e308],
    ['123456789012345678901234567890', 1.2345678901234568e29],
    ['0.1234567890123456789012345', 0.12345678901234568],
  ])('reads %s', (text, expected) => {
    expect(parseNumberText(text, false)).toBe(expected);
  });

  it('turns -0 into 0 so both parsers and every later sum agree', () => {
    expect(Object.is(parseNumberText('-0', false), 0)).toBe(true);
    expect(Object.is(parseNumberText('-0.000', false), 0)).toBe(true);
  });

  it.each([
    '',
    '-',
    '.',
    'e5',
    '1e',
    '1e+',
    '0x10',
    'Infinity',
    '-inf',
    'NaN',
    '1,234',
    '1 234',
    '12abc',
    '1e309',
    '--1',
  ])('rejects %s', (text) => {
    expect(parseNumberText(text, false)).toBeUndefined();
  });

  it('reads a decimal comma only when asked to (";"-separated files)', () => {
    expect(parseNumberText('1,5', true)).toBe(1.5);
    expect(parseNumberText('1.5', true)).toBe(1.5);
    expect(parseNumberText('1,5', false)).toBeUndefined();
    expect(parseNumberText('1.234,5', true)).toBeUndefined();
  });

  it('gives the same double as Number() for any decimal text it accepts', () => {
    const digits = fc.string({
      unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'),
      maxLength: 30,
    });
    const text = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        digits,
        fc.option(digits, { nil: undefined }),
        fc.option(
          fc.tuple(
            fc.constantFrom('e', 'E'),
            fc.constantFrom('', '-', '+'),
            fc.integer({ min: 0, max: 400 }),
          ),
          {
            nil: undefined,
          },
        ),
      )
      .map(
        ([sign, int, frac, exp]) =>
          `${sign}${int}${frac === undefined ? '' : `.${frac}`}${exp ? `${exp[0]}${exp[1]}${exp[2]}` : ''}`,
      );
    fc.assert(
      fc.property(text, (t) => {
        const ours = parseNumberText(t, false);
        const reference = Number(t);
        const hasDigit = /\d/.test(t.split(/e/i)[0]!);
        if (!hasDigit || !Number.isFinite(reference)) {
          expect(ours).toBeUndefined();
        } else {
          expect(ours).toBe(reference === 0 ? 0 : reference);
        }
      }),
      { numRuns: 3000, seed: 20261122 },
    );
  });
});

describe('isMissingToken', () => {
  it.each(['', 'NA', 'N/A', 'NaN', 'null', 'NULL', 'None', '?'])('treats %j as missing', (t) => {
    expect(isMissingToken(t)).toBe(true);
  });
  it.each(['0', 'N', 'none of them', 'NA1'])('keeps %j', (t) => {
    expect(isMissingToken(t)).toBe(false);
  });
});
