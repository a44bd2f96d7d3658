import type { RespondFn } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { BadInputError, NotFoundError } from '../../../src/errors.js';
import { errorText, reportError, slackErrorCode } from '../../../src/slack/report-error.js';
import { createFakeClient, createRecordingLogger, slackPlatformError } from '../../helpers/command-args.js';

describe('errorText', () => {
  it('keeps a coded error’s message and hint, with its location', () => {
    const logger = createRecordingLogger();
    const error = new BadInputError('Row has 3 fields, expected 4.', {
      hint: 'Check the quoting.',
      location: { file: 'c.csv', line: 12 },
    });
    expect(errorText(error, logger, 'upload')).toBe(
      'c.csv, line 12: Row has 3 fields, expected 4.\nCheck the quoting.',
    );
    expect(logger.entries).toEqual([]);
  });

  it('escapes markup quoted from a file so it cannot mention the channel', () => {
    const error = new BadInputError('Unknown value <!channel> in column A & B.');
    expect(errorText(error, createRecordingLogger(), 'upload')).toBe(
      'Unknown value &lt;!channel&gt; in column A &amp; B.',
    );
  });

  it('turns not_in_channel into how to invite the bot', () => {
    const logger = createRecordingLogger();
    const text = errorText(slackPlatformError('not_in_channel'), logger, 'segment');
    expect(text).toMatch(/not a member of this channel/);
    expect(text).toMatch(/\/invite @segbot/);
    expect(logger.entries[0]).toMatchObject({ level: 'warn', obj: { slackError: 'not_in_channel' } });
  });

  it('names a missing scope', () => {
    const text = errorText(
      slackPlatformError('missing_scope', { needed: 'files:read' }),
      createRecordingLogger(),
      'x',
    );
    expect(text).toMatch(/missing a permission \(files:read\)/);
  });

  it('gives a generic sentence for unexpected errors and logs no message text', () => {
    const logger = createRecordingLogger();
    const text = errorText(new TypeError('customer C10001 has no BALANCE'), logger, 'segment');
    expect(text).toMatch(/^Something went wrong on our side/);
    expect(text).not.toMatch(/C10001/);
    expect(logger.entries).toHaveLength(1);
    expect(JSON.stringify(logger.entries)).not.toMatch(/C10001/);
    expect(logger.entries[0]).toMatchObject({
      level: 'error',
      obj: { where: 'segment', errorName: 'TypeError' },
    });
  });
});

describe('slackErrorCode', () => {
  it('reads platform, rate-limit and request errors', () => {
    expect(slackErrorCode(slackPlatformError('channel_not_found'))).toBe('channel_not_found');
    expect(slackErrorCode({ code: 'slack_webapi_rate_limited_error', retryAfter: 3 })).toBe('ratelimited');
    expect(slackErrorCode(new Error('x'))).toBeNull();
  });
});

describe('reportError', () => {
  it('answers ephemerally through respond when the command has one', async () => {
    const fake = createFakeClient();
    const responses: unknown[] = [];
    const text = await reportError(
      new NotFoundError('No data.', 'Upload a CSV.'),
      {
        client: fake.client,
        channelId: 'C1',
        userId: 'U1',
        respond: (async (m: unknown) => {
          responses.push(m);
        }) as unknown as RespondFn,
      },
      createRecordingLogger(),
      'x',
    );
    expect(text).toBe('No data.\nUpload a CSV.');
    expect(responses).toEqual([{ response_type: 'ephemeral', replace_original: false, text }]);
    expect(fake.calls).toEqual([]);
  });

  it('falls back to chat.postEphemeral in the thread when respond fails or is absent', async () => {
    const fake = createFakeClient();
    await reportError(
      new NotFoundError('Gone.'),
      {
        client: fake.client,
        channelId: 'C1',
        userId: 'U1',
        threadTs: '123.4',
        respond: async () => {
          throw new Error('expired');
        },
      },
      createRecordingLogger(),
      'x',
    );
    expect(fake.callsOf('chat.postEphemeral')).toEqual([
      { channel: 'C1', user: 'U1', text: 'Gone.', thread_ts: '123.4' },
    ]);
  });

  it('never throws, even when Slack refuses the ephemeral message', async () => {
    const fake = createFakeClient({ fail: () => slackPlatformError('not_in_channel') });
    const logger = createRecordingLogger();
    await expect(
      reportError(
        new NotFoundError('Gone.'),
        { client: fake.client, channelId: 'C1', userId: 'U1' },
        logger,
        'x',
      ),
    ).resolves.toBe('Gone.');
    expect(logger.entries.some((e) => e.level === 'error')).toBe(true);
  });
});
