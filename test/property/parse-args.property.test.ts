/**
 * Property tests of the `/segbot` argument parser: any text gives words or a BadInputError, words
 * survive the trip through whitespace and quotes, and option values are either valid or refused
 * with a message. The dispatcher answers any text without an unexpected error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleSlashCommand } from '../../commands/index.js';
import { MAX_K, parseCommandText, parseSegmentArgs } from '../../commands/parse-args.js';
import { BadInputError, userMessage } from '../../src/errors.js';
import { decodeSlackText } from '../../src/slack/decode-slack-text.js';
import { tokenize } from '../../src/text/tokenize.js';
import { createCommandArgs } from '../helpers/command-args.js';
import { createTestDeps } from '../helpers/test-deps.js';

const SEED = 20261122;
const GENERIC = userMessage(new Error('x'));

/** Returns the parser's value, or null after checking the error is a BadInputError with a message. */
function valueOrBadInput<T>(run: () => T): T | null {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof BadInputError)) throw new Error(`not a BadInputError: ${String(error)}`);
    expect(error.message.length).toBeGreaterThan(5);
    return null;
  }
}

const quoteChars = ['"', "'", '\u201c', '\u201d', '\u2018', '\u2019'];
const commandText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({
    unit: fc.constantFrom(
      ' ',
      '\t',
      '\n',
      '=',
      ',',
      'k',
      'seed',
      'auto',
      '5',
      '-',
      '&lt;',
      '&amp;',
      '<@U1|a>',
      ...quoteChars,
    ),
    maxLength: 25,
  }),
);
/** A word with no whitespace and no quote characters. */
const plainWord = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 10 })
  .filter((w) => !/\s/.test(w) && !quoteChars.some((q) => w.includes(q)));
const whitespace = fc.constantFrom(' ', '  ', '\t', ' \n ', '\u00a0');

describe('tokenize', () => {
  it('gives words or a BadInputError for any text', () => {
    fc.assert(
      fc.property(commandText, (text) => {
        const words = valueOrBadInput(() => tokenize(text));
        if (words) for (const w of words) expect(typeof w).toBe('string');
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('gives back plain words joined by any whitespace', () => {
    fc.assert(
      fc.property(fc.array(plainWord, { maxLength: 8 }), whitespace, whitespace, (words, sep, edge) => {
        expect(tokenize(edge + words.join(sep) + edge)).toEqual(words);
      }),
      { numRuns: 500, seed: SEED },
    );
  });

  it('keeps a quoted value with spaces as one word, whatever quote style closes it', () => {
    const inner = fc
      .string({ unit: 'grapheme', maxLength: 20 })
      .filter((s) => !quoteChars.some((q) => s.includes(q)));
    fc.assert(
      fc.property(
        inner,
        fc.constantFrom(['"', '"'], ['\u201c', '\u201d'], ["'", "'"], ['"', '\u201d']),
        (value, [open, close]) => {
          expect(tokenize(`describe ${open}${value}${close}`)).toEqual(['describe', value]);
        },
      ),
      { numRuns: 300, seed: SEED },
    );
  });

  it('refuses an unclosed quote with where it opened', () => {
    fc.assert(
      fc.property(fc.array(plainWord, { maxLength: 4 }), plainWord, (before, after) => {
        const text = `${before.join(' ')} "${after}`;
        expect(() => tokenize(text)).toThrow(BadInputError);
      }),
      { numRuns: 200, seed: SEED },
    );
  });
});

describe('decodeSlackText and parseCommandText', () => {
  it('undo exactly the escaping Slack applies', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        expect(decodeSlackText(escaped)).toBe(text);
      }),
      { numRuns: 500, seed: SEED },
    );
  });

  it('lower-cases the subcommand and keeps the arguments as typed', () => {
    fc.assert(
      fc.property(plainWord, fc.array(plainWord, { maxLength: 5 }), (sub, args) => {
        const slackEscape = (w: string) =>
          w.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        const parsed = parseCommandText([sub, ...args].map(slackEscape).join(' '));
        expect(parsed.subcommand).toBe(sub.toLowerCase());
        expect(parsed.args).toEqual(args);
      }),
      { numRuns: 300, seed: SEED },
    );
  });
});

describe('parseSegmentArgs', () => {
  it('returns valid parameters or a BadInputError for any words', () => {
    const word = fc.oneof(
      plainWord,
      fc
        .tuple(
          fc.constantFrom('k', 'K', 'seed', 'features', 'kk', 'sed', ''),
          fc.constantFrom('=', '=='),
          fc.oneof(
            plainWord,
            fc.constantFrom(
              'auto',
              '0',
              '1',
              '2',
              '20',
              '21',
              '-3',
              '+7',
              '1e3',
              '4294967295',
              '4294967296',
              '007',
              ',',
              'a,,b',
              '',
            ),
          ),
        )
        .map((p) => p.join('')),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 5 }), (words) => {
        const args = valueOrBadInput(() => parseSegmentArgs(words));
        if (!args) return;
        expect(args.k === 'auto' || (Number.isInteger(args.k) && args.k >= 2 && args.k <= MAX_K)).toBe(true);
        expect(Number.isInteger(args.seed) && args.seed >= 0 && args.seed <= 2 ** 32 - 1).toBe(true);
        if (args.features) {
          expect(args.features.length).toBeGreaterThan(0);
          expect(args.features.every((f) => f.trim() === f && f !== '')).toBe(true);
        }
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('reads back valid options in any order', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/);
    fc.assert(
      fc.property(
        fc.option(fc.oneof(fc.constant('auto' as const), fc.integer({ min: 2, max: MAX_K })), {
          nil: undefined,
        }),
        fc.option(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { nil: undefined }),
        fc.option(fc.uniqueArray(name, { minLength: 1, maxLength: 4 }), { nil: undefined }),
        fc.boolean(),
        (k, seed, features, reversed) => {
          const words = [
            ...(k === undefined ? [] : [`k=${k}`]),
            ...(seed === undefined ? [] : [`seed=${seed}`]),
            ...(features === undefined ? [] : [`features=${features.join(',')}`]),
          ];
          const args = parseSegmentArgs(reversed ? words.reverse() : words);
          expect(args.k).toBe(k ?? 'auto');
          expect(args.seed).toBe(seed ?? 42);
          expect(args.features).toEqual(features);
        },
      ),
      { numRuns: 300, seed: SEED },
    );
  });
});

describe('/segbot with any text', () => {
  it('acknowledges once and answers without an unexpected error', async () => {
    const { deps } = createTestDeps();
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const invocation = createCommandArgs({ text, userId: 'U0PROP', channelId: 'C0PROP' });
        await handleSlashCommand(invocation.args, deps);
        expect(invocation.acks).toHaveLength(1);
        expect(invocation.calls[0]?.method).toBe('ack');
        const said = [
          ...invocation.responses.map((r) => String(r.text)),
          ...invocation.fake.messages.map((m) => m.text),
          ...invocation.fake.callsOf('chat.postEphemeral').map((a) => String(a.text)),
        ];
        expect(said.length).toBeGreaterThan(0);
        for (const text of said) expect(text).not.toBe(GENERIC);
      }),
      { numRuns: 150, seed: SEED },
    );
  });
});
