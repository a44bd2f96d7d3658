/**
 * End-to-end harness: the loopback Slack emulator and the real segbot Bolt app over HTTP, on free
 * ports of 127.0.0.1, with a fresh SQLite file in a temp directory (or, for the PostgreSQL suite,
 * a fresh schema) and logs captured in memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CommandDeps } from '../../commands/deps.js';
import { openDatabase, type SegbotDatabase } from '../../db/client.js';
import type { SegbotPgDatabase, StorageDatabase } from '../../db/client-pg.js';
import { type Config, readConfig } from '../../src/config.js';
import type { Clock } from '../../src/domain/clock.js';
import type { EmulatedMessage, SlackEmulator } from '../../src/local/slack-emulator/index.js';
import { type Loopback, startLoopback } from '../../src/local/start-loopback.js';
import { createLogger } from '../../src/logger.js';
import type { StorageBackend } from './storage-backends.js';
import { openTestPostgres } from './test-postgres.js';

export interface E2EOptions {
  /** Extra environment for readConfig (SEGBOT_ADMINS, SEGBOT_MAX_UPLOAD_MB, …). */
  env?: Record<string, string>;
  overrides?: Partial<CommandDeps>;
  /** Time and timers of the app and the emulator's message timestamps. */
  clock?: Clock;
}

export interface E2EHarness<D extends StorageDatabase = SegbotDatabase> {
  emulator: SlackEmulator;
  loopback: Loopback;
  database: D;
  /** Every log line the app wrote, as raw JSON text. */
  logs: string[];
  /** A channel the bot is in, and a person in it. */
  channel: string;
  user: string;
  /** Types `/segbot <text>` as `user` in `channel` (or the given ones). */
  segbot(text: string, where?: { channel?: string; user?: string }): ReturnType<SlackEmulator['sendCommand']>;
  /** Drops a file into the channel as `user`. */
  share(
    name: string,
    content: string | Uint8Array,
    where?: { channel?: string; user?: string },
  ): ReturnType<SlackEmulator['shareFile']>;
  /** The bot's messages in a channel (ephemeral ones included), oldest first. */
  botMessages(channel?: string): EmulatedMessage[];
  /** Waits for a bot message after `after` (a count of bot messages seen) that matches `match`. */
  waitForBotMessage(
    match: (message: EmulatedMessage) => boolean,
    options?: { channel?: string; after?: number; timeoutMs?: number; what?: string },
  ): Promise<EmulatedMessage>;
  close(): Promise<void>;
}

export const E2E_CHANNEL = 'C0E2E0001';
export const E2E_USER = 'U0E2EUSER';

/** Starts the emulator, a temp database and the app; call `close()` in afterEach/afterAll. */
export function startE2E(options: E2EOptions = {}): Promise<E2EHarness> {
  // `npm run test:pg` runs the e2e suites listed in vitest.pg.config.ts again, each app over a
  // PostgreSQL schema of its own; those suites never reach into SQLite directly.
  if (process.env.SEGBOT_TEST_BACKENDS === 'postgres')
    return startWith(options, () => openTestPostgres()) as unknown as Promise<E2EHarness>;
  return startWith(options, async (config) => openDatabase(config.dbPath));
}

/** The harness over a back end of storage-backends.ts (the e2e suites that run on both). */
export function startE2EOn(
  backend: StorageBackend,
  options: E2EOptions = {},
): Promise<E2EHarness<StorageDatabase>> {
  return startWith(options, () => backend.open());
}

/** The same harness over a PostgreSQL database of its own (SEGBOT_TEST_DATABASE_URL). */
export function startE2EOnPostgres(options: E2EOptions = {}): Promise<E2EHarness<SegbotPgDatabase>> {
  return startWith(options, () => openTestPostgres());
}

async function startWith<D extends StorageDatabase>(
  options: E2EOptions,
  open: (config: Config) => Promise<D>,
): Promise<E2EHarness<D>> {
  const dir = mkdtempSync(join(tmpdir(), 'segbot-e2e-'));
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  // The harness's person is an admin unless a test says otherwise, so uploads work as in a set-up workspace.
  const config = readConfig({
    SEGBOT_DB: join(dir, 'segbot.sqlite'),
    LOG_LEVEL: 'debug',
    SEGBOT_ADMINS: E2E_USER,
    ...options.env,
  });
  const logger = createLogger({ level: config.logLevel, destination });
  const database = await open(config);
  let loopback: Loopback;
  try {
    loopback = await startLoopback({
      config,
      database,
      logger,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.overrides ? { overrides: options.overrides } : {}),
      // Fail fast on network errors; a 429 still waits for its Retry-After.
      webClient: { retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 } },
    });
  } catch (error) {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const { emulator } = loopback;
  emulator.addChannel({ id: E2E_CHANNEL, name: 'marketing' });
  emulator.addUser({ id: E2E_USER, name: 'dana' });

  const botMessages = (channel = E2E_CHANNEL) =>
    emulator.messages(channel).filter((message) => message.user === emulator.botUserId);

  return {
    emulator,
    loopback,
    database,
    logs,
    channel: E2E_CHANNEL,
    user: E2E_USER,
    segbot: (text, where = {}) =>
      emulator.sendCommand(where.channel ?? E2E_CHANNEL, where.user ?? E2E_USER, text),
    share: (name, content, where = {}) =>
      emulator.shareFile(
        where.channel ?? E2E_CHANNEL,
        where.user ?? E2E_USER,
        name,
        typeof content === 'string' ? new TextEncoder().encode(content) : content,
      ),
    botMessages,
    waitForBotMessage(match, waitOptions = {}) {
      const after = waitOptions.after ?? 0;
      return emulator.waitFor(() => botMessages(waitOptions.channel).slice(after).find(match), {
        timeoutMs: waitOptions.timeoutMs ?? 30_000,
        what: waitOptions.what ?? 'a bot message',
      });
    },
    async close() {
      await loopback.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A message's text and the text of its blocks, for assertions that should not depend on layout. */
export function messageText(message: EmulatedMessage): string {
  const parts = [message.text];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'text' && typeof inner === 'string') parts.push(inner);
        else visit(inner);
      }
    }
  };
  visit(message.blocks);
  return parts.join('\n');
}

/** The action ids of the buttons in a message's or view's blocks (actions blocks and accessories). */
export function buttonIds(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((block: Record<string, unknown>) => {
    const elements = [...((block['elements'] as Record<string, unknown>[] | undefined) ?? [])];
    if (block['accessory']) elements.push(block['accessory'] as Record<string, unknown>);
    return elements.filter((e) => e['type'] === 'button').map((e) => String(e['action_id']));
  });
}
