import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySlackRequest } from '@slack/bolt';
import { type WebAPIPlatformError, type WebAPIRateLimitedError, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackEmulator, startSlackEmulator } from '../../../src/local/slack-emulator/index.js';
import { capturedSlackLog } from '../../helpers/captured-slack-log.js';

const TOKEN = 'xoxb-test-emulator';
const SECRET = 'emulator-signing-secret';
const CHANNEL = 'C0TEST001';
const USER = 'U0PERSON1';

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A stand-in for the app's receiver: records every request and answers with `reply`. */
async function startReceiver(
  reply: () => { status: number; body: string } = () => ({ status: 200, body: '' }),
) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        headers: request.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString(),
      });
      const { status, body } = reply();
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  return { received, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function platformError(error: unknown): string | undefined {
  return (error as WebAPIPlatformError).data?.error;
}

describe('slack emulator: Web API', () => {
  let emulator: SlackEmulator;
  let client: WebClient;
  let log: ReturnType<typeof capturedSlackLog>;
  beforeEach(async () => {
    log = capturedSlackLog();
    let clock = 1_700_000_000_000;
    emulator = await startSlackEmulator({
      botToken: TOKEN,
      signingSecret: SECRET,
      now: () => (clock += 1000),
    });
    client = new WebClient(TOKEN, {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 2, factor: 1, minTimeout: 1, maxTimeout: 5 },
      logger: log.logger,
    });
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('answers auth.test for the bot token and invalid_auth for any other', async () => {
    const me = await client.auth.test();
    expect(me).toMatchObject({
      ok: true,
      user_id: emulator.botUserId,
      bot_id: emulator.botId,
      team_id: emulator.teamId,
    });
    const stranger = new WebClient('xoxb-someone-else', { slackApiUrl: emulator.apiUrl });
    await expect(stranger.auth.test()).rejects.toSatisfy((error) => platformError(error) === 'invalid_auth');
  });

  it('stores posted messages and threads, and serves history and replies like Slack', async () => {
    const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'parent' });
    await client.chat.postMessage({ channel: CHANNEL, text: 'reply', thread_ts: parent.ts! });
    await client.chat.postMessage({ channel: CHANNEL, text: 'later' });

    const history = await client.conversations.history({ channel: CHANNEL });
    expect(history.messages?.map((m) => m.text)).toEqual(['later', 'parent']);
    expect(history.messages?.[1]).toMatchObject({ reply_count: 1, thread_ts: parent.ts });

    const replies = await client.conversations.replies({ channel: CHANNEL, ts: parent.ts! });
    expect(replies.messages?.map((m) => m.text)).toEqual(['parent', 'reply']);
    expect(emulator.messages(CHANNEL, { threadTs: parent.ts! })).toHaveLength(2);
    expect(emulator.messages(CHANNEL).map((m) => m.user)).toEqual([
      emulator.botUserId,
      emulator.botUserId,
      emulator.botUserId,
    ]);
  });

  it('pages conversations.history with a cursor', async () => {
    for (let i = 0; i < 5; i++) await client.chat.postMessage({ channel: CHANNEL, text: `m${i}` });
    const first = await client.conversations.history({ channel: CHANNEL, limit: 3 });
    expect(first.has_more).toBe(true);
    const second = await client.conversations.history({
      channel: CHANNEL,
      limit: 3,
      cursor: first.response_metadata!.next_cursor!,
    });
    expect([...first.messages!, ...second.messages!].map((m) => m.text)).toEqual([
      'm4',
      'm3',
      'm2',
      'm1',
      'm0',
    ]);
    expect(second.has_more).toBe(false);
  });

  it('updates and deletes only the bot’s own messages', async () => {
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'Stage 1 of 3' });
    await client.chat.update({ channel: CHANNEL, ts: posted.ts!, text: 'Stage 2 of 3' });
    expect(emulator.messages(CHANNEL)[0]).toMatchObject({ text: 'Stage 2 of 3', edited: true });

    const receiver = await startReceiver();
    emulator.setEventsUrl(receiver.url);
    const { message } = await emulator.say(CHANNEL, USER, 'hello');
    await expect(client.chat.update({ channel: CHANNEL, ts: message.ts, text: 'x' })).rejects.toSatisfy(
      (error) => platformError(error) === 'cant_update_message',
    );
    await client.chat.delete({ channel: CHANNEL, ts: posted.ts! });
    expect(emulator.messages(CHANNEL).map((m) => m.text)).toEqual(['hello']);
    await receiver.close();
  });

  it('refuses messages over Block Kit limits with invalid_blocks, as Slack does', async () => {
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    const tooMany = Array.from({ length: 51 }, () => section('x'));
    await expect(client.chat.postMessage({ channel: CHANNEL, text: 't', blocks: tooMany })).rejects.toSatisfy(
      (error) => platformError(error) === 'invalid_blocks',
    );
    await expect(
      client.chat.postMessage({ channel: CHANNEL, text: 't', blocks: [section('a'.repeat(3001))] }),
    ).rejects.toSatisfy((error) => platformError(error) === 'invalid_blocks');
    await client.chat.postMessage({ channel: CHANNEL, text: 't', blocks: [section('a'.repeat(3000))] });
    expect(emulator.messages(CHANNEL)).toHaveLength(1);
    // The client logs Slack's pointer to the offending block, as it does against Slack.
    expect(log.lines.join('\n')).toMatch(
      /error .*must provide no more than 50 items \[json-pointer:\/blocks\]/,
    );
    expect(log.lines.join('\n')).toMatch(
      /must be less than 3001 characters \[json-pointer:\/blocks\/0\/text\/text\]/,
    );
  });

  it('answers not_in_channel until the bot joins', async () => {
    emulator.addChannel({ id: 'C0OUTSIDE', name: 'outside', botIsMember: false });
    await expect(client.chat.postMessage({ channel: 'C0OUTSIDE', text: 'hi' })).rejects.toSatisfy(
      (error) => platformError(error) === 'not_in_channel',
    );
    await client.conversations.join({ channel: 'C0OUTSIDE' });
    await client.chat.postMessage({ channel: 'C0OUTSIDE', text: 'hi' });
    expect(emulator.messages('C0OUTSIDE')).toHaveLength(1);
  });

  it('receives files.uploadV2 (get URL, upload bytes, complete) and shares the file in the thread', async () => {
    const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'charts below' });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const result = await client.files.uploadV2({
      channel_id: CHANNEL,
      thread_ts: parent.ts!,
      file: png,
      filename: 'segment-sizes.png',
      title: 'Segment sizes',
      initial_comment: 'Sizes',
    });
    expect(result.ok).toBe(true);
    expect(emulator.calls().map((c) => c.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    const [file] = emulator.files(CHANNEL);
    expect(file).toMatchObject({
      name: 'segment-sizes.png',
      title: 'Segment sizes',
      filetype: 'png',
      size: png.length,
    });
    expect(Buffer.from(file!.bytes).equals(png)).toBe(true);
    const shared = emulator.messages(CHANNEL, { threadTs: parent.ts! }).at(-1);
    expect(shared).toMatchObject({ threadTs: parent.ts, text: 'Sizes', subtype: 'file_share' });
    const info = await client.files.info({ file: file!.id });
    expect(info.file).toMatchObject({ id: file!.id, mimetype: 'image/png' });
  });

  it('retries after a 429 with Retry-After, and reports it when the client rejects rate-limited calls', async () => {
    emulator.failNext('chat.postMessage', { retryAfter: 0 });
    await client.chat.postMessage({ channel: CHANNEL, text: 'after retry' });
    expect(emulator.calls('chat.postMessage')).toHaveLength(2);
    expect(emulator.messages(CHANNEL).map((m) => m.text)).toEqual(['after retry']);

    const strict = new WebClient(TOKEN, {
      slackApiUrl: emulator.apiUrl,
      rejectRateLimitedCalls: true,
      logger: log.logger,
    });
    emulator.failNext('conversations.replies', { retryAfter: 7 });
    await expect(strict.conversations.replies({ channel: CHANNEL, ts: '1.0' })).rejects.toSatisfy(
      (error) => (error as WebAPIRateLimitedError).retryAfter === 7,
    );
    expect(log.lines.some((line) => /rate limit/i.test(line))).toBe(true);
  });

  it('injects Slack errors for the next N calls of a method', async () => {
    emulator.failNext('chat.postMessage', { error: 'not_in_channel', times: 2 });
    for (let i = 0; i < 2; i++) {
      await expect(client.chat.postMessage({ channel: CHANNEL, text: 'x' })).rejects.toSatisfy(
        (error) => platformError(error) === 'not_in_channel',
      );
    }
    await client.chat.postMessage({ channel: CHANNEL, text: 'third time' });
    expect(emulator.messages(CHANNEL).map((m) => m.text)).toEqual(['third time']);
  });

  it('gives users a timezone and its offset', async () => {
    emulator.addUser({ id: 'U0TOKYO01', name: 'kenji', tz: 'Asia/Tokyo' });
    const { user } = await client.users.info({ user: 'U0TOKYO01' });
    expect(user).toMatchObject({ id: 'U0TOKYO01', tz: 'Asia/Tokyo', tz_offset: 9 * 3600 });
  });

  it('stores ephemeral messages for one user and keeps them out of history', async () => {
    await client.chat.postEphemeral({ channel: CHANNEL, user: USER, text: 'only you' });
    expect(emulator.messages(CHANNEL)).toMatchObject([{ text: 'only you', ephemeralTo: USER }]);
    const history = await client.conversations.history({ channel: CHANNEL });
    expect(history.messages).toEqual([]);
  });

  it('rejects waitFor with a description when the condition never holds', async () => {
    await expect(emulator.waitFor(() => false, { timeoutMs: 20, what: 'a miracle' })).rejects.toThrow(
      'waiting for a miracle',
    );
  });
});

describe('slack emulator: events, commands and files sent to the app', () => {
  let emulator: SlackEmulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let reply = { status: 200, body: '' };
  beforeEach(async () => {
    reply = { status: 200, body: '' };
    emulator = await startSlackEmulator({ botToken: TOKEN, signingSecret: SECRET });
    receiver = await startReceiver(() => reply);
    emulator.setEventsUrl(receiver.url);
  });
  afterEach(async () => {
    await emulator.close();
    await receiver.close();
  });

  function verify(request: Received) {
    verifySlackRequest({
      signingSecret: SECRET,
      body: request.body,
      headers: {
        'x-slack-signature': request.headers['x-slack-signature']!,
        'x-slack-request-timestamp': Number(request.headers['x-slack-request-timestamp']),
      },
    });
  }

  it('sends a signed file_share message event whose file downloads only with the bot token', async () => {
    const csv = new TextEncoder().encode('CUST_ID,BALANCE\nC1,10\n');
    const { file, delivery } = await emulator.shareFile(CHANNEL, USER, 'customers.csv', csv);
    expect(delivery.status).toBe(200);
    expect(receiver.received).toHaveLength(1);
    const request = receiver.received[0]!;
    expect(() => verify(request)).not.toThrow();
    const envelope = JSON.parse(request.body);
    expect(envelope).toMatchObject({
      type: 'event_callback',
      team_id: emulator.teamId,
      event: {
        type: 'message',
        subtype: 'file_share',
        channel: CHANNEL,
        user: USER,
        files: [{ id: file.id, name: 'customers.csv', filetype: 'csv', size: csv.length }],
      },
    });

    const url = envelope.event.files[0].url_private_download as string;
    const good = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(good.headers.get('content-type')).toBe('text/csv');
    expect(await good.text()).toBe('CUST_ID,BALANCE\nC1,10\n');

    const variants: Record<string, string>[] = [{}, { authorization: 'Bearer xoxb-wrong' }];
    for (const headers of variants) {
      const bad = await fetch(url, { headers });
      expect(bad.status).toBe(200);
      expect(bad.headers.get('content-type')).toContain('text/html');
      expect(await bad.text()).toContain('<!DOCTYPE html>');
    }
  });

  it('sends a signed, form-encoded slash command whose response_url posts back into the channel', async () => {
    const delivery = await emulator.sendCommand(CHANNEL, USER, 'segment k=auto');
    expect(delivery.status).toBe(200);
    const request = receiver.received[0]!;
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(() => verify(request)).not.toThrow();
    const form = new URLSearchParams(request.body);
    expect(form.get('command')).toBe('/segbot');
    expect(form.get('text')).toBe('segment k=auto');
    expect(form.get('channel_id')).toBe(CHANNEL);
    expect(form.get('user_id')).toBe(USER);
    expect(form.get('response_url')).toBe(delivery.responseUrl);

    const post = (body: object) =>
      fetch(delivery.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ text: 'only for you' })).status).toBe(200);
    expect((await post({ text: 'for everyone', response_type: 'in_channel' })).status).toBe(200);
    expect(emulator.messages(CHANNEL)).toMatchObject([
      { text: 'only for you', ephemeralTo: USER },
      { text: 'for everyone', user: emulator.botUserId },
    ]);
    expect(emulator.messages(CHANNEL)[1]!.ephemeralTo).toBeUndefined();
    for (let i = 0; i < 3; i++) await post({ text: `more ${i}` });
    expect((await post({ text: 'sixth' })).status).toBe(404);
  });

  it('replaces its own earlier response when asked to (replace_original)', async () => {
    const { responseUrl } = await emulator.sendCommand(CHANNEL, USER, 'segment');
    const post = (body: object) =>
      fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post({ text: 'Working…' });
    await post({ text: 'Done', replace_original: true });
    expect(emulator.messages(CHANNEL)).toMatchObject([{ text: 'Done', ephemeralTo: USER, edited: true }]);
  });

  it('shows a message carried by the acknowledgement to the user who typed the command', async () => {
    reply = { status: 200, body: JSON.stringify({ text: 'Working on it' }) };
    await emulator.sendCommand(CHANNEL, USER, 'runs');
    expect(emulator.messages(CHANNEL)).toMatchObject([{ text: 'Working on it', ephemeralTo: USER }]);
  });

  it('tells the user the command failed when the app answers with an error status', async () => {
    reply = { status: 401, body: '' };
    const delivery = await emulator.sendCommand(CHANNEL, USER, 'help');
    expect(delivery.status).toBe(401);
    expect(emulator.messages(CHANNEL)[0]).toMatchObject({ user: 'USLACKBOT', ephemeralTo: USER });
    expect(emulator.messages(CHANNEL)[0]!.text).toContain('dispatch_failed');
  });

  it('sends the message and the app_mention for a mention in a thread', async () => {
    const { message } = await emulator.mention(CHANNEL, '1700000000.000100', USER, 'movers 1 2');
    const events = receiver.received.map((request) => JSON.parse(request.body).event);
    expect(events.map((event) => event.type)).toEqual(['message', 'app_mention']);
    expect(events[1]).toMatchObject({
      text: `<@${emulator.botUserId}> movers 1 2`,
      thread_ts: '1700000000.000100',
      ts: message.ts,
      channel: CHANNEL,
    });
  });

  it('signs with the wall clock even when message timestamps follow an injected clock', async () => {
    await emulator.close();
    emulator = await startSlackEmulator({ botToken: TOKEN, signingSecret: SECRET, now: () => 0 });
    emulator.setEventsUrl(receiver.url);
    await emulator.say(CHANNEL, USER, 'hi');
    expect(() => verify(receiver.received[0]!)).not.toThrow();
  });
});
