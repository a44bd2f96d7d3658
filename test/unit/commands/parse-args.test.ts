import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closest,
  DEFAULT_SEED,
  parseCommandText,
  parseOptions,
  parseSegmentArgs,
} from '../../../commands/parse-args.js';
import { BadInputError, userMessage } from '../../../src/errors.js';
import { thrown } from '../../helpers/thrown.js';

const badInput = (fn: () => unknown): BadInputError => thrown(fn, BadInputError);

describe('parseCommandText', () => {
  it('lower-cases the subcommand and decodes Slack escapes', () => {
    expect(parseCommandText('SEGMENT k=4')).toEqual({ subcommand: 'segment', args: ['k=4'] });
    expect(parseCommandText('describe Cash &amp; carry')).toEqual({
      subcommand: 'describe',
      args: ['Cash', '&', 'carry'],
    });
    expect(parseCommandText('   ')).toEqual({ subcommand: '', args: [] });
  });

  it('reads links and mentions as they were typed', () => {
    expect(parseCommandText('describe <http://revolvers.com|revolvers.com>')).toEqual({
      subcommand: 'describe',
      args: ['revolvers.com'],
    });
    expect(parseCommandText('admins add <@U0DANA|dana>')).toEqual({
      subcommand: 'admins',
      args: ['add', '@U0DANA'],
    });
  });

  it('refuses an unclosed quote with a /segbot example', () => {
    const error = badInput(() => parseCommandText('describe "VIP'));
    expect(error.message).toBe('The quote opened at character 10 is never closed.');
    expect(error.hint).toBe('Close it, for example: /segbot describe "VIP high spenders"');
  });
});

describe('parseSegmentArgs', () => {
  it('applies defaults', () => {
    expect(parseSegmentArgs([])).toEqual({ k: 'auto', seed: DEFAULT_SEED, method: 'kmeans' });
  });

  it('reads the method and the mixture covariance, and refuses combinations that mean nothing', () => {
    expect(parseSegmentArgs(['method=GMM', 'covariance=diag', 'k=4'])).toEqual({
      k: 4,
      seed: DEFAULT_SEED,
      method: 'gmm',
      covariance: 'diag',
    });
    expect(parseSegmentArgs(['method=compare']).method).toBe('compare');
    expect(badInput(() => parseSegmentArgs(['method=dbscan'])).message).toBe(
      'method=dbscan is not valid. It must be one of kmeans, gmm, density, compare.',
    );
    expect(badInput(() => parseSegmentArgs(['method=density', 'k=4'])).message).toMatch(/takes no k/);
    expect(badInput(() => parseSegmentArgs(['covariance=diag'])).hint).toMatch(/method=gmm/);
    expect(parseSegmentArgs(['method=compare', 'keep=GMM'])).toMatchObject({
      method: 'compare',
      keep: 'gmm',
    });
    expect(badInput(() => parseSegmentArgs(['keep=gmm'])).message).toMatch(/needs method=compare/);
    expect(badInput(() => parseSegmentArgs(['method=compare', 'keep=compare'])).message).toMatch(
      /kmeans, gmm, density/,
    );
  });

  it('reads k, seed and features', () => {
    expect(parseSegmentArgs(['k=5', 'seed=7', 'features=BALANCE,PURCHASES,,BALANCE'])).toEqual({
      k: 5,
      seed: 7,
      features: ['BALANCE', 'PURCHASES'],
      method: 'kmeans',
    });
    expect(parseSegmentArgs(['K=AUTO'])).toEqual({ k: 'auto', seed: DEFAULT_SEED, method: 'kmeans' });
  });

  it('explains a bad k value with the accepted range and an example', () => {
    const error = badInput(() => parseSegmentArgs(['k=banana']));
    expect(error.message).toBe('k=banana is not valid. It is not a whole number.');
    expect(error.hint).toBe('k should be auto or a whole number from 2 to 20, for example k=auto.');
    expect(badInput(() => parseSegmentArgs(['k=1'])).message).toMatch(/between 2 and 20/);
    expect(badInput(() => parseSegmentArgs(['k=2.5'])).message).toMatch(/not a whole number/);
    expect(badInput(() => parseSegmentArgs(['seed=-1'])).message).toMatch(/seed=-1 is not valid/);
  });

  it('names an unknown option and suggests the closest one', () => {
    const error = badInput(() => parseSegmentArgs(['sed=4']));
    expect(error.message).toBe('Unknown option "sed" for /segbot segment.');
    expect(error.hint).toMatch(/^Did you mean seed\? Options: k, features, seed, method, covariance, keep\./);
  });

  it('rejects duplicates, empty values and bare words', () => {
    expect(badInput(() => parseSegmentArgs(['k=3', 'k=4'])).message).toMatch(/given twice/);
    expect(badInput(() => parseSegmentArgs(['k='])).message).toMatch(/has no value/);
    expect(badInput(() => parseSegmentArgs(['features=,'])).message).toMatch(/list is empty/);
    const bare = badInput(() => parseSegmentArgs(['5']));
    expect(bare.message).toBe('"5" is not an option of /segbot segment.');
    expect(bare.hint).toMatch(/key=value/);
  });

  it('turns every input into either options or a BadInputError with a readable message', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 6 }), (words) => {
        try {
          const parsed = parseSegmentArgs(words);
          expect(parsed.k === 'auto' || (Number.isInteger(parsed.k) && parsed.k >= 2 && parsed.k <= 20)).toBe(
            true,
          );
          expect(Number.isInteger(parsed.seed)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(BadInputError);
          expect(userMessage(error).length).toBeGreaterThan(10);
        }
      }),
    );
  });

  it('never throws anything but BadInputError on raw command text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        try {
          const parsed = parseCommandText(text);
          parseSegmentArgs(parsed.args);
        } catch (error) {
          expect(error).toBeInstanceOf(BadInputError);
        }
      }),
    );
  });
});

describe('parseOptions', () => {
  it('returns positional words when allowed', () => {
    const { options, positional } = parseOptions(
      ['revolvers', 'top=5'],
      { top: { parse: Number, expected: 'n', example: 'top=5' } },
      {
        command: 'x',
        allowPositional: true,
      },
    );
    expect(positional).toEqual(['revolvers']);
    expect(options).toEqual({ top: 5 });
  });

  it('says when a command takes no options', () => {
    expect(badInput(() => parseOptions(['x'], {}, { command: 'upload' })).hint).toBe(
      '/segbot upload takes no arguments.',
    );
  });
});

describe('closest', () => {
  it('suggests only plausible typos', () => {
    expect(closest('featurs', ['k', 'features', 'seed'])).toBe('features');
    expect(closest('zzz', ['k', 'features', 'seed'])).toBeNull();
  });
});
