import { randomBytes } from 'node:crypto';
import type { CommandDeps } from '../../commands/deps.js';
import type { StorageDatabase } from '../../db/client-pg.js';
import { createSegbotApp, EVENTS_PATH, type SegbotApp, type SegbotAppOptions } from '../app.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import { type SlackEmulator, startSlackEmulator } from './slack-emulator/index.js';

export interface LoopbackOptions {
  /** Settings other than the Slack connection (admins, upload cap, concurrency …). */
  config: Config;
  database: StorageDatabase;
  logger: Logger;
  /** Time and timers of the app (local mode's `/clock` moves it); message timestamps follow it too. */
  clock?: Clock;
  fetch?: typeof fetch;
  webClient?: SegbotAppOptions['webClient'];
  overrides?: Partial<CommandDeps>;
}

export interface Loopback {
  emulator: SlackEmulator;
  segbot: SegbotApp;
  /** The app's request URL on 127.0.0.1. */
  eventsUrl: string;
  /** The generated credentials, so tests can check they never leak. */
  credentials: { botToken: string; signingSecret: string };
  /** Stops the app, then the emulator. The database stays open: it belongs to the caller. */
  close(): Promise<void>;
}

/**
 * Starts the loopback Slack emulator and the real segbot app in HTTP mode against it, both on
 * 127.0.0.1 with free ports and a freshly generated bot token and signing secret. Local mode and
 * the end-to-end tests both start here, so they exercise exactly the production code path:
 * signed requests into Bolt's HTTP receiver, Web API calls out through the Slack SDK.
 */
export async function startLoopback(options: LoopbackOptions): Promise<Loopback> {
  const botToken = `xoxb-local-${randomBytes(12).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  const emulator = await startSlackEmulator({
    botToken,
    signingSecret,
    ...(options.clock ? { now: () => options.clock!.now().getTime() } : {}),
  });
  try {
    const config: Config = {
      ...options.config,
      slack: { mode: 'http', botToken, signingSecret },
      slackApiUrl: emulator.apiUrl,
      port: 0,
    };
    const segbot = createSegbotApp({
      config,
      database: options.database,
      logger: options.logger,
      host: '127.0.0.1',
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.webClient ? { webClient: options.webClient } : {}),
      ...(options.overrides ? { overrides: options.overrides } : {}),
    });
    const { port } = await segbot.start();
    const eventsUrl = `http://127.0.0.1:${port}${EVENTS_PATH}`;
    emulator.setEventsUrl(eventsUrl);
    return {
      emulator,
      segbot,
      eventsUrl,
      credentials: { botToken, signingSecret },
      async close() {
        await segbot.stop();
        await emulator.close();
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
