import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, readConfig } from '../../src/config.js';
import { ConfigError, userMessage } from '../../src/errors.js';

const BOT = 'xoxb-1111-2222-abcDEF';
const APP = 'xapp-1-A111-333-abc';
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

function configError(env: Record<string, string>): ConfigError {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('readConfig accepted the environment');
}

describe('readConfig: Slack mode', () => {
  it('runs in local mode with documented defaults when nothing is set', () => {
    const config = readConfig({});
    expect(config.slack).toEqual({ mode: 'local' });
    expect(config).toMatchObject({
      port: 3000,
      dbPath: './data/segbot.sqlite',
      admins: [],
      maxUploadMb: 200,
      maxUploadBytes: 200 * 1024 * 1024,
      channelConcurrency: 2,
      logLevel: 'info',
      chartDir: './out',
      slackApiUrl: undefined,
    });
    expect(CONFIG_DEFAULTS.port).toBe(3000);
  });

  it('treats blank values as unset', () => {
    expect(readConfig({ SLACK_BOT_TOKEN: '  ', PORT: '', LOG_LEVEL: ' ' })).toMatchObject({
      slack: { mode: 'local' },
      port: 3000,
      logLevel: 'info',
    });
  });

  it('selects HTTP mode with a bot token and a signing secret', () => {
    const config = readConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, PORT: '8080' });
    expect(config.slack).toEqual({ mode: 'http', botToken: BOT, signingSecret: SECRET });
    expect(config.port).toBe(8080);
  });

  it('selects Socket Mode when an app token is set as well', () => {
    const config = readConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    expect(config.slack).toEqual({ mode: 'socket', botToken: BOT, appToken: APP, signingSecret: undefined });
  });

  it('refuses an app token without a bot token instead of falling back to local mode', () => {
    const error = configError({ SLACK_APP_TOKEN: APP });
    expect(error.variable).toBe('SLACK_BOT_TOKEN');
    expect(error.message).toContain('SLACK_APP_TOKEN is');
    expect(error.hint).toContain('xoxb-');
  });

  it('refuses a signing secret without a bot token', () => {
    expect(configError({ SLACK_SIGNING_SECRET: SECRET }).variable).toBe('SLACK_BOT_TOKEN');
  });

  it('asks for the signing secret (or an app token) when only the bot token is set', () => {
    const error = configError({ SLACK_BOT_TOKEN: BOT });
    expect(error.variable).toBe('SLACK_SIGNING_SECRET');
    expect(error.hint).toContain('SLACK_APP_TOKEN');
  });

  it.each([
    ['a user token', 'xoxp-123-456'],
    ['a token with a space', 'xoxb-123 456'],
    ['a bare prefix', 'xoxb-'],
  ])('rejects %s as SLACK_BOT_TOKEN without echoing it', (_label, token) => {
    const error = configError({ SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: SECRET });
    expect(error.variable).toBe('SLACK_BOT_TOKEN');
    expect(error.message).toContain('"xoxb-"');
    expect(userMessage(error)).not.toContain(token.slice(5) || 'never');
  });

  it('rejects an app token of the wrong kind', () => {
    const error = configError({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: 'xoxb-not-an-app-token' });
    expect(error.variable).toBe('SLACK_APP_TOKEN');
    expect(error.hint).toContain('connections:write');
  });

  it('rejects a signing secret with whitespace in it', () => {
    const error = configError({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 'abc def' });
    expect(error.variable).toBe('SLACK_SIGNING_SECRET');
    expect(userMessage(error)).not.toContain('abc def');
  });
});

describe('readConfig: other variables', () => {
  it.each(['abc', '-1', '70000', '3000.5'])('rejects PORT=%s', (port) => {
    const error = configError({ PORT: port });
    expect(error.variable).toBe('PORT');
    expect(userMessage(error)).toMatch(/^PORT: .*\nUse a whole number/);
  });

  it('normalizes SLACK_API_URL to end in a slash', () => {
    expect(readConfig({ SLACK_API_URL: 'http://127.0.0.1:9999/api' }).slackApiUrl).toBe(
      'http://127.0.0.1:9999/api/',
    );
    expect(readConfig({ SLACK_API_URL: 'https://slack-gov.com/api/' }).slackApiUrl).toBe(
      'https://slack-gov.com/api/',
    );
  });

  it.each(['not a url', 'ftp://files.example.com/api/'])('rejects SLACK_API_URL=%s', (url) => {
    expect(configError({ SLACK_API_URL: url }).variable).toBe('SLACK_API_URL');
  });

  it('reads SEGBOT_DB and SEGBOT_CHART_DIR as given', () => {
    expect(
      readConfig({ SEGBOT_DB: '/var/lib/segbot/db.sqlite', SEGBOT_CHART_DIR: 'charts-out' }),
    ).toMatchObject({
      dbPath: '/var/lib/segbot/db.sqlite',
      chartDir: 'charts-out',
    });
  });

  it('parses SEGBOT_ADMINS as a comma-separated list of user ids, without duplicates', () => {
    expect(readConfig({ SEGBOT_ADMINS: ' U012AB3CD, W045EF6GH,,U012AB3CD ' }).admins).toEqual([
      'U012AB3CD',
      'W045EF6GH',
    ]);
  });

  it('rejects an admin entry that is not a user id (e.g. a display name)', () => {
    const error = configError({ SEGBOT_ADMINS: 'U012AB3CD,@dana' });
    expect(error.variable).toBe('SEGBOT_ADMINS');
    expect(error.message).toContain('"@dana"');
  });

  it('converts SEGBOT_MAX_UPLOAD_MB to bytes', () => {
    expect(readConfig({ SEGBOT_MAX_UPLOAD_MB: '1.5' })).toMatchObject({
      maxUploadMb: 1.5,
      maxUploadBytes: 1572864,
    });
  });

  it.each(['0', 'abc', '-5', '1e3', '200MB'])('rejects SEGBOT_MAX_UPLOAD_MB=%s', (value) => {
    expect(configError({ SEGBOT_MAX_UPLOAD_MB: value }).variable).toBe('SEGBOT_MAX_UPLOAD_MB');
  });

  it.each(['0', '65', 'two', '1.5'])('rejects SEGBOT_CHANNEL_CONCURRENCY=%s', (value) => {
    expect(configError({ SEGBOT_CHANNEL_CONCURRENCY: value }).variable).toBe('SEGBOT_CHANNEL_CONCURRENCY');
  });

  it('reads SEGBOT_SLACK_TIMEOUT_SECONDS as milliseconds, 30 s by default', () => {
    expect(readConfig({}).slackTimeoutMs).toBe(30_000);
    expect(readConfig({ SEGBOT_SLACK_TIMEOUT_SECONDS: '2.5' }).slackTimeoutMs).toBe(2500);
  });

  it.each(['0', '-1', 'soon', '601'])('rejects SEGBOT_SLACK_TIMEOUT_SECONDS=%s', (value) => {
    expect(configError({ SEGBOT_SLACK_TIMEOUT_SECONDS: value }).variable).toBe(
      'SEGBOT_SLACK_TIMEOUT_SECONDS',
    );
  });

  it('reads SEGBOT_JOB_TIMEOUT_SECONDS as milliseconds, 15 minutes by default', () => {
    expect(readConfig({}).jobTimeoutMs).toBe(900_000);
    expect(readConfig({ SEGBOT_JOB_TIMEOUT_SECONDS: '1800' }).jobTimeoutMs).toBe(1_800_000);
  });

  it.each(['0', '-5', '15m', '86401'])('rejects SEGBOT_JOB_TIMEOUT_SECONDS=%s with an example', (value) => {
    const error = configError({ SEGBOT_JOB_TIMEOUT_SECONDS: value });
    expect(error.variable).toBe('SEGBOT_JOB_TIMEOUT_SECONDS');
    expect(error.hint).toContain('SEGBOT_JOB_TIMEOUT_SECONDS=900');
  });

  it('reads SEGBOT_CHANNEL_CONCURRENCY', () => {
    expect(readConfig({ SEGBOT_CHANNEL_CONCURRENCY: '4' }).channelConcurrency).toBe(4);
  });

  it('accepts LOG_LEVEL in any case and rejects unknown levels with the list of valid ones', () => {
    expect(readConfig({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    const error = configError({ LOG_LEVEL: 'verbose' });
    expect(error.variable).toBe('LOG_LEVEL');
    expect(error.hint).toContain('fatal, error, warn, info, debug, trace, silent');
  });
});
