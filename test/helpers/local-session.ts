/**
 * Runs a local-mode session as `npm start` does without a token (loopback Slack, the real app, the
 * bundled sample shared at start) with piped input, and returns what the console printed.
 */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { openDatabase } from '../../db/client.js';
import { readConfig } from '../../src/config.js';
import type { SettableClock } from '../../src/jobs/settable-clock.js';
import { startLocalMode } from '../../src/local/start-local.js';
import { createLogger } from '../../src/logger.js';

export interface LocalSessionOptions {
  /** Holds the database (`segbot.sqlite`) and the saved charts and files (`out/`). */
  dir: string;
  /** The lines typed, in order. */
  lines: readonly string[];
  clock?: SettableClock;
}

/** The console's output, with the chart directory shown as `out/`, as a session run in `dir` shows it. */
export async function runLocalSession(options: LocalSessionOptions): Promise<string> {
  const { dir } = options;
  const chartDir = join(dir, 'out');
  const config = readConfig({ SEGBOT_DB: join(dir, 'segbot.sqlite'), SEGBOT_CHART_DIR: chartDir });
  const database = openDatabase(config.dbPath);
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk) => {
    text += String(chunk);
  });
  try {
    const local = await startLocalMode({
      config,
      database,
      logger: createLogger({ level: 'silent' }),
      input,
      output,
      interactive: false,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    input.end(`${options.lines.join('\n')}\n/quit\n`);
    await local.done;
  } finally {
    database.close();
  }
  return text.split(`${chartDir}/`).join('out/');
}
