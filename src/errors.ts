/**
 * segbot's coded errors. Every failure a user can cause or meet is one of these; the Slack layer and
 * the CLI turn them into a message with `userMessage`, and anything else becomes a generic
 * "something went wrong" that never carries a stack trace or customer data.
 */

export type ErrorCode =
  | 'bad_input'
  | 'not_found'
  | 'not_allowed'
  | 'conflict'
  | 'too_large'
  | 'config'
  | 'slack_api'
  | 'cancelled'
  | 'stored_format';

/** Where in an input file something went wrong. Lines are 1-based and count the header line. */
export interface InputLocation {
  file?: string;
  line?: number;
  column?: string;
}

export class SegbotError extends Error {
  readonly code: ErrorCode;
  /** What the user can do about it, shown after the message. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.hint = hint;
  }
}

/** Input the user gave us is wrong: a file, a command argument, a product name. */
export class BadInputError extends SegbotError {
  readonly location: InputLocation;
  /**
   * The message without the cell values or customer ids it quotes, for texts kept in the database
   * (see storedErrorText). Required of every message that quotes a value from the data.
   */
  readonly storedMessage: string | undefined;

  constructor(
    message: string,
    options: { hint?: string; location?: InputLocation; storedMessage?: string } = {},
  ) {
    super('bad_input', message, options.hint);
    this.location = options.location ?? {};
    this.storedMessage = options.storedMessage;
  }
}

/** Something the user asked for does not exist (yet): no dataset uploaded, unknown run id. */
export class NotFoundError extends SegbotError {
  constructor(message: string, hint?: string) {
    super('not_found', message, hint);
  }
}

/** The user or channel may not do this; the message says who may. */
export class NotAllowedError extends SegbotError {
  constructor(message: string, hint?: string) {
    super('not_allowed', message, hint);
  }
}

/** An input exceeds a configured limit (upload size, rows). */
export class TooLargeError extends SegbotError {
  constructor(message: string, hint?: string) {
    super('too_large', message, hint);
  }
}

/** A setting is missing or malformed; raised at start-up. */
export class ConfigError extends SegbotError {
  readonly variable: string;

  constructor(variable: string, message: string, hint?: string) {
    super('config', `${variable}: ${message}`, hint);
    this.variable = variable;
  }
}

/** A job was stopped before it finished: cancelled, over its time budget, or its worker died. */
export class CancelledError extends SegbotError {
  constructor(message: string, hint?: string) {
    super('cancelled', message, hint);
  }
}

/**
 * A job ran past its time budget (SEGBOT_JOB_TIMEOUT_SECONDS) and was stopped. Still a cancellation
 * (its code is `cancelled`); the message says which job and how long it may run, never any data.
 */
export class TimeBudgetError extends CancelledError {
  constructor(what: string, budgetMs: number) {
    super(
      `The ${what} ran longer than ${formatBudget(budgetMs)} and was stopped; nothing was changed.`,
      'Choose fewer columns with features=… (or a smaller file), or ask an admin to raise SEGBOT_JOB_TIMEOUT_SECONDS.',
    );
  }
}

/** "15 minutes", "1 minute", "90 seconds", "0.2 seconds". */
function formatBudget(ms: number): string {
  const seconds = ms / 1000;
  if (seconds >= 60 && seconds % 60 === 0) {
    const minutes = seconds / 60;
    return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  }
  return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
}

/**
 * A value segbot stored earlier (a model, a run's parameters, a schedule) does not have the shape
 * this version reads: written by another version, or damaged. The message names what and where;
 * it never quotes the stored value, which can hold customer data.
 */
export class StoredFormatError extends SegbotError {
  constructor(
    message: string,
    hint = 'It was probably saved by another version of segbot. Run the command again to rebuild it, or ask the person who runs segbot to apply the database migrations (they run at start-up).',
  ) {
    super('stored_format', message, hint);
  }

  /** "segbot cannot read the stored <what>: <problem>." */
  static about(what: string, problem: string): StoredFormatError {
    return new StoredFormatError(`segbot cannot read the stored ${what}: ${problem}.`);
  }
}

/** Formats a location as "file.csv, line 12, column BALANCE" (only the parts that are known). */
export function formatLocation(location: InputLocation): string {
  const parts: string[] = [];
  if (location.file) parts.push(location.file);
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.column !== undefined) parts.push(`column ${location.column}`);
  return parts.join(', ');
}

/**
 * The one place an error becomes text for a person. Known errors keep their message and hint;
 * unknown ones are reduced to a generic sentence so internals never leak into Slack.
 */
export function userMessage(error: unknown): string {
  if (error instanceof SegbotError) {
    const where = error instanceof BadInputError ? formatLocation(error.location) : '';
    const head = where ? `${where}: ${error.message}` : error.message;
    return error.hint ? `${head}\n${error.hint}` : head;
  }
  return 'Something went wrong on our side and the request did not complete. Nothing was changed; please try again, and tell an admin if it keeps happening.';
}

/**
 * The text of an error that may be kept in the database (the job log, a failed run's reason): what
 * went wrong and where (file, line, column). Never the cell values or ids a message shows the person
 * who caused it, and never the hint, which can list the data's values ("every value is 12").
 */
export function storedErrorText(error: unknown): string {
  if (error instanceof BadInputError) {
    const where = formatLocation(error.location);
    const what = error.storedMessage ?? error.message;
    return where ? `${where}: ${what}` : what;
  }
  if (error instanceof SegbotError) return error.message;
  return 'An unexpected error stopped the job; nothing was changed.';
}

export function isSegbotError(error: unknown): error is SegbotError {
  return error instanceof SegbotError;
}

/**
 * An error as plain data, to cross a thread boundary: structured cloning keeps only an Error's own
 * message and stack, so the code, hint and location travel as fields and the error is rebuilt.
 */
export interface ErrorData {
  /** A segbot error code; anything else (or nothing) means an error segbot does not know. */
  code?: string;
  name: string;
  message: string;
  hint?: string;
  location?: InputLocation;
  /** BadInputError's message without quoted values (see storedErrorText). */
  storedMessage?: string;
  variable?: string;
  /** The stack's "at ..." lines, without the message line. */
  frames: string[];
}

type Rebuild = (data: ErrorData) => SegbotError;

/**
 * How each code comes back. One entry per ErrorCode (the type checker insists), so a new error
 * class is one line here.
 */
const ERROR_CLASSES: { [C in ErrorCode]: Rebuild } = {
  bad_input: (d) =>
    new BadInputError(d.message, {
      ...(d.hint !== undefined ? { hint: d.hint } : {}),
      location: d.location ?? {},
      ...(d.storedMessage !== undefined ? { storedMessage: d.storedMessage } : {}),
    }),
  not_found: (d) => new NotFoundError(d.message, d.hint),
  not_allowed: (d) => new NotAllowedError(d.message, d.hint),
  conflict: (d) => new SegbotError('conflict', d.message, d.hint),
  too_large: (d) => new TooLargeError(d.message, d.hint),
  // The message already starts with the variable's name.
  config: (d) => {
    const variable = d.variable ?? '';
    const prefix = `${variable}: `;
    const text = d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message;
    return new ConfigError(variable, text, d.hint);
  },
  slack_api: (d) => new SegbotError('slack_api', d.message, d.hint),
  cancelled: (d) => new CancelledError(d.message, d.hint),
  stored_format: (d) => new StoredFormatError(d.message, d.hint),
};

function isErrorCode(code: string | undefined): code is ErrorCode {
  return code !== undefined && Object.hasOwn(ERROR_CLASSES, code);
}

/** An error's class name, or "Error" when the name is not a plain identifier. */
function className(name: string): string {
  return /^[A-Za-z_$][\w$.]{0,63}$/.test(name) ? name : 'Error';
}

const withheld = (name: string): string => `${name} (its message is not carried across threads)`;

function stackFrames(error: Error): string[] {
  return (error.stack ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .slice(0, 20);
}

/**
 * Plain data describing an error, safe to post to another thread. Coded errors keep their text (it
 * is written for users); any other error keeps only its class name and stack frames, because its
 * message may quote customer data (a cell value in a RangeError, a row in a database error).
 */
export function toErrorData(error: unknown): ErrorData {
  if (error instanceof SegbotError) {
    return {
      code: error.code,
      name: error.name,
      message: error.message,
      ...(error.hint !== undefined ? { hint: error.hint } : {}),
      ...(error instanceof BadInputError ? { location: error.location } : {}),
      ...(error instanceof BadInputError && error.storedMessage !== undefined
        ? { storedMessage: error.storedMessage }
        : {}),
      ...(error instanceof ConfigError ? { variable: error.variable } : {}),
      frames: stackFrames(error),
    };
  }
  const name = className(error instanceof Error ? error.name : '');
  return { name, message: withheld(name), frames: error instanceof Error ? stackFrames(error) : [] };
}

/**
 * Rebuilds an error from `toErrorData`: a known code gives back the same class with the same message
 * and hint; an unknown or missing code gives a plain Error with only the class name, which
 * `userMessage` turns into the generic sentence.
 */
export function fromErrorData(data: ErrorData): Error {
  let error: Error;
  if (isErrorCode(data.code)) {
    error = ERROR_CLASSES[data.code](data);
  } else {
    const name = className(data.name);
    error = new Error(withheld(name));
    error.name = name;
  }
  error.stack = [`${error.name}: ${error.message}`, ...data.frames.map((f) => `    ${f}`)].join('\n');
  return error;
}
