import { format } from 'node:util';
import { type Logger as BoltLogger, LogLevel as BoltLogLevel } from '@slack/bolt';
import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';
import type { LogLevel } from './config.js';

/**
 * The one logger interface segbot's code writes to: pino's call shape, fields first and then a
 * message, so a line is structured and its fields can be redacted. createLogger's pino logger is
 * one; tests pass a recording fake. Code that needs only part of it takes a `Pick` of it.
 */
export interface Logger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  /** A logger that adds `bindings` to every line (`{ component: 'digests' }`). */
  child(bindings: Record<string, unknown>): Logger;
}

export const REDACTED = '[redacted]';

/**
 * Keys whose values never reach a log line, wherever they appear in the first two levels of a log
 * object: secrets, and anything that can hold customer data (message text, file contents, rows).
 */
const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'authorization',
  'Authorization',
  'password',
  'secret',
];
const CONTENT_KEYS = [
  'text',
  'blocks',
  'content',
  'bytes',
  'body',
  'data',
  'csv',
  'rows',
  'customerId',
  'customerIds',
];

export const REDACT_PATHS: readonly string[] = [
  ...[...SECRET_KEYS, ...CONTENT_KEYS].flatMap((key) => [key, `*.${key}`]),
  'headers.authorization',
  '*.headers.authorization',
  '*.headers["x-slack-signature"]',
];

/**
 * Slack tokens have recognisable shapes; scrubbing them from the serialized line also catches a
 * token that slipped into a message string or an error's stack, which path redaction cannot see.
 */
const TOKEN_PATTERN = /\b(xox[abposre]-|xapp-)[A-Za-z0-9-]+/g;

/**
 * Numbers and booleans under a redacted key are counts and flags (`rows: 5000`), never content or
 * secrets, so they stay readable; everything else is replaced.
 */
function censorValue(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? value : REDACTED;
}

/** Replaces anything shaped like a Slack token in `text`. */
export function scrubTokens(text: string): string {
  return text.replace(TOKEN_PATTERN, `$1${REDACTED}`);
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; defaults to stdout. Tests pass a stream and read the lines back. */
  destination?: DestinationStream;
  /** Extra fields on every line, e.g. `{ mode: 'local' }`. */
  base?: Record<string, unknown>;
}

/** Creates segbot's structured logger (pino, JSON lines) with secrets and customer data redacted. */
export function createLogger(options: LoggerOptions = {}): PinoLogger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'segbot', ...options.base },
      redact: { paths: [...REDACT_PATHS], censor: censorValue },
      hooks: { streamWrite: scrubTokens },
    },
    // Synchronous: segbot writes a few lines per request, and an asynchronous write still in flight
    // when the process exits (after "segbot stopped") would be lost.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * Adapts a pino logger to the logger interface @slack/bolt and its Web API client expect.
 *
 * The Slack SDK's debug output includes whole request bodies (message text, file names), so debug
 * lines are dropped here however verbose the logger is; info and above go through as messages.
 */
export function createSlackLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack-sdk' });
  let level: BoltLogLevel = BoltLogLevel.INFO;
  const write = (method: 'info' | 'warn' | 'error', args: unknown[]) => {
    const error = args.find((arg): arg is Error => arg instanceof Error);
    const message = args
      .filter((arg) => arg !== error)
      .map((arg) => (typeof arg === 'string' ? arg : format('%o', arg)))
      .join(' ');
    child[method](error ? { err: error } : {}, message);
  };
  return {
    debug: () => {},
    info: (...args: unknown[]) => write('info', args),
    warn: (...args: unknown[]) => write('warn', args),
    error: (...args: unknown[]) => write('error', args),
    setLevel: (next: BoltLogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
