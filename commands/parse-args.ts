/**
 * Pure parsing of `/segbot` command text: the subcommand, positional words and `key=value` options.
 * Every mistake becomes a BadInputError that says what was wrong and shows a correct example.
 */
import { BadInputError } from '../src/errors.js';

/** A command split into its subcommand and the words after it. */
export interface ParsedCommand {
  /** Lower-cased first word, '' when the text was empty. */
  subcommand: string;
  /** The words after the subcommand, quotes removed. */
  args: string[];
}

/** Undoes the HTML escaping Slack applies to slash command text. */
export function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const OPEN_QUOTES: Record<string, string> = { '"': '"', "'": "'", '\u201c': '\u201d', '\u2018': '\u2019' };
// Slack clients often turn straight quotes into curly ones; a closing curly quote must also close
// a straight-quoted value, and vice versa, so people are not punished for their keyboard.
const CLOSERS: Record<string, string[]> = {
  '"': ['"', '\u201d', '\u201c'],
  "'": ["'", '\u2019', '\u2018'],
  '\u201d': ['\u201d', '"', '\u201c'],
  '\u2019': ['\u2019', "'", '\u2018'],
};

/**
 * Splits text into words on whitespace; double, single or curly quotes keep spaces inside a word
 * (`name="VIP high spenders"` is one word). An unclosed quote is an error.
 */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const close = OPEN_QUOTES[ch];
    if (close !== undefined) {
      const closers = CLOSERS[close]!;
      let j = i + 1;
      while (j < text.length && !closers.includes(text[j]!)) j += 1;
      if (j >= text.length) {
        throw new BadInputError(`The quote opened at character ${i + 1} is never closed.`, {
          hint: 'Close it, for example: /segbot describe "VIP high spenders"',
        });
      }
      current += text.slice(i + 1, j);
      inWord = true;
      i = j + 1;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
    i += 1;
  }
  if (inWord) words.push(current);
  return words;
}

/** Splits `/segbot` text into subcommand and arguments. */
export function parseCommandText(text: string): ParsedCommand {
  const words = tokenize(decodeSlackText(text).trim());
  const [first, ...args] = words;
  return { subcommand: (first ?? '').toLowerCase(), args };
}

/** How one option's value is read; throws a plain message on a bad value. */
export type OptionParser<T> = (value: string) => T;

export interface OptionSpec<T> {
  parse: OptionParser<T>;
  /** Shown in errors: "auto or a whole number from 2 to 20". */
  expected: string;
  example: string;
}

export type OptionSpecs = Record<string, OptionSpec<unknown>>;

export type ParsedOptions<S extends OptionSpecs> = {
  [K in keyof S]?: S[K] extends OptionSpec<infer T> ? T : never;
};

class OptionValueError extends Error {}

/**
 * Reads `key=value` words against a spec. Words without `=` are returned as positional arguments
 * when `allowPositional` is set, and are an error otherwise. Keys are case-insensitive.
 */
export function parseOptions<S extends OptionSpecs>(
  args: string[],
  specs: S,
  context: { command: string; allowPositional?: boolean },
): { options: ParsedOptions<S>; positional: string[] } {
  const options: Record<string, unknown> = {};
  const positional: string[] = [];
  const keys = Object.keys(specs);
  const usage = `/segbot ${context.command} ${keys.map((k) => specs[k]!.example).join(' ')}`;
  for (const word of args) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      if (context.allowPositional) {
        positional.push(word);
        continue;
      }
      throw new BadInputError(`"${word}" is not an option of /segbot ${context.command}.`, {
        hint: keys.length
          ? `Options are written key=value (${keys.join(', ')}), for example: ${usage}`
          : `/segbot ${context.command} takes no arguments.`,
      });
    }
    const key = word.slice(0, eq).trim().toLowerCase();
    const value = word.slice(eq + 1).trim();
    const spec = specs[key];
    if (!spec) {
      const suggestion = closest(key, keys);
      throw new BadInputError(`Unknown option "${key}" for /segbot ${context.command}.`, {
        hint:
          (suggestion ? `Did you mean ${suggestion}? ` : '') +
          (keys.length ? `Options: ${keys.join(', ')}. Example: ${usage}` : 'This command takes no options.'),
      });
    }
    if (key in options) {
      throw new BadInputError(`The option ${key} is given twice.`, {
        hint: `Give it once, for example: ${usage}`,
      });
    }
    if (value === '') {
      throw new BadInputError(`The option ${key} has no value.`, {
        hint: `${key} should be ${spec.expected}, for example ${spec.example}.`,
      });
    }
    try {
      options[key] = spec.parse(value);
    } catch (error) {
      const detail = error instanceof OptionValueError ? ` ${error.message}` : '';
      throw new BadInputError(`${key}=${value} is not valid.${detail}`, {
        hint: `${key} should be ${spec.expected}, for example ${spec.example}.`,
      });
    }
  }
  return { options: options as ParsedOptions<S>, positional };
}

/** An integer option within [min, max]. */
export function integerOption(min: number, max: number): OptionParser<number> {
  return (value) => {
    if (!/^[+]?\d+$/.test(value)) throw new OptionValueError('It is not a whole number.');
    const n = Number(value);
    if (n < min || n > max) throw new OptionValueError(`It must be between ${min} and ${max}.`);
    return n;
  };
}

/** A comma-separated list of non-empty names, duplicates removed, order kept. */
export function listOption(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new OptionValueError('The list is empty.');
  return [...new Set(items)];
}

/** The largest k a user may ask for; automatic selection searches 2..10. */
export const MAX_K = 20;

export const SEGMENT_OPTIONS = {
  k: {
    parse: (value: string): 'auto' | number =>
      value.toLowerCase() === 'auto' ? 'auto' : integerOption(2, MAX_K)(value),
    expected: `auto or a whole number from 2 to ${MAX_K}`,
    example: 'k=auto',
  },
  features: {
    parse: listOption,
    expected: 'a comma-separated list of column names',
    example: 'features=BALANCE,PURCHASES',
  },
  seed: {
    parse: integerOption(0, 2 ** 32 - 1),
    expected: 'a whole number from 0 to 4294967295',
    example: 'seed=7',
  },
} satisfies OptionSpecs;

/** Parameters of `/segbot segment`, with defaults applied. */
export interface SegmentArgs {
  k: 'auto' | number;
  seed: number;
  features?: string[];
}

/** The default seed keeps repeated runs on the same data identical unless asked otherwise. */
export const DEFAULT_SEED = 42;

/** Parses `/segbot segment [k=auto|N] [features=a,b] [seed=N]`. */
export function parseSegmentArgs(args: string[]): SegmentArgs {
  const { options } = parseOptions(args, SEGMENT_OPTIONS, { command: 'segment' });
  const parsed: SegmentArgs = { k: options.k ?? 'auto', seed: options.seed ?? DEFAULT_SEED };
  if (options.features) parsed.features = options.features;
  return parsed;
}

/** Levenshtein distance, for "did you mean" suggestions on short words. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The candidate closest to `word` when it is plausibly a typo (distance at most a third of its length). */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(lower.length / 3)) ? best : null;
}
