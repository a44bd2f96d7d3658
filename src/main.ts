import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { pino } from 'pino';
import { openStorage } from '../db/open-storage.js';
import { createSegbotApp } from './app.js';
import { readConfig, type SlackMode } from './config.js';
import { ConfigError, isSegbotError, userMessage } from './errors.js';
import { startLocalMode } from './local/start-local.js';
import { createLogger } from './logger.js';
import { guardProcess } from './process-guard.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface SegbotIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

export interface StartOptions {
  io?: SegbotIo;
  /**
   * Own the process: stop gracefully on SIGTERM/SIGINT, and log and survive uncaught errors
   * (default true; tests that embed segbot turn it off).
   */
  handleSignals?: boolean;
}

export interface RunningSegbot {
  mode: SlackMode;
  /** The port the HTTP receiver listens on (HTTP mode only; useful with PORT=0). */
  port?: number;
  /** Resolves once segbot has stopped (local mode: the person quit) and the database is closed. */
  done: Promise<void>;
  /** Stops taking work, cancels jobs still running after a short grace, closes the database. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts segbot from the environment: Socket Mode, HTTP, or (without a bot token) local mode with
 * the loopback Slack and a terminal console. Throws `ConfigError` for settings a person must fix.
 */
export async function startSegbot(
  env: Env = process.env,
  options: StartOptions = {},
): Promise<RunningSegbot> {
  const config = readConfig(env);
  const mode = config.slack.mode;
  const io = options.io ?? { input: process.stdin, output: process.stdout };
  // Local mode owns the terminal, so its logs go to a file next to the database instead.
  const logDir = config.dbPath === ':memory:' ? resolve('data') : dirname(resolve(config.dbPath));
  const logPath = mode === 'local' ? join(logDir, 'segbot.log') : undefined;
  const logger = createLogger({
    level: config.logLevel,
    base: { mode },
    ...(logPath ? { destination: pino.destination({ dest: logPath, mkdir: true, sync: false }) } : {}),
  });
  const database = await openStorage(config);

  // Signals are taken before the app starts: "segbot is listening" is logged inside start(), and
  // a SIGTERM right after it must stop segbot gracefully, not kill it with the default handler.
  let requestStop: () => void = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    requestStop = resolve;
  });
  let releaseProcess: () => void = () => {};
  if (options.handleSignals ?? true) {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        // A second Ctrl+C means "now", not "gracefully".
        process.exit(1);
      }
      signalled = true;
      logger.info({ signal }, 'signal received');
      requestStop();
    };
    process.once('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    const unguard = guardProcess(logger);
    releaseProcess = () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      unguard();
    };
  }

  let stopApp: () => Promise<void>;
  let finished: Promise<void>;
  let port: number | undefined;
  try {
    if (config.slack.mode === 'local') {
      const local = await startLocalMode({
        config,
        database,
        logger,
        input: io.input,
        output: io.output,
        logPath,
      });
      stopApp = local.stop;
      finished = local.done;
    } else {
      const segbot = createSegbotApp({ config, database, logger });
      ({ port } = await segbot.start().catch((error: unknown) => {
        throw asPortError(error, config.port);
      }));
      stopApp = segbot.stop;
      finished = new Promise<void>(() => {});
    }
  } catch (error) {
    releaseProcess();
    await database.close();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info('segbot is stopping');
      try {
        await stopApp();
      } finally {
        await database.close();
        logger.info('segbot stopped');
      }
    })();
    return stopping;
  };
  const done = Promise.race([finished, stopRequested]).then(stop);
  void done.finally(releaseProcess);

  return {
    mode,
    ...(port === undefined ? {} : { port }),
    done,
    stop: () => {
      requestStop();
      return done;
    },
  };
}

/** A port already taken is a setting to change, not a crash. */
function asPortError(error: unknown, port: number): unknown {
  if ((error as { code?: unknown }).code === 'EADDRINUSE') {
    return new ConfigError(
      'PORT',
      `port ${port} is already in use.`,
      'Stop the other program or set PORT to a free port.',
    );
  }
  return error;
}

/** Values from a `.env` file in the working directory, under those already in the environment. */
export function withDotEnv(env: Env, path = '.env'): Env {
  if (!existsSync(path)) return env;
  return { ...parseEnv(readFileSync(path, 'utf8')), ...env };
}

async function main(): Promise<void> {
  try {
    const running = await startSegbot(withDotEnv(process.env));
    await running.done;
    process.exit(0);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`segbot cannot start. ${userMessage(error)}\n`);
      process.exit(2);
    }
    // Still no stack trace: the message says what failed; details are in the log.
    const message = isSegbotError(error)
      ? userMessage(error)
      : error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`segbot stopped: ${message}\n`);
    process.exit(1);
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) void main();
