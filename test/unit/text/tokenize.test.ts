import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/errors.js';
import { tokenize } from '../../../src/text/tokenize.js';
import { thrown } from '../../helpers/thrown.js';

const badInput = (fn: () => unknown): BadInputError => thrown(fn, BadInputError);

describe('tokenize', () => {
  it('splits on any whitespace and keeps quoted values whole', () => {
    expect(tokenize('  describe   "VIP high spenders" \t k=3 ')).toEqual([
      'describe',
      'VIP high spenders',
      'k=3',
    ]);
    expect(tokenize("describe 'cash advance'")).toEqual(['describe', 'cash advance']);
    expect(tokenize('features="BALANCE, PURCHASES"')).toEqual(['features=BALANCE, PURCHASES']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' \n\t ')).toEqual([]);
  });

  it('accepts the curly quotes Slack clients type, and a straight quote closed by a curly one', () => {
    expect(tokenize('describe \u201cVIP high spenders\u201d')).toEqual(['describe', 'VIP high spenders']);
    expect(tokenize('describe \u2018cash advance\u2019')).toEqual(['describe', 'cash advance']);
    expect(tokenize('describe "VIP high spenders\u201d')).toEqual(['describe', 'VIP high spenders']);
    expect(tokenize('describe \u201cVIP high spenders"')).toEqual(['describe', 'VIP high spenders']);
  });

  it('keeps an empty quoted value as an empty word, and joins quoted and plain parts', () => {
    expect(tokenize('name="" k=3')).toEqual(['name=', 'k=3']);
    expect(tokenize('"" x')).toEqual(['', 'x']);
    expect(tokenize('"VIP"\u201c high\u201d')).toEqual(['VIP high']);
  });

  it('keeps apostrophes and inch marks inside words as typed', () => {
    expect(tokenize("what's new")).toEqual(["what's", 'new']);
    expect(tokenize('what\u2019s new')).toEqual(['what\u2019s', 'new']);
    expect(tokenize("O'Brien's customers'")).toEqual(["O'Brien's", "customers'"]);
    expect(tokenize('a 12" screen')).toEqual(['a', '12"', 'screen']);
    expect(tokenize("explain 'Bob's list' now")).toEqual(['explain', "Bob's list", 'now']);
  });

  it('refuses an unbalanced quote, saying where it opened, with the caller’s example', () => {
    const error = badInput(() =>
      tokenize('describe "VIP', { example: '/segbot describe "VIP high spenders"' }),
    );
    expect(error.message).toBe('The quote opened at character 10 is never closed.');
    expect(error.hint).toBe('Close it, for example: /segbot describe "VIP high spenders"');
    expect(badInput(() => tokenize('\u201cVIP high spenders')).message).toMatch(/character 1 /);
    expect(badInput(() => tokenize("explain 'cash")).hint).toBe('Close it, for example: "VIP high spenders"');
    // A closing quote of the other kind does not close a double-quoted part.
    expect(() => tokenize('"VIP high spenders\u2019')).toThrow(BadInputError);
  });
});
