/**
 * `npm run load`: segbot under load, on loopback only. Starts the loopback Slack and the real app
 * over HTTP (signed requests into Bolt's receiver, Web API calls back into the emulator) on a
 * temporary database file, then:
 *
 * 1. sends 500 signed `/segbot` commands within 30 s from 25 concurrent clients and checks each was
 *    acknowledged in under 3 s and answered (its reply arrives in the emulator);
 * 2. uploads a 1,000,000-row customer file and, while it is imported, keeps sending commands in
 *    another channel, printing their acknowledgement latencies;
 * 3. runs `/segbot predict` on that file (training, scoring, the scored CSV) and measures the same
 *    while it works.
 *
 * Prints p50/p99 acknowledgement latency and peak RSS; exits 1 when an assertion fails. Bounded:
 * 500 + at most a few hundred commands, a 10-minute ceiling on the upload.
 *
 * Options: --commands=N (500), --seconds=S (30), --rows=N (1000000), --skip-upload.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDatabase } from '../db/client.js';
import { createDatasetStore } from '../db/repositories/dataset-store.js';
import { createRunStore } from '../db/repositories/run-store.js';
import { generateCustomerCsvChunks } from '../src/analytics/generate-customers.js';
import { readConfig } from '../src/config.js';
import { startLoopback } from '../src/local/start-loopback.js';
import { createLogger } from '../src/logger.js';

const ACK_LIMIT_MS = 3000;
/** RSS the bot may reach while answering commands (the 1M-row upload gets its own, larger bound). */
const COMMAND_RSS_LIMIT_MB = 1024;
const UPLOAD_RSS_LIMIT_MB = 3072;
const UPLOAD_TIMEOUT_MS = 10 * 60_000;
const CLIENTS = 25;

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3)) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const totalCommands = Math.floor(option('commands', 500));
const windowSeconds = option('seconds', 30);
const uploadRows = Math.floor(option('rows', 1_000_000));
const skipUpload = process.argv.includes('--skip-upload');

const failures: string[] = [];
function check(ok: boolean, what: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  return `n=${sorted.length} p50=${percentile(sorted, 50).toFixed(1)} ms p99=${percentile(sorted, 99).toFixed(1)} ms max=${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms`;
}

const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

// Peak RSS, sampled often enough to catch a spike during parsing.
let peakRss = process.memoryUsage().rss;
let windowPeak = peakRss;
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  windowPeak = Math.max(windowPeak, rss);
}, 50);
sampler.unref();

const dir = mkdtempSync(join(tmpdir(), 'segbot-load-'));
const dbPath = join(dir, 'segbot.sqlite');
const database = openDatabase(dbPath);
const ADMIN = 'U0LOADADM';
const config = readConfig({
  SEGBOT_DB: dbPath,
  SEGBOT_ADMINS: ADMIN,
  SEGBOT_MAX_UPLOAD_MB: '400',
  SEGBOT_CHANNEL_CONCURRENCY: '4',
  LOG_LEVEL: 'silent',
});
const loopback = await startLoopback({ config, database, logger: createLogger({ level: 'silent' }) });
const { emulator } = loopback;

/**
 * Loopback HTTP can lose a request when a kept-alive connection is reused just as the server closes
 * it (an idle-timeout race, not a bot failure). Such a request is sent once more and counted, and
 * the count is printed; a second failure is a real failure.
 */
let connectionRetries = 0;
async function send<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    connectionRetries += 1;
    console.log(`  connection error (${cause?.code ?? cause?.message ?? String(error)}); sending once more`);
    return request();
  }
}

/** Commands that exercise the dispatcher, the stores and Slack replies without heavy compute. */
const COMMAND_TEXTS = [
  'help',
  'channel status',
  'runs',
  'admins',
  'describe',
  'segment k=banana',
  'nonsense',
];

async function runCommands(): Promise<void> {
  const channels = Array.from({ length: 10 }, (_, i) =>
    emulator.addChannel({ id: `C0LOAD${i}`, name: `load-${i}` }),
  );
  const users = Array.from({ length: totalCommands }, (_, i) =>
    emulator.addUser({ id: `U0LD${String(i).padStart(5, '0')}`, name: `user${i}` }),
  );
  const latencies: number[] = [];
  const statuses: number[] = [];
  const intervalMs = (windowSeconds * 1000) / totalCommands;
  const started = performance.now();
  let next = 0;
  windowPeak = process.memoryUsage().rss;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  // Each client takes the next command when its scheduled time comes, so the rate is even over the
  // window but several requests are in flight at once.
  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= totalCommands) return;
      const due = started + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const channel = channels[i % channels.length]!;
      const delivery = await send(() =>
        emulator.sendCommand(channel.id, users[i]!.id, COMMAND_TEXTS[i % COMMAND_TEXTS.length]!),
      );
      latencies.push(delivery.ackMs);
      statuses.push(delivery.status);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const sentIn = (performance.now() - started) / 1000;
  console.log(`\n== ${totalCommands} signed commands from ${CLIENTS} clients in ${sentIn.toFixed(1)} s`);
  loopDelay.disable();
  console.log(`ack latency: ${summary(latencies)}`);
  console.log(`longest event-loop stall: ${(loopDelay.max / 1e6).toFixed(0)} ms`);

  const answered = () => {
    const replied = new Set<string>();
    for (const channel of channels) {
      for (const m of emulator.messages(channel.id, { includeEphemeral: true })) {
        if (m.user === emulator.botUserId && m.ephemeralTo) replied.add(m.ephemeralTo);
      }
    }
    return replied;
  };
  await emulator
    .waitFor(() => answered().size >= totalCommands || undefined, { timeoutMs: 60_000, what: 'every reply' })
    .catch(() => {});
  const replied = answered();
  const slow = latencies.filter((ms) => ms >= ACK_LIMIT_MS).length;
  console.log(`peak RSS during commands: ${mb(windowPeak)} MB`);
  check(sentIn <= windowSeconds + 5, `all commands sent within the ${windowSeconds} s window (+5 s slack)`);
  check(
    statuses.every((s) => s === 200),
    'every command acknowledged with HTTP 200',
  );
  check(slow === 0, `every acknowledgement under ${ACK_LIMIT_MS} ms (${slow} slower)`);
  check(replied.size === totalCommands, `every command answered in Slack (${replied.size}/${totalCommands})`);
  check(
    mb(windowPeak) < COMMAND_RSS_LIMIT_MB,
    `peak RSS under ${COMMAND_RSS_LIMIT_MB} MB while answering commands`,
  );
}

/**
 * Sends a cheap command in `channelId` every 250 ms until stopped, printing an acknowledgement
 * latency every 5 s; `stop` resolves to all the latencies.
 */
function startSideCommands(channelId: string, started: number): { stop: () => Promise<number[]> } {
  const during: number[] = [];
  let done = false;
  let sideIndex = 0;
  const ticker = (async () => {
    let lastPrint = 0;
    while (!done && performance.now() - started < UPLOAD_TIMEOUT_MS) {
      const text = sideIndex++ % 2 === 0 ? 'help' : 'channel status';
      const delivery = await send(() => emulator.sendCommand(channelId, ADMIN, text));
      during.push(delivery.ackMs);
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed - lastPrint >= 5) {
        lastPrint = elapsed;
        console.log(
          `  t=${elapsed.toFixed(0).padStart(3)} s  ack ${delivery.ackMs.toFixed(1)} ms  rss ${mb(process.memoryUsage().rss)} MB`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    stop: async () => {
      done = true;
      await ticker;
      return during;
    },
  };
}

async function runUpload(): Promise<void> {
  const channel = emulator.addChannel({ id: 'C0LOADBIG', name: 'load-big' });
  const side = emulator.addChannel({ id: 'C0LOADSIDE', name: 'load-side' });
  emulator.addUser({ id: ADMIN, name: 'load-admin' });
  const generated = performance.now();
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const chunk of generateCustomerCsvChunks({
    rows: uploadRows,
    seed: 7,
    chunkRows: 50_000,
    products: true,
  })) {
    parts.push(encoder.encode(chunk));
  }
  const bytes = Buffer.concat(parts);
  parts.length = 0;
  console.log(
    `\n== upload of ${uploadRows.toLocaleString('en-US')} rows (${mb(bytes.byteLength)} MB, generated in ${((performance.now() - generated) / 1000).toFixed(1)} s)`,
  );
  windowPeak = process.memoryUsage().rss;
  const datasets = createDatasetStore(database);
  // The load clients share this process's event loop with the bot, so a stall would hide itself
  // (no command is sent while the loop is blocked): the stall is measured directly as well.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const started = performance.now();
  const share = await send(() => emulator.shareFile(channel.id, ADMIN, 'million.csv', bytes));
  check(
    share.delivery.status === 200 && share.delivery.ackMs < ACK_LIMIT_MS,
    `file_share event acknowledged (${share.delivery.ackMs.toFixed(1)} ms)`,
  );

  const sideCommands = startSideCommands(side.id, started);
  const stored = await emulator
    .waitFor(async () => (await datasets.latestDataset(channel.id)) ?? undefined, {
      timeoutMs: UPLOAD_TIMEOUT_MS,
      what: 'the uploaded dataset',
    })
    .catch(() => null);
  const elapsed = (performance.now() - started) / 1000;
  const during = await sideCommands.stop();
  const report = await emulator
    .waitFor(
      () =>
        emulator
          .messages(channel.id, { threadTs: share.message.ts })
          .find(
            (m) =>
              m.user === emulator.botUserId &&
              /1,000,000|1000000/.test(m.text + JSON.stringify(m.blocks ?? [])),
          ),
      { timeoutMs: 30_000, what: 'the quality report' },
    )
    .catch(() => null);
  loopDelay.disable();
  const stallMs = loopDelay.max / 1e6;
  console.log(`upload stored in ${elapsed.toFixed(1)} s; acks meanwhile: ${summary(during)}`);
  console.log(`longest event-loop stall during the upload: ${stallMs.toFixed(0)} ms`);
  console.log(`peak RSS during upload: ${mb(windowPeak)} MB`);
  check(
    stored?.rowCount === uploadRows,
    `the ${uploadRows}-row upload completed (${stored?.rowCount ?? 'nothing'} rows stored)`,
  );
  check(report !== null || uploadRows !== 1_000_000, 'the quality report was posted in the file’s thread');
  check(
    during.length > 0 && during.every((ms) => ms < ACK_LIMIT_MS),
    `every command during the upload acknowledged under ${ACK_LIMIT_MS} ms`,
  );
  check(
    stallMs < ACK_LIMIT_MS,
    `no event-loop stall of ${ACK_LIMIT_MS} ms or more during the upload (a command arriving then would miss its acknowledgement)`,
  );
  check(mb(windowPeak) < UPLOAD_RSS_LIMIT_MB, `peak RSS under ${UPLOAD_RSS_LIMIT_MB} MB during the upload`);
  if (stored) await runPredict(channel.id, side.id);
}

/** `/segbot predict` on the big upload while cheap commands keep arriving in another channel. */
async function runPredict(channelId: string, sideId: string): Promise<void> {
  await send(() => emulator.sendCommand(channelId, ADMIN, 'channel allow'));
  // With a segmentation of the same data, the scored CSV carries each customer's segment too.
  const segmentStarted = performance.now();
  await send(() => emulator.sendCommand(channelId, ADMIN, 'segment k=4'));
  const run = await emulator
    .waitFor(
      async () => (await createRunStore(database).latestRun(channelId, { status: 'done' })) ?? undefined,
      {
        timeoutMs: UPLOAD_TIMEOUT_MS,
        what: 'the segmentation',
      },
    )
    .catch(() => null);
  console.log(`\n== segment k=4 done in ${((performance.now() - segmentStarted) / 1000).toFixed(1)} s`);
  check(run !== null, 'the 1,000,000 customers were segmented');
  console.log('\n== /segbot predict has_personal_loan on the uploaded customers');
  windowPeak = process.memoryUsage().rss;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const started = performance.now();
  const before = emulator.files(channelId).length;
  const delivery = await send(() => emulator.sendCommand(channelId, ADMIN, 'predict has_personal_loan'));
  check(
    delivery.status === 200 && delivery.ackMs < ACK_LIMIT_MS,
    `predict acknowledged (${delivery.ackMs.toFixed(1)} ms)`,
  );
  const sideCommands = startSideCommands(sideId, started);
  const scored = await emulator
    .waitFor(
      () =>
        emulator
          .files(channelId)
          .slice(before)
          .find((f) => f.filetype === 'csv' || /\.csv$/.test(f.name)),
      { timeoutMs: UPLOAD_TIMEOUT_MS, what: 'the scored CSV' },
    )
    .catch(() => null);
  const elapsed = (performance.now() - started) / 1000;
  const during = await sideCommands.stop();
  loopDelay.disable();
  const stallMs = loopDelay.max / 1e6;
  const rows = scored ? new TextDecoder().decode(scored.bytes).trimEnd().split('\n').length - 1 : 0;
  console.log(
    `scored CSV posted after ${elapsed.toFixed(1)} s (${rows.toLocaleString('en-US')} customers); acks meanwhile: ${summary(during)}`,
  );
  console.log(`longest event-loop stall during predict: ${stallMs.toFixed(0)} ms`);
  console.log(`peak RSS during predict: ${mb(windowPeak)} MB`);
  check(rows > 0, 'the scored CSV of customers without the product was posted');
  check(
    scored !== null &&
      new TextDecoder().decode(scored.bytes.subarray(0, 200)).split('\n')[0]!.split(',').includes('segment'),
    'the scored CSV names each customer’s segment',
  );
  check(
    during.length > 0 && during.every((ms) => ms < ACK_LIMIT_MS),
    `every command during predict acknowledged under ${ACK_LIMIT_MS} ms`,
  );
  check(stallMs < ACK_LIMIT_MS, `no event-loop stall of ${ACK_LIMIT_MS} ms or more during predict`);
  check(mb(windowPeak) < UPLOAD_RSS_LIMIT_MB, `peak RSS under ${UPLOAD_RSS_LIMIT_MB} MB during predict`);
}

try {
  await runCommands();
  if (!skipUpload) await runUpload();
} catch (error) {
  failures.push(`load run failed: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.LOAD_DEBUG) console.error(error);
  console.error(failures.at(-1));
} finally {
  await loopback.close();
  database.close();
  rmSync(dir, { recursive: true, force: true });
  clearInterval(sampler);
}

console.log(
  `\npeak RSS overall: ${mb(peakRss)} MB; requests sent again after a connection error: ${connectionRetries}`,
);
if (failures.length > 0) {
  console.log(`\n${failures.length} check(s) failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('\nall load checks passed');
process.exit(0);
