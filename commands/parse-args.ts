/**
 * Pure parsing of `/segbot` command text: the subcommand, positional words and `key=value` options.
 * Every mistake becomes a BadInputError that says what was wrong and shows a correct example.
 */
import {
  CLUSTER_METHODS,
  type ClusterMethod,
  type CovarianceType,
  type MethodChoice,
} from '../src/analytics/types.js';
import { BadInputError } from '../src/errors.js';
import { decodeSlackText } from '../src/slack/decode-slack-text.js';
import { closest } from '../src/text/edit-distance.js';
import { tokenize } from '../src/text/tokenize.js';

export { closest } from '../src/text/edit-distance.js';

/** A command split into its subcommand and the words after it. */
export interface ParsedCommand {
  /** Lower-cased first word, '' when the text was empty. */
  subcommand: string;
  /** The words after the subcommand, quotes removed. */
  args: string[];
}

/** Splits `/segbot` text into subcommand and arguments. */
export function parseCommandText(text: string): ParsedCommand {
  const words = tokenize(decodeSlackText(text).trim(), { example: '/segbot describe "VIP high spenders"' });
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

/** One of a fixed set of words, case-insensitive. */
export function choiceOption<const T extends string>(choices: readonly T[]): OptionParser<T> {
  return (value) => {
    const word = value.toLowerCase();
    const found = choices.find((choice) => choice === word);
    if (found === undefined) throw new OptionValueError(`It must be one of ${choices.join(', ')}.`);
    return found;
  };
}

/** The largest k a user may ask for; automatic selection searches 3..8 (CHOOSE_K_DEFAULTS). */
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
  method: {
    parse: choiceOption(['kmeans', 'gmm', 'density', 'compare'] as const),
    expected: 'kmeans, gmm, density or compare',
    example: 'method=gmm',
  },
  covariance: {
    parse: choiceOption(['full', 'diag'] as const),
    expected: 'full or diag (Gaussian mixture covariances)',
    example: 'covariance=diag',
  },
  keep: {
    parse: choiceOption(CLUSTER_METHODS),
    expected: 'kmeans, gmm or density (the compared method whose segments the run keeps)',
    example: 'keep=gmm',
  },
} satisfies OptionSpecs;

/** Parameters of `/segbot segment`, with defaults applied. */
export interface SegmentArgs {
  k: 'auto' | number;
  seed: number;
  features?: string[];
  method: MethodChoice;
  covariance?: CovarianceType;
  /** With method=compare: the method whose segments the run keeps (k-means when absent). */
  keep?: ClusterMethod;
}

/** The default seed keeps repeated runs on the same data identical unless asked otherwise. */
export const DEFAULT_SEED = 42;

/** Parses `/segbot segment [k=auto|N] [features=a,b] [seed=N] [method=kmeans|gmm|density|compare] [covariance=full|diag] [keep=kmeans|gmm|density]`. */
export function parseSegmentArgs(args: string[]): SegmentArgs {
  const { options } = parseOptions(args, SEGMENT_OPTIONS, { command: 'segment' });
  const method = options.method ?? 'kmeans';
  if (method === 'density' && options.k !== undefined && options.k !== 'auto') {
    throw new BadInputError('method=density finds its own number of segments, so it takes no k.', {
      hint: 'Drop k=, for example: /segbot segment method=density; or use method=gmm k=5 for a fixed k.',
    });
  }
  if (options.covariance !== undefined && method !== 'gmm' && method !== 'compare') {
    throw new BadInputError('covariance= only applies to the Gaussian mixture.', {
      hint: 'Use it with method=gmm, for example: /segbot segment method=gmm covariance=diag',
    });
  }
  if (options.keep !== undefined && method !== 'compare') {
    throw new BadInputError('keep= chooses among compared methods, so it needs method=compare.', {
      hint: `For example: /segbot segment method=compare keep=${options.keep}; or method=${options.keep} alone.`,
    });
  }
  const parsed: SegmentArgs = { k: options.k ?? 'auto', seed: options.seed ?? DEFAULT_SEED, method };
  if (options.keep) parsed.keep = options.keep;
  if (options.features) parsed.features = options.features;
  if (options.covariance) parsed.covariance = options.covariance;
  return parsed;
}
