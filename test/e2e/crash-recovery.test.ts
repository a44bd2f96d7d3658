/**
 * kill -9 for real: a child process runs the app on a database file and is killed with SIGKILL in
 * the middle of an upload's save transaction, or in the middle of a run. A restarted app on the
 * same file finds the earlier dataset and run intact, no half-written version; it takes the killed
 * job over once its lease has run out, tells the channel, and restarts it or resumes it at its reply;
 * the interrupted
 * job marked and the channel told.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SegbotDatabase } from '../../db/client.js';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { createJobStore } from '../../db/repositories/job-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { createSegbotApp, type SegbotApp } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import { type SlackEmulator, startSlackEmulator } from '../../src/local/slack-emulator/index.js';
import { createLogger } from '../../src/logger.js';
import { jobRows } from '../helpers/job-rows.js';

const CHANNEL = 'C0CRASH01';
const USER = 'U0CRASHER';
const here = dirname(fileURLToPath(import.meta.url));

/** Runs the child until it announces `point`, then kills it with SIGKILL. */
async function killAt(path: string, mode: 'upload' | 'saved' | 'run', point: string): Promise<string[]> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(here, '../helpers/crash-app-child.ts'), path, mode],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const seen: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (data) => {
      buffer += String(data);
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        seen.push(line);
        if (line === point) {
          child.kill('SIGKILL');
          resolve();
        }
      }
    });
    child.on('exit', () =>
      reject(new Error(`child exited before "${point}": ${seen.join(' | ')} ${stderr.slice(-2000)}`)),
    );
  });
  expect(await exited).toBe('SIGKILL');
  return seen;
}

/** Starts the app again on the same file against a fresh loopback Slack that has the channel. */
async function restart(database: SegbotDatabase): Promise<{ emulator: SlackEmulator; app: SegbotApp }> {
  const botToken = 'xoxb-restart-test';
  const signingSecret = 'restart-secret';
  const emulator = await startSlackEmulator({ botToken, signingSecret });
  emulator.addChannel({ id: CHANNEL, name: 'crash' });
  emulator.addUser({ id: USER, name: 'crash' });
  const config = {
    ...readConfig({ SEGBOT_ADMINS: USER, SEGBOT_JOB_LEASE_SECONDS: '0.5' }),
    slack: { mode: 'http' as const, botToken, signingSecret },
    slackApiUrl: emulator.apiUrl,
    port: 0,
  };
  const app = createSegbotApp({
    config,
    database,
    logger: createLogger({ level: 'silent' }),
    host: '127.0.0.1',
  });
  const { port } = await app.start();
  emulator.setEventsUrl(`http://127.0.0.1:${port}/slack/events`);
  return { emulator, app };
}

describe('crash recovery (SIGKILL in a child process)', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** Restarts the app on the database and waits for the channel's notice about the job taken over. */
  async function restartAndAwaitNotice(database: SegbotDatabase, what: string, pattern: RegExp) {
    const { emulator, app } = await restart(database);
    cleanup.push(async () => {
      await app.stop();
      await emulator.close();
    });
    const notice = await emulator.waitFor(
      () => emulator.messages(CHANNEL).find((m) => pattern.test(m.text)),
      {
        what: `the notice about the ${what} taken over`,
      },
    );
    return { emulator, notice };
  }

  function tempDatabasePath(): string {
    const dir = mkdtempSync(join(tmpdir(), 'segbot-crash-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return join(dir, 'segbot.sqlite');
  }

  it('killed inside an upload’s save: the first dataset and run survive, no second version, the channel is told', async () => {
    const path = tempDatabasePath();
    const seen = await killAt(path, 'upload', 'mid-upload');
    expect(seen).toContain('baseline');

    const database = openDatabase(path);
    cleanup.push(() => database.close());
    expect(database.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const datasets = createDatasetStore(database);
    expect((await datasets.listDatasets(CHANNEL)).map((d) => [d.version, d.fileName, d.rowCount])).toEqual([
      [1, 'first.csv', 200],
    ]);
    expect((await datasets.loadTable((await datasets.latestDataset(CHANNEL))!.id)).rowCount).toBe(200);
    const runs = createRunStore(database);
    expect((await runs.listRuns(CHANNEL)).map((r) => r.status)).toEqual(['done']);

    const { emulator, notice } = await restartAndAwaitNotice(database, 'upload', /upload .*\*restarted\*/);
    expect(notice.text).toContain(`<@${USER}>`);
    expect(notice.text).toContain('Nothing half-done was kept');
    // The restarted import asks this Slack for the file, which the fresh loopback never had: the
    // import fails in the file's thread, and still no second version appears.
    const jobs = createJobStore(database);
    const retried = await emulator.waitFor(
      () => {
        const job = jobRows(database, CHANNEL).find((j) => j.kind === 'upload' && j.attempts === 2);
        return job && job.status !== 'running' ? job : undefined;
      },
      { what: 'the restarted upload to end' },
    );
    expect(retried.status).toBe('failed');
    const uploadJobs = (await jobs.listJobs(CHANNEL)).filter((j) => j.kind === 'upload');
    expect(uploadJobs.slice(1).every((j) => j.status === 'done')).toBe(true);
    expect(await datasets.listDatasets(CHANNEL)).toHaveLength(1);

    // The version number the dead transaction took is free again: the next upload is version 2.
    await emulator.shareFile(
      CHANNEL,
      USER,
      'again.csv',
      new TextEncoder().encode('CUST_ID,BALANCE,PURCHASES\nA1,1,2\nA2,2,3\nA3,3,5\nA4,4,1\n'),
    );
    await emulator.waitFor(async () => (await datasets.latestDataset(CHANNEL))?.version === 2 || undefined, {
      what: 'version 2',
    });
    expect((await datasets.latestDataset(CHANNEL))?.fileName).toBe('again.csv');
  });

  it('killed after an upload’s save but before its reply: the channel is told the upload finished, with its version', async () => {
    const path = tempDatabasePath();
    await killAt(path, 'saved', 'upload-saved');

    const database = openDatabase(path);
    cleanup.push(() => database.close());
    const datasets = createDatasetStore(database);
    expect((await datasets.listDatasets(CHANNEL)).map((d) => [d.version, d.fileName])).toEqual([
      [2, 'second.csv'],
      [1, 'first.csv'],
    ]);

    // The dataset committed before the kill: the job is resumed at its reply, nothing imported twice.
    const { notice } = await restartAndAwaitNotice(
      database,
      'upload',
      /upload .*interrupted because segbot restarted/,
    );
    expect(notice.text).toContain('the upload finished');
    expect(notice.text).toContain('second.csv (12,000 rows) is now v2');
    expect(notice.text).not.toContain('Nothing half-done was kept');
    expect((await datasets.latestDataset(CHANNEL))?.version).toBe(2);
  });

  it('killed during a run: the earlier run stays, the broken one is failed, the channel is told', async () => {
    const path = tempDatabasePath();
    await killAt(path, 'run', 'mid-run');

    const database = openDatabase(path);
    cleanup.push(() => database.close());
    expect(database.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const runs = createRunStore(database);
    const before = await runs.listRuns(CHANNEL);
    expect(before.map((r) => r.status)).toEqual(['running', 'done']);

    const { emulator } = await restartAndAwaitNotice(
      database,
      'segmentation run',
      /segmentation run .*\*restarted\* it from the beginning/,
    );
    // The broken run is failed and the same request runs again to the end, once.
    const again = await emulator.waitFor(
      async () => {
        const statuses = (await runs.listRuns(CHANNEL)).map((r) => r.status);
        return statuses.length === 3 && statuses[0] !== 'running' ? statuses : undefined;
      },
      { what: 'the restarted run', timeoutMs: 60_000 },
    );
    expect(again).toEqual(['done', 'failed', 'done']);
    const rerun = (await runs.listRuns(CHANNEL))[0]!;
    expect(rerun.params).toMatchObject({ k: 4, seed: 2 });
    expect(await runs.loadAssignments(before[1]!.id)).toHaveLength(200);
    expect(await runs.loadAssignments(rerun.id)).toHaveLength(200);
    expect(await createDatasetStore(database).listDatasets(CHANNEL)).toHaveLength(1);
  });

  it('SIGTERM during an upload: the upload finishes, nothing is left running, the database closes, exit 0', async () => {
    const path = tempDatabasePath();
    const botToken = 'xoxb-sigterm-test';
    const signingSecret = 'sigterm-secret';
    const emulator = await startSlackEmulator({ botToken, signingSecret });
    cleanup.push(() => emulator.close());
    emulator.addChannel({ id: CHANNEL, name: 'crash' });
    emulator.addUser({ id: USER, name: 'crash' });
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), join(here, '../../src/main.ts')],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          SLACK_BOT_TOKEN: botToken,
          SLACK_SIGNING_SECRET: signingSecret,
          SLACK_API_URL: emulator.apiUrl,
          PORT: '0',
          SEGBOT_DB: path,
          SEGBOT_ADMINS: USER,
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    // 'close', not 'exit': the child's last stdout lines may still be in the pipe when it exits.
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const port = await emulator.waitFor(() => /"port":(\d+)/.exec(stdout)?.[1], {
      what: 'segbot listening',
      timeoutMs: 30_000,
    });
    emulator.setEventsUrl(`http://127.0.0.1:${port}/slack/events`);
    const { message } = await emulator.shareFile(
      CHANNEL,
      USER,
      'big.csv',
      new TextEncoder().encode(generateCustomersCsv({ rows: 20_000, seed: 8 })),
    );
    await emulator.waitFor(
      () =>
        emulator.messages(CHANNEL, { threadTs: message.ts }).find((m) => /Importing|Reading/.test(m.text)),
      { what: 'the upload under way' },
    );
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stdout).toContain('segbot stopped');

    const database = openDatabase(path);
    cleanup.push(() => database.close());
    expect(database.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const jobs = await createJobStore(database).listJobs(CHANNEL);
    expect(jobs.map((j) => [j.kind, j.status])).toEqual([['upload', 'done']]);
    expect((await createDatasetStore(database).latestDataset(CHANNEL))?.rowCount).toBe(20_000);
    const thread = emulator.messages(CHANNEL, { threadTs: message.ts }).map((m) => m.text);
    expect(thread.some((t) => /20,000|20000/.test(t))).toBe(true);
  });
});
