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
  | 'cancelled';

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

  constructor(message: string, options: { hint?: string; location?: InputLocation } = {}) {
    super('bad_input', message, options.hint);
    this.location = options.location ?? {};
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

export function isSegbotError(error: unknown): error is SegbotError {
  return error instanceof SegbotError;
}
