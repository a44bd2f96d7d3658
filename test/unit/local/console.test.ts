import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConsoleSlack, startConsole } from '../../../src/local/console.js';
import type {
  EmulatedFile,
  EmulatedMessage,
  EmulatorActivity,
} from '../../../src/local/slack-emulator/index.js';

const CHANNEL = 'C0LOCAL001';
const USER = 'U0LOCAL001';
const BOT = 'U0SEGBOT';

function fakeSlack() {
  const listeners = new Set<(activity: EmulatorActivity) => void>();
  const calls: { kind: string; args: unknown[] }[] = [];
  const slack: ConsoleSlack = {
    botUserId: BOT,
    async sendCommand(...args) {
      calls.push({ kind: 'command', args });
      return { status: 200 };
    },
    async shareFile(...args) {
      calls.push({ kind: 'share', args });
    },
    async mention(...args) {
      calls.push({ kind: 'mention', args });
    },
    async say(...args) {
      calls.push({ kind: 'say', args });
    },
    onActivity(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async pressButton(...args) {
      calls.push({ kind: 'press', args });
      return { status: 200 };
    },
    async submitView(...args) {
      calls.push({ kind: 'submit', args });
      return {};
    },
    async openHome(...args) {
      calls.push({ kind: 'home', args });
    },
    openModal: () => undefined,
    home: () => undefined,
    waitFor: () => Promise.reject(new Error('nothing to wait for here')),
  };
  const post = (message: Partial<EmulatedMessage>) => {
    const full: EmulatedMessage = {
      channel: CHANNEL,
      ts: '1.000001',
      user: BOT,
      botId: 'B1',
      text: '',
      ...message,
    };
    for (const listener of listeners) listener({ kind: 'posted', message: full });
  };
  return { slack, calls, post };
}

function png(name: string, bytes: number[]): EmulatedFile {
  return {
    id: 'F1',
    name,
    title: 'Segment sizes',
    mimetype: 'image/png',
    filetype: 'png',
    size: bytes.length,
    user: BOT,
    created: 0,
    channels: [CHANNEL],
    bytes: new Uint8Array(bytes),
    urlPrivate: '',
    urlPrivateDownload: '',
  };
}

describe('local console', () => {
  let dir: string;
  let input: PassThrough;
  let output: PassThrough;
  let written: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'segbot-console-'));
    input = new PassThrough();
    output = new PassThrough();
    written = '';
    output.on('data', (chunk) => {
      written += String(chunk);
    });
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function start(
    slack: ConsoleSlack,
    extra: {
      readFile?: (path: string) => Promise<Uint8Array>;
      ready?: Promise<void>;
      clock?: { now(): Date; advance(ms: number): void };
    } = {},
  ) {
    return startConsole({
      slack,
      input,
      output,
      channel: CHANNEL,
      user: USER,
      names: { [USER]: 'you' },
      chartDir: join(dir, 'out'),
      interactive: false,
      ...extra,
    });
  }

  it('sends /segbot lines as slash commands and other lines as mentions or messages', async () => {
    const { slack, calls } = fakeSlack();
    const session = start(slack);
    input.end('/segbot segment k=auto\n@segbot movers 1 2\nhello team\n');
    await session.closed;
    expect(calls).toEqual([
      { kind: 'command', args: [CHANNEL, USER, 'segment k=auto'] },
      { kind: 'mention', args: [CHANNEL, undefined, USER, 'movers 1 2'] },
      { kind: 'say', args: [CHANNEL, USER, 'hello team'] },
    ]);
  });

  it('shares a file named by /upload under its own name', async () => {
    const { slack, calls } = fakeSlack();
    const bytes = new TextEncoder().encode('CUST_ID,BALANCE\nC1,1\n');
    const read: string[] = [];
    const session = start(slack, {
      readFile: async (path) => {
        read.push(path);
        return bytes;
      },
    });
    input.end('/upload data/my customers.csv\n');
    await session.closed;
    expect(read).toEqual(['data/my customers.csv']);
    expect(calls).toEqual([{ kind: 'share', args: [CHANNEL, USER, 'my customers.csv', bytes] }]);
    expect(written).toContain('you shared my customers.csv (21 bytes)');
    expect(written).not.toContain('imports only CSV files');
  });

  it('says why nothing follows when the shared file is not a table', async () => {
    const { slack, calls } = fakeSlack();
    const session = start(slack, { readFile: async () => new TextEncoder().encode('# Notes\n') });
    input.end('/upload README.md\n');
    await session.closed;
    expect(calls).toHaveLength(1);
    expect(written).toContain('you shared README.md (8 bytes)');
    expect(written).toContain('segbot imports only CSV files (.csv), so it leaves README.md alone.');
  });

  it('says so when the file to upload does not exist, and shares nothing', async () => {
    const { slack, calls } = fakeSlack();
    const session = start(slack);
    input.end(`/upload ${join(dir, 'nope.csv')}\n/upload\n`);
    await session.closed;
    expect(calls).toEqual([]);
    expect(written).toContain(`No file at ${join(dir, 'nope.csv')}.`);
    expect(written).toContain('Say which file: /upload path/to/file.csv');
  });

  it('prints its help, and a hint for commands it does not know', async () => {
    const { slack, calls } = fakeSlack();
    const session = start(slack);
    input.end('/help\n/invite @segbot\n');
    await session.closed;
    expect(written).toContain('/upload path/to/file.csv');
    expect(written).toContain('/invite is not a command here. Type /help for the list.');
    expect(calls).toEqual([]);
  });

  it('moves the app clock forward with /clock and refuses anything else', async () => {
    const { slack, calls } = fakeSlack();
    let now = Date.UTC(2026, 10, 22, 9, 0);
    const session = start(slack, {
      clock: {
        now: () => new Date(now),
        advance: (ms) => {
          now += ms;
        },
      },
    });
    input.end('/clock +7d\n/clock yesterday\n/clock\n');
    await session.closed;
    expect(now).toBe(Date.UTC(2026, 10, 29, 9, 0));
    expect(written).toContain('Time is now 2026-11-29 09:00 UTC.');
    expect(written).toContain('"yesterday" is not a step forward in time.');
    expect(calls).toEqual([]);
  });

  it('stops reading at /quit', async () => {
    const { slack, calls } = fakeSlack();
    const session = start(slack);
    input.write('/quit\n/segbot runs\n');
    await session.closed;
    expect(calls).toEqual([]);
  });

  it('holds typed lines until it is ready', async () => {
    const { slack, calls } = fakeSlack();
    let release: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      release = resolve;
    });
    const session = start(slack, { ready });
    input.write('/segbot runs\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([]);
    release();
    input.end();
    await session.closed;
    expect(calls).toHaveLength(1);
  });

  it('prints the bot’s messages as text and only the ephemeral ones meant for this user', async () => {
    const { slack, post } = fakeSlack();
    const session = start(slack);
    post({
      text: 'fallback',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Segments' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*1. Revolvers* — 902 customers &amp; more' } },
      ],
    });
    post({ text: ':key: <@U0LOCAL001> allowed it :unlock: :wastebasket: <@U0OTHER01>', ts: '1.000002' });
    post({ text: 'for someone else', ephemeralTo: 'U0OTHER01' });
    post({ text: 'for you', ephemeralTo: USER });
    post({ text: 'in a thread', threadTs: '1.000001' });
    post({ text: 'a person said this', user: 'U0OTHER01', botId: undefined });
    post({ text: 'elsewhere', channel: 'C0ELSEWHERE' });
    input.end();
    await session.closed;
    expect(written).toContain('segbot:\n  SEGMENTS\n  *1. Revolvers* — 902 customers & more\n');
    expect(written).not.toContain('fallback');
    // The person is "@you", as the banner says; emoji the bot uses read as emoji.
    expect(written).toContain('segbot:\n  🔑 @you allowed it 🔓 🗑️ @U0OTHER01\n');
    expect(written).toContain('segbot (only you):\n  for you');
    expect(written).toContain('segbot (in thread):\n    in a thread');
    expect(written).not.toContain('someone else');
    expect(written).not.toContain('a person said this');
    expect(written).not.toContain('elsewhere');
  });

  it('saves the bot’s charts under the chart directory without overwriting earlier ones', async () => {
    const { slack, post } = fakeSlack();
    const session = start(slack);
    post({ text: 'Charts', files: [png('segment-sizes.png', [0x89, 0x50, 1])] });
    post({ text: 'Charts again', files: [png('segment-sizes.png', [0x89, 0x50, 2])] });
    input.end();
    await session.closed;
    const first = join(dir, 'out', 'segment-sizes.png');
    const second = join(dir, 'out', 'segment-sizes-2.png');
    expect([...readFileSync(first)]).toEqual([0x89, 0x50, 1]);
    expect([...readFileSync(second)]).toEqual([0x89, 0x50, 2]);
    expect(written).toContain(`[chart saved] ${first}  (Segment sizes)`);
    expect(written).toContain(`[chart saved] ${second}  (Segment sizes)`);
  });

  it('deletes the files it saved for the channel once segbot has forgotten the channel’s data', async () => {
    const { slack, post } = fakeSlack();
    const session = start(slack);
    post({ text: 'Charts', files: [png('segment-sizes-run-1.png', [0x89, 0x50, 1])] });
    post({
      text: 'Scores',
      files: [{ ...png('has_personal_loan-scores.csv', [0x43]), mimetype: 'text/csv' }],
    });
    post({
      text: `:wastebasket: <@${USER}> asked segbot to forget this channel’s data. Deleted 1 dataset version.`,
    });
    input.end();
    await session.closed;
    expect(existsSync(join(dir, 'out', 'segment-sizes-run-1.png'))).toBe(false);
    expect(existsSync(join(dir, 'out', 'has_personal_loan-scores.csv'))).toBe(false);
    expect(written).toContain(
      `Local mode: also deleted the 2 files segbot had posted here from ${join(dir, 'out')}/.`,
    );
  });
});
