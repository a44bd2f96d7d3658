import type { StorageDatabase } from '../../db/client-pg.js';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import type { Config } from '../config.js';
import { createSettableClock, type SettableClock } from '../jobs/settable-clock.js';
import type { Logger } from '../logger.js';
import { type LocalConsole, startConsole } from './console.js';
import { SAMPLE_FILE_NAME, SAMPLE_ROWS, sampleCustomersCsv } from './sample-data.js';
import { type Loopback, startLoopback } from './start-loopback.js';

export const LOCAL_CHANNEL = { id: 'C0LOCAL001', name: 'marketing' } as const;
export const LOCAL_USER = { id: 'U0LOCAL001', name: 'you' } as const;
/** A colleague in the local workspace, so `/segbot admins add @dana` (as help shows) has someone to add. */
export const LOCAL_COLLEAGUE = { id: 'U0LOCAL002', name: 'dana' } as const;

export interface LocalModeOptions {
  config: Config;
  database: StorageDatabase;
  logger: Logger;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The file shared at start (default: 5,000 generated customers); false shares nothing. */
  sample?: { name: string; bytes: Uint8Array } | false;
  interactive?: boolean;
  /** Where the log file is, for the banner. */
  logPath?: string;
  /** The clock the app, the emulator and `/clock` share (default: real time, movable forward). */
  clock?: SettableClock;
}

export interface LocalMode {
  loopback: Loopback;
  console: LocalConsole;
  /** Resolves when the person has quit and the app and emulator have stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Local mode: the loopback Slack, the real app against it, the sample customers shared into
 * #marketing (unless the channel already has data from an earlier session), then the console.
 */
export async function startLocalMode(options: LocalModeOptions): Promise<LocalMode> {
  const { database, logger, output } = options;
  // The person at the keyboard administers their own local workspace.
  const config: Config = {
    ...options.config,
    admins: [...new Set([...options.config.admins, LOCAL_USER.id])],
  };
  // One clock for the app and the emulator, so `/clock +7d` makes next week's digest due now.
  const clock = options.clock ?? createSettableClock();
  const loopback = await startLoopback({ config, database, logger, clock });
  const { emulator, segbot } = loopback;
  emulator.addChannel({ id: LOCAL_CHANNEL.id, name: LOCAL_CHANNEL.name });
  emulator.addUser({ id: LOCAL_USER.id, name: LOCAL_USER.name, isAdmin: true });
  emulator.addUser({ id: LOCAL_COLLEAGUE.id, name: LOCAL_COLLEAGUE.name });

  let lastActivity = Date.now();
  let lastCalls = 0;
  emulator.onActivity(() => {
    lastActivity = Date.now();
  });
  // "Settled": no queued job and no Slack traffic for a moment (slow stages post progress updates).
  const settle = async () => {
    // Quiet is counted from now too: work a line starts may take a moment to make its first call.
    lastActivity = Math.max(lastActivity, Date.now());
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const calls = emulator.calls().length;
      if (calls !== lastCalls) {
        lastCalls = calls;
        lastActivity = Date.now();
      }
      if (segbot.pendingJobs() === 0 && Date.now() - lastActivity >= 500) return;
    }
  };

  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const localConsole = startConsole({
    slack: emulator,
    input: options.input,
    output,
    channel: LOCAL_CHANNEL.id,
    user: LOCAL_USER.id,
    names: { [LOCAL_USER.id]: LOCAL_USER.name, [LOCAL_COLLEAGUE.id]: LOCAL_COLLEAGUE.name },
    chartDir: config.chartDir,
    settle,
    ready,
    clock,
    ...(options.interactive === undefined ? {} : { interactive: options.interactive }),
  });

  localConsole.print(
    [
      'segbot local mode: a loopback Slack workspace on this machine, nothing leaves it.',
      `You are @${LOCAL_USER.name} in #${LOCAL_CHANNEL.name}. Database: ${config.dbPath}` +
        (options.logPath ? `. Logs: ${options.logPath}` : ''),
    ].join('\n'),
  );

  try {
    const previous = await createDatasetStore(database).latestDataset(LOCAL_CHANNEL.id);
    if (previous) {
      localConsole.print(
        `#${LOCAL_CHANNEL.name} already has ${previous.fileName} (version ${previous.version}, ` +
          `${previous.rowCount.toLocaleString('en-US')} rows) from an earlier session.`,
      );
    } else if (options.sample !== false) {
      const sample = options.sample ?? { name: SAMPLE_FILE_NAME, bytes: sampleCustomersCsv() };
      const rows = options.sample ? '' : ` (${SAMPLE_ROWS.toLocaleString('en-US')} generated customers)`;
      localConsole.print(`Sharing ${sample.name}${rows} into #${LOCAL_CHANNEL.name} …`);
      await emulator.shareFile(LOCAL_CHANNEL.id, LOCAL_USER.id, sample.name, sample.bytes);
      await settle();
    }
    localConsole.print('Ready. Try: /segbot segment k=auto   (/help lists everything)');
  } finally {
    markReady();
  }

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= loopback.close();
    return stopped;
  };
  const done = localConsole.closed.then(stop);
  return { loopback, console: localConsole, done, stop };
}
