import { ConfigError } from './errors.js';
import { readSourceCatalog, type SourceCatalog } from './sources/source-catalog.js';

/**
 * segbot's settings, read once at start-up from the environment by `readConfig`. Every variable the
 * program looks at is listed here and in `.env.example`, with its default and an example.
 */

/** How segbot talks to Slack. */
export type SlackConnection =
  /** Socket Mode: an outbound WebSocket, no public URL needed. */
  | { mode: 'socket'; botToken: string; appToken: string; signingSecret: string | undefined }
  /** HTTP: Slack posts events and commands to `PORT` at `/slack/events`, each one signed. */
  | { mode: 'http'; botToken: string; signingSecret: string }
  /** Local: no Slack at all; a loopback emulator and a terminal console stand in for it. */
  | { mode: 'local' };

export type SlackMode = SlackConnection['mode'];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  slack: SlackConnection;
  /** SLACK_API_URL: Web API base URL ending in `/`; undefined means Slack's own (https://slack.com/api/). */
  slackApiUrl: string | undefined;
  /** PORT: where the HTTP receiver listens (HTTP mode only). */
  port: number;
  /** SEGBOT_DB: the SQLite file (used when databaseUrl is not set). */
  dbPath: string;
  /**
   * SEGBOT_DATABASE_URL: a postgres:// URL that moves storage to PostgreSQL, so several instances
   * can share it; undefined keeps the SQLite file.
   */
  databaseUrl: string | undefined;
  /** SEGBOT_ADMINS: Slack user ids that are admins from the start. */
  admins: readonly string[];
  /** SEGBOT_MAX_UPLOAD_MB: uploads larger than this are refused before they are read into memory. */
  maxUploadMb: number;
  /** The same limit in bytes, so callers never multiply by hand. */
  maxUploadBytes: number;
  /** SEGBOT_CHANNEL_CONCURRENCY: how many channels may run jobs at the same time. */
  channelConcurrency: number;
  /** LOG_LEVEL: pino level. */
  logLevel: LogLevel;
  /** SEGBOT_CHART_DIR: where local mode saves the charts the bot posts. */
  chartDir: string;
  /**
   * SEGBOT_SLACK_TIMEOUT_SECONDS, in milliseconds: one Slack Web API request that has not answered
   * by then is abandoned and retried, so a hung call cannot hold a channel's job queue.
   */
  slackTimeoutMs: number;
  /**
   * SEGBOT_JOB_TIMEOUT_SECONDS, in milliseconds: a queued job (upload, segmentation, prediction)
   * still running by then is stopped (its worker terminated) and reported failed.
   */
  jobTimeoutMs: number;
  /**
   * SEGBOT_JOB_LEASE_SECONDS, in milliseconds: how long a job stays an instance's without a
   * heartbeat. An instance renews its jobs' leases several times per lease; once a lease has run
   * out (the instance died), another instance on the same database takes the job over.
   */
  jobLeaseMs: number;
  /** SEGBOT_SOURCES_FILE: the data sources `/segbot pull` reads (none when unset). */
  sources: SourceCatalog;
}

export const CONFIG_DEFAULTS = {
  port: 3000,
  dbPath: './data/segbot.sqlite',
  maxUploadMb: 200,
  channelConcurrency: 2,
  logLevel: 'info',
  chartDir: './out',
  slackTimeoutMs: 30_000,
  jobTimeoutMs: 900_000,
  jobLeaseMs: 30_000,
} as const satisfies Partial<Config>;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Turns the environment into a typed `Config`. The Slack mode follows from which tokens are set:
 * `SLACK_APP_TOKEN` (with a bot token) selects Socket Mode, a bot token with `SLACK_SIGNING_SECRET`
 * selects HTTP, and no bot token at all selects local mode.
 *
 * Throws `ConfigError` naming the first missing or malformed variable and how to fix it.
 */
export function readConfig(env: Env = process.env): Config {
  const maxUploadMb = readPositiveNumber(env, 'SEGBOT_MAX_UPLOAD_MB', CONFIG_DEFAULTS.maxUploadMb, '50');
  return {
    slack: readSlackConnection(env),
    slackApiUrl: readApiUrl(env),
    port: readPort(env),
    dbPath: read(env, 'SEGBOT_DB') ?? CONFIG_DEFAULTS.dbPath,
    databaseUrl: readDatabaseUrl(env),
    admins: readAdmins(env),
    maxUploadMb,
    maxUploadBytes: Math.floor(maxUploadMb * 1024 * 1024),
    channelConcurrency: readConcurrency(env),
    logLevel: readLogLevel(env),
    chartDir: read(env, 'SEGBOT_CHART_DIR') ?? CONFIG_DEFAULTS.chartDir,
    slackTimeoutMs: readSlackTimeoutMs(env),
    jobTimeoutMs: readJobTimeoutMs(env),
    jobLeaseMs: readSecondsAsMs(env, 'SEGBOT_JOB_LEASE_SECONDS', {
      fallbackMs: CONFIG_DEFAULTS.jobLeaseMs,
      max: 3600,
      example: '30',
    }),
    sources: readSourceCatalog(env),
  };
}

/** Empty and blank values count as unset, so `FOO=` in a .env file means "use the default". */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function readSlackConnection(env: Env): SlackConnection {
  const botToken = read(env, 'SLACK_BOT_TOKEN');
  const appToken = read(env, 'SLACK_APP_TOKEN');
  const signingSecret = read(env, 'SLACK_SIGNING_SECRET');

  if (botToken !== undefined) assertTokenShape('SLACK_BOT_TOKEN', botToken, 'xoxb-', 'Bot User OAuth Token');
  if (appToken !== undefined) assertTokenShape('SLACK_APP_TOKEN', appToken, 'xapp-', 'App-Level Token');
  if (signingSecret !== undefined && /\s/.test(signingSecret)) {
    throw new ConfigError(
      'SLACK_SIGNING_SECRET',
      'contains whitespace, so it cannot be a signing secret.',
      'Copy the Signing Secret again from your app\'s "Basic Information" page at https://api.slack.com/apps.',
    );
  }

  if (botToken === undefined) {
    // A half-configured Slack app must not silently fall back to local mode.
    if (appToken !== undefined || signingSecret !== undefined) {
      const other = appToken !== undefined ? 'SLACK_APP_TOKEN' : 'SLACK_SIGNING_SECRET';
      throw new ConfigError(
        'SLACK_BOT_TOKEN',
        `is not set, but ${other} is, so segbot cannot tell whether to connect to Slack.`,
        'Set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) from "OAuth & Permissions", or unset ' +
          `${other} to run in local mode.`,
      );
    }
    return { mode: 'local' };
  }
  if (appToken !== undefined) return { mode: 'socket', botToken, appToken, signingSecret };
  if (signingSecret === undefined) {
    throw new ConfigError(
      'SLACK_SIGNING_SECRET',
      'is not set; HTTP mode needs it to verify that requests come from Slack.',
      'Set it to the Signing Secret from your app\'s "Basic Information" page, or set SLACK_APP_TOKEN ' +
        '(xapp-…) to use Socket Mode instead.',
    );
  }
  return { mode: 'http', botToken, signingSecret };
}

function assertTokenShape(name: string, value: string, prefix: string, label: string): void {
  // Never echo the value: a mistyped token is still a secret.
  if (!value.startsWith(prefix) || /\s/.test(value) || value.length <= prefix.length) {
    throw new ConfigError(
      name,
      `does not look like a Slack ${label} (it must start with "${prefix}" and contain no spaces).`,
      prefix === 'xoxb-'
        ? 'Copy the Bot User OAuth Token from "OAuth & Permissions" at https://api.slack.com/apps.'
        : 'Create an App-Level Token with the connections:write scope under "Basic Information" → ' +
            '"App-Level Tokens" at https://api.slack.com/apps.',
    );
  }
}

function readApiUrl(env: Env): string | undefined {
  const value = read(env, 'SLACK_API_URL');
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      'SLACK_API_URL',
      `"${value}" is not a URL.`,
      'Use the Web API base URL, for example https://slack.com/api/ (or leave it unset).',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(
      'SLACK_API_URL',
      `must be an http(s) URL, not ${url.protocol}`,
      'Use e.g. https://slack.com/api/.',
    );
  }
  // The Web API client appends method names directly, so the base must end with a slash.
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function readPort(env: Env): number {
  const value = read(env, 'PORT');
  if (value === undefined) return CONFIG_DEFAULTS.port;
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port > 65535) {
    throw new ConfigError(
      'PORT',
      `"${value}" is not a TCP port.`,
      'Use a whole number from 1 to 65535 (0 picks any free port), e.g. PORT=3000.',
    );
  }
  return port;
}

function readAdmins(env: Env): readonly string[] {
  const value = read(env, 'SEGBOT_ADMINS');
  if (value === undefined) return [];
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  for (const id of ids) {
    if (!/^[UW][A-Z0-9]{2,}$/.test(id)) {
      throw new ConfigError(
        'SEGBOT_ADMINS',
        `"${id}" is not a Slack user id.`,
        'List member ids separated by commas, e.g. SEGBOT_ADMINS=U012AB3CD,U045EF6GH (in Slack: profile → ⋮ → "Copy member ID").',
      );
    }
  }
  return [...new Set(ids)];
}

function readPositiveNumber(env: Env, name: string, fallback: number, example: string): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(number) || number <= 0) {
    throw new ConfigError(
      name,
      `"${value}" is not a positive number.`,
      `Use a number of megabytes, e.g. ${name}=${example}.`,
    );
  }
  return number;
}

function readConcurrency(env: Env): number {
  const name = 'SEGBOT_CHANNEL_CONCURRENCY';
  const value = read(env, name);
  if (value === undefined) return CONFIG_DEFAULTS.channelConcurrency;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > 64) {
    throw new ConfigError(name, `"${value}" is not a whole number from 1 to 64.`, `Use e.g. ${name}=2.`);
  }
  return number;
}

function readSlackTimeoutMs(env: Env): number {
  return readSecondsAsMs(env, 'SEGBOT_SLACK_TIMEOUT_SECONDS', {
    fallbackMs: CONFIG_DEFAULTS.slackTimeoutMs,
    max: 600,
    example: '30',
  });
}

function readJobTimeoutMs(env: Env): number {
  return readSecondsAsMs(env, 'SEGBOT_JOB_TIMEOUT_SECONDS', {
    fallbackMs: CONFIG_DEFAULTS.jobTimeoutMs,
    max: 86_400,
    example: '900 (15 minutes)',
  });
}

/** A positive number of seconds up to `max` (decimals allowed), in milliseconds. */
function readSecondsAsMs(
  env: Env,
  name: string,
  limits: { fallbackMs: number; max: number; example: string },
): number {
  const value = read(env, name);
  if (value === undefined) return limits.fallbackMs;
  const number = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || number <= 0 || number > limits.max) {
    throw new ConfigError(
      name,
      `"${value}" is not a number of seconds from 0 to ${limits.max} (0 excluded).`,
      `Use e.g. ${name}=${limits.example}.`,
    );
  }
  return number * 1000;
}

function readLogLevel(env: Env): LogLevel {
  const value = read(env, 'LOG_LEVEL')?.toLowerCase();
  if (value === undefined) return CONFIG_DEFAULTS.logLevel;
  if (!isLogLevel(value)) {
    throw new ConfigError(
      'LOG_LEVEL',
      `"${value}" is not a log level.`,
      `Use one of: ${LOG_LEVELS.join(', ')}.`,
    );
  }
  return value;
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

function readDatabaseUrl(env: Env): string | undefined {
  const url = read(env, 'SEGBOT_DATABASE_URL');
  if (url === undefined) return undefined;
  if (!/^postgres(ql)?:\/\/[^/]/i.test(url)) {
    // The value may hold a password: the message describes it without quoting it.
    throw new ConfigError(
      'SEGBOT_DATABASE_URL',
      'is not a PostgreSQL URL (postgres://…).',
      'Set it like postgres://segbot:secret@db.internal:5432/segbot, or unset it to keep the SQLite file in SEGBOT_DB.',
    );
  }
  return url;
}
