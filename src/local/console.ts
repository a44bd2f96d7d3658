import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { FORGOTTEN } from '../../commands/forget.js';
import { parseClockAdvance } from '../jobs/settable-clock.js';
import { formatBytes } from '../slack/blocks/format.js';
import { type ConsoleInteractionsSlack, createConsoleInteractions } from './console-interactions.js';
import type { EmulatedFile, EmulatedMessage, EmulatorActivity } from './slack-emulator/index.js';

/**
 * The terminal side of local mode: reads what a person types, turns it into Slack actions (slash
 * commands, file shares, mentions) and prints what the bot posts as plain text, saving its charts
 * as files. It only talks to Slack through `ConsoleSlack`, so the emulator stays free of terminal I/O.
 */

/** What the console needs from Slack (the loopback emulator provides it). */
export interface ConsoleSlack extends ConsoleInteractionsSlack {
  readonly botUserId: string;
  sendCommand(channel: string, user: string, text: string): Promise<{ status: number }>;
  shareFile(channel: string, user: string, name: string, bytes: Uint8Array): Promise<unknown>;
  mention(channel: string, threadTs: string | undefined, user: string, text: string): Promise<unknown>;
  say(channel: string, user: string, text: string): Promise<unknown>;
  onActivity(listener: (activity: EmulatorActivity) => void): () => void;
}

export interface ConsoleOptions {
  slack: ConsoleSlack;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The channel the person is in, and who they are. */
  channel: string;
  user: string;
  /** People's names by user id, shown instead of the id wherever the bot mentions them. */
  names: Readonly<Record<string, string>>;
  /** Where the bot's charts and files are saved. */
  chartDir: string;
  /**
   * Whether a person is typing (prompt, lines sent as typed). Otherwise (piped input) each line
   * waits for `settle` so a script reads like a conversation. Defaults to the input being a TTY.
   */
  interactive?: boolean;
  /** Resolves once the bot has finished what the last line started. */
  settle?: () => Promise<void>;
  readFile?: (path: string) => Promise<Uint8Array>;
  /** Lines typed before this resolves wait for it (local mode shares its sample data first). */
  ready?: Promise<void>;
  /** The app's clock, when `/clock +7d` may move it forward (to see a weekly digest now). */
  clock?: { now(): Date; advance(ms: number): void };
}

export interface LocalConsole {
  /** Resolves when the person quits or the input ends (after the bot has settled). */
  readonly closed: Promise<void>;
  /** Prints a line of console text (not a Slack message). */
  print(text: string): void;
  close(): void;
}

const PROMPT = 'you> ';

export function consoleHelp(chartDir: string): string {
  return [
    'Type what you would type in Slack:',
    '  /segbot help                 what the bot can do',
    '  /segbot segment k=auto       find segments in the channel’s latest upload',
    '  /segbot describe 2           one segment in depth',
    '  /segbot runs                 the run history',
    '  /upload path/to/file.csv     drop a CSV file into the channel (the bot imports it)',
    '  @segbot <question>           mention the bot',
    '  /thread @segbot compare      mention the bot in the latest thread it posted in',
    '  /press 2                     press button 2 of those the bot showed (numbered [2: …])',
    '  /submit k=3 features=A,B     fill in and send the form the bot opened',
    '  /home                        open segbot’s Home tab',
    '  /clock +7d                   move time forward (also +2h, +30m); /clock shows it',
    '  /help                        this list',
    '  /quit                        leave (Ctrl+D works too)',
    `Charts the bot posts are saved under ${chartDir}/.`,
  ].join('\n');
}

/** Starts the console; it runs until `/quit` or the end of input. */
export function startConsole(options: ConsoleOptions): LocalConsole {
  const { slack, output, channel, user, chartDir } = options;
  const interactive = options.interactive ?? Boolean((options.input as { isTTY?: boolean }).isTTY);
  const settle = options.settle ?? (() => Promise.resolve());
  const load = options.readFile ?? ((path: string) => readFile(path));
  const interactions = createConsoleInteractions(slack, user);
  const lines = createInterface({ input: options.input, output, terminal: interactive, prompt: PROMPT });
  // Writes in arrival order, even when saving a chart takes a moment.
  let printing: Promise<void> = Promise.resolve();
  let work: Promise<void> = (options.ready ?? Promise.resolve()).catch(() => {});
  let closing = false;

  const print = (text: string) => {
    if (interactive) output.write('\r\x1b[2K');
    output.write(`${text}\n`);
    if (interactive && !closing) lines.prompt(true);
  };

  const describe = async (message: EmulatedMessage, edited: boolean): Promise<string | undefined> => {
    if (message.channel !== channel) return undefined;
    if (message.ephemeralTo !== undefined && message.ephemeralTo !== user) return undefined;
    const fromBot = message.user === slack.botUserId;
    if (!fromBot && message.user !== 'USLACKBOT') return undefined;
    const who = fromBot ? 'segbot' : 'slackbot';
    const notes = [
      edited ? 'edited' : '',
      message.ephemeralTo ? 'only you' : '',
      message.threadTs ? 'in thread' : '',
    ]
      .filter(Boolean)
      .join(', ');
    const head = `${who}${notes ? ` (${notes})` : ''}:`;
    // The banner says "You are @you": the bot's mentions of people read by name too.
    const body = interactions
      .render(message, { channel: message.channel, ts: message.ts })
      .replace(/@([UW][A-Z0-9]{2,})\b/g, (mention, id: string) => {
        const name = options.names[id];
        return name === undefined ? mention : `@${name}`;
      });
    const saved = await Promise.all((message.files ?? []).map(saveFile));
    const text = [body, ...saved].filter((part) => part.trim() !== '').join('\n');
    const indent = message.threadTs ? '    ' : '  ';
    return `${head}\n${text
      .split('\n')
      .map((line) => indent + line)
      .join('\n')}\n`;
  };

  const saveFile = async (file: EmulatedFile): Promise<string> => {
    await mkdir(chartDir, { recursive: true });
    const path = freePath(join(chartDir, basename(file.name)));
    await writeFile(path, file.bytes);
    await appendFile(join(chartDir, SAVED_LIST), `${basename(path)}\n`);
    const kind = file.mimetype.startsWith('image/') ? 'chart saved' : 'file saved';
    const shown = relative(process.cwd(), path);
    return `[${kind}] ${shown.startsWith('..') || isAbsolute(shown) ? path : shown}${file.title && file.title !== file.name ? `  (${file.title})` : ''}`;
  };

  // The thread segbot last posted in ("segments changed" details): where `/thread` lines go.
  let lastThreadTs: string | undefined;
  const unsubscribe = slack.onActivity((activity) => {
    if (activity.kind === 'deleted') return;
    const posted = activity.message;
    if (posted.channel === channel && posted.user === slack.botUserId && posted.threadTs) {
      lastThreadTs = posted.threadTs;
    }
    // A copy as it is now (a later chat.update replaces text and blocks), rendered in arrival
    // order: saving charts one at a time is what keeps two same-named charts apart.
    const snapshot = { ...activity.message };
    const edited = activity.kind === 'updated';
    printing = printing.then(async () => {
      const text = await describe(snapshot, edited).catch(
        (error: unknown) => `(could not show a message: ${String(error)})`,
      );
      if (text) print(text);
      // The files saved here are local mode's copy of what Slack keeps: forgetting the channel
      // removes them too, so no scored CSV or movers list with customer ids outlives it.
      if (!fromBotHere(snapshot) || !snapshot.text.includes(FORGOTTEN)) return;
      const removed = await removeSavedFiles(chartDir);
      if (removed > 0)
        print(`Local mode: also deleted the ${removed} files segbot had posted here from ${chartDir}/.`);
    });
  });

  const fromBotHere = (message: EmulatedMessage) =>
    message.channel === channel && message.user === slack.botUserId && message.ephemeralTo === undefined;

  const handle = async (raw: string) => {
    const line = raw.trim();
    if (line === '') return;
    if (line === '/quit' || line === '/exit') {
      lines.close();
      return;
    }
    if (line === '/help') {
      print(consoleHelp(chartDir));
      return;
    }
    if (line === '/clock' || line.startsWith('/clock ')) {
      // Falls through to settle: a jump can make a digest due, and a script should see it next.
      moveClock(line.slice('/clock'.length).trim());
    } else if (line === '/upload' || line.startsWith('/upload ')) {
      await upload(line.slice('/upload'.length).trim());
    } else if (line === '/segbot' || line.startsWith('/segbot ')) {
      const delivery = await slack.sendCommand(channel, user, line.slice('/segbot'.length).trim());
      if (delivery.status !== 200) print(`(Slack could not deliver the command: HTTP ${delivery.status})`);
    } else if (line === '/thread' || line.startsWith('/thread ')) {
      const question = line.slice('/thread'.length).trim();
      if (!lastThreadTs || !/^@segbot\b/i.test(question)) {
        print(lastThreadTs ? 'Try: /thread @segbot compare' : 'segbot has not posted in a thread yet.');
        return;
      }
      await slack.mention(channel, lastThreadTs, user, question.replace(/^@segbot\s*/i, ''));
    } else if (await interactions.handle(line, print)) {
      // Pressed, submitted or opened Home: its replies follow like any other.
    } else if (line.startsWith('/')) {
      print(`${line.split(/\s/)[0]} is not a command here. Type /help for the list.`);
      return;
    } else if (/^@segbot\b/i.test(line)) {
      await slack.mention(channel, undefined, user, line.replace(/^@segbot\s*/i, ''));
    } else {
      await slack.say(channel, user, line);
    }
    if (!interactive) await settle();
    await printing;
    interactions.showModal(print);
  };

  const moveClock = (amount: string) => {
    const clock = options.clock;
    if (!clock) {
      print('The clock cannot be moved here.');
      return;
    }
    if (amount !== '') {
      const ms = parseClockAdvance(amount);
      if (ms === null || ms <= 0) {
        print(`"${amount}" is not a step forward in time. Try /clock +7d, /clock +2h or /clock +30m.`);
        return;
      }
      clock.advance(ms);
    }
    print(`Time is now ${clock.now().toISOString().replace('T', ' ').slice(0, 16)} UTC.`);
  };

  const upload = async (path: string) => {
    if (path === '') {
      print('Say which file: /upload path/to/file.csv');
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = await load(path);
    } catch (error) {
      const code = (error as { code?: string }).code;
      print(code === 'ENOENT' ? `No file at ${path}.` : `Cannot read ${path} (${code ?? 'error'}).`);
      return;
    }
    print(`you shared ${basename(path)} (${formatBytes(bytes.byteLength)})`);
    await slack.shareFile(channel, user, basename(path), bytes);
    // In Slack segbot stays out of files that are not tables (images, documents) without a word;
    // here the person handed the file to segbot on purpose, so the console says why nothing follows.
    if (!/\.(csv|tsv|txt|json|xlsx?|xlsm|ods|numbers)$/i.test(path)) {
      print(
        `segbot imports only CSV files (.csv), so it leaves ${basename(path)} alone. ` +
          'Export the table as CSV and /upload that file.',
      );
    }
  };

  // Ctrl+C at the prompt leaves, as /quit does.
  lines.on('SIGINT', () => lines.close());
  let quitting = false;
  lines.on('line', (line) => {
    // Lines can arrive together (pasted or piped); nothing after /quit is sent.
    if (quitting) return;
    quitting = ['/quit', '/exit'].includes(line.trim());
    work = work
      .then(() => handle(line))
      .catch((error: unknown) => print(`(console error: ${String(error)})`));
  });

  const closed = new Promise<void>((resolve) => {
    lines.on('close', () => {
      closing = true;
      void work
        .then(() => settle())
        .then(() => printing)
        .finally(() => {
          unsubscribe();
          resolve();
        });
    });
  });

  if (interactive) lines.prompt();
  return {
    closed,
    print,
    close: () => lines.close(),
  };
}

/** The list of files the console saved under the chart directory, one name a line. */
const SAVED_LIST = '.saved-by-segbot';

/** Deletes the files the console saved (in any session) and their list; returns how many. */
async function removeSavedFiles(chartDir: string): Promise<number> {
  let names: string[];
  try {
    names = (await readFile(join(chartDir, SAVED_LIST), 'utf8')).split('\n').filter(Boolean);
  } catch {
    return 0;
  }
  // Only plain names are listed (basename), so nothing outside the chart directory is touched.
  const unique = [...new Set(names.map((name) => basename(name)))];
  await Promise.all(unique.map((name) => rm(join(chartDir, name), { force: true })));
  await rm(join(chartDir, SAVED_LIST), { force: true });
  return unique.length;
}

/** `out/segment-sizes.png`, or `out/segment-sizes-2.png` if that exists: charts of earlier runs stay. */
function freePath(path: string): string {
  if (!existsSync(path)) return path;
  const extension = extname(path);
  const stem = path.slice(0, path.length - extension.length);
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${extension}`;
    if (!existsSync(candidate)) return candidate;
  }
}
