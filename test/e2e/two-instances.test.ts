/**
 * Two segbot instances on one database: two child processes running the real app in HTTP mode
 * against one database (a SQLite file in `npm test`, PostgreSQL in `npm run test:pg`) and one
 * loopback Slack, with the test as the load balancer (each signed
 * command goes to the other instance than the one before). 200 `/segbot segment` commands over
 * eight channels; one of them is slow, and the instance running it is killed with SIGKILL.
 *
 * Checked from the database and from what Slack shows: every command ran to the end exactly once,
 * each channel's runs finished in the order the commands were sent, every command was acknowledged
 * within Slack's 3 seconds, and the killed job was taken over by the other instance after its
 * lease, with the channel told it was restarted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { openPostgresDatabase, type StorageDatabase } from '../../db/client-pg.js';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { createScheduleStore } from '../../db/repositories/schedule-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { ingestCsv } from '../../src/analytics/ingest/ingest-csv.js';
import { type SlackEmulator, startSlackEmulator } from '../../src/local/slack-emulator/index.js';
import { jobRowsOf } from '../helpers/job-rows.js';
import { storageBackends } from '../helpers/storage-backends.js';
import { testDatabaseUrl } from '../helpers/test-postgres.js';

const here = dirname(fileURLToPath(import.meta.url));
const BOT_TOKEN = 'xoxb-two-instances';
const SIGNING_SECRET = 'two-instances-secret';
const USER = 'U0MARKETER';
const CHANNELS = Array.from({ length: 8 }, (_, i) => `C0MULTI${i + 1}`);
const COMMANDS = 200;
const SLOW_SEED = 9999;
/** The slow command is the fourth one of the first channel, so work queues behind it. */
const SLOW_AT = 3 * CHANNELS.length;

interface Instance {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | null>;
}

function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(here, '../helpers/instance-child.ts')],
    { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (d) => {
      stdout += String(d);
      const port = /listening (\d+)/.exec(stdout)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}/slack/events`, exited });
    });
    child.on('exit', () => reject(new Error(`an instance exited before listening: ${stderr.slice(-2000)}`)));
  });
}

/**
 * One database for both instances and the test: a SQLite file, or (npm run test:pg) a PostgreSQL
 * database of its own on the test server, dropped at the end.
 */
async function sharedDatabase(
  backend: 'sqlite' | 'postgres',
  dir: string,
): Promise<{ database: StorageDatabase; env: Record<string, string>; drop(): Promise<void> }> {
  if (backend === 'sqlite') {
    const path = join(dir, 'segbot.sqlite');
    return { database: openDatabase(path), env: { SEGBOT_DB: path }, drop: async () => {} };
  }
  const serverUrl = testDatabaseUrl();
  const name = `segbot_two_${process.pid}_${Date.now().toString(36)}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    database: await openPostgresDatabase(url.href),
    env: { SEGBOT_DATABASE_URL: url.href },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

describe.each(storageBackends())('two instances on one database ($name)', ({ name: backend }) => {
  let dir: string;
  let database: StorageDatabase;
  let drop: () => Promise<void> = async () => {};
  let emulator: SlackEmulator;
  const instances: Instance[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'segbot-two-'));
    const shared = await sharedDatabase(backend, dir);
    database = shared.database;
    drop = shared.drop;
    const datasets = createDatasetStore(database);
    const schedules = createScheduleStore(database);
    for (const [i, channelId] of CHANNELS.entries()) {
      const csv = generateCustomersCsv({ rows: 120, seed: 10 + i });
      const ingest = await ingestCsv(new TextEncoder().encode(csv), { fileName: `customers-${i}.csv` });
      await datasets.saveDataset({ channelId, userId: USER, ingest });
      // Runs with other seeds regroup a few customers; "segments changed" threads are not the point here.
      await schedules.setAlertThreshold(channelId, 100, USER);
    }
    emulator = await startSlackEmulator({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
    for (const [i, id] of CHANNELS.entries()) emulator.addChannel({ id, name: `multi-${i}` });
    emulator.addUser({ id: USER, name: 'marketer' });
    const env = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: emulator.apiUrl,
      PORT: '0',
      ...shared.env,
      SEGBOT_JOB_LEASE_SECONDS: '1',
      SEGBOT_CHANNEL_CONCURRENCY: '3',
      LOG_LEVEL: 'silent',
      SLOW_MARK: join(dir, 'slow-started'),
    };
    instances.push(...(await Promise.all([startInstance(env), startInstance(env)])));
  }, 60_000);

  afterAll(async () => {
    for (const instance of instances) {
      if (instance.child.exitCode === null && instance.child.signalCode === null) {
        instance.child.kill('SIGTERM');
        await instance.exited;
      }
    }
    await emulator?.close();
    await database?.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs each of 200 commands once, in order per channel, and loses nothing when an instance is killed', async () => {
    const sent = new Map<string, number[]>(CHANNELS.map((c) => [c, []]));
    const ackMs: number[] = [];
    for (let i = 0; i < COMMANDS; i += 1) {
      const channelId = CHANNELS[i % CHANNELS.length]!;
      const seed = i === SLOW_AT ? SLOW_SEED : i + 1;
      sent.get(channelId)!.push(seed);
      // The load balancer: alternate instances, one command after the other.
      emulator.setEventsUrl(instances[i % 2]!.url);
      const delivery = await emulator.sendCommand(channelId, USER, `segment k=3 seed=${seed}`);
      expect(delivery.status).toBe(200);
      ackMs.push(delivery.ackMs);
    }
    expect(Math.max(...ackMs)).toBeLessThan(3000);

    // Kill whichever instance runs the slow job, while it runs.
    const slowChannel = CHANNELS[SLOW_AT % CHANNELS.length]!;
    const slowJob = await emulator.waitFor(
      async () =>
        (await jobRowsOf(database, slowChannel)).find(
          (j) =>
            j.status === 'running' &&
            j.request?.source === 'command' &&
            j.request.words.includes(`seed=${SLOW_SEED}`),
        ),
      { what: 'the slow job running', timeoutMs: 30_000 },
    );
    await emulator.waitFor(() => existsSync(join(dir, 'slow-started')) || undefined, {
      what: 'the slow run',
    });
    const killedPid = Number(readFileSync(join(dir, 'slow-started'), 'utf8'));
    expect(slowJob.owner).toContain(`/${killedPid}/`);
    const victim = instances.find((instance) => instance.child.pid === killedPid)!;
    const survivor = instances.find((instance) => instance !== victim)!;
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    emulator.setEventsUrl(survivor.url);

    // Everything finishes on the survivor.
    const runs = createRunStore(database);
    const doneSeeds = async (channelId: string) =>
      (await runs.listRuns(channelId, 1000))
        .filter((r) => r.status === 'done')
        .sort((a, b) => a.id - b.id)
        .map((r) => r.params.seed);
    // Generous: 200 segmentations on two processes share the machine with the rest of the suite.
    await emulator
      .waitFor(
        async () => {
          for (const c of CHANNELS) if ((await doneSeeds(c)).length !== sent.get(c)!.length) return undefined;
          return true;
        },
        { what: 'all 200 runs', timeoutMs: 120_000 },
      )
      .catch(async (error: unknown) => {
        // Slow or stuck: the counts tell which.
        const done = await Promise.all(CHANNELS.map(async (c) => (await doneSeeds(c)).length));
        const statuses = (await jobRowsOf(database)).map((j) => j.status);
        const count = (status: string) => statuses.filter((s) => s === status).length;
        throw new Error(
          `${(error as Error).message}: runs done per channel ${done.join(', ')}; jobs queued ${count('queued')}, running ${count('running')}, done ${count('done')}, failed ${count('failed')}`,
        );
      });
    // Exactly once and in send order, per channel.
    for (const channelId of CHANNELS) expect(await doneSeeds(channelId)).toEqual(sent.get(channelId));
    expect(await jobRowsOf(database)).toHaveLength(COMMANDS);
    await emulator.waitFor(
      async () => (await jobRowsOf(database)).every((j) => j.status === 'done') || undefined,
      { what: 'every job done' },
    );
    const jobs = await jobRowsOf(database);
    const slow = jobs.find((j) => j.id === slowJob.id)!;
    expect(slow).toMatchObject({ status: 'done', attempts: 2 });
    expect(slow.owner).not.toContain(`/${killedPid}/`);
    // Failed runs are the broken first attempts of jobs the killed instance was running (the slow
    // one among them), each taken over and run again: no other job ran twice.
    const seedOf = (job: (typeof jobs)[number]) =>
      job.request?.source === 'command' ? Number(job.request.words.at(-1)?.replace('seed=', '')) : Number.NaN;
    const restarted = jobs.filter((j) => j.attempts === 2).map((j) => `${j.channelId} ${seedOf(j)}`);
    expect(jobs.every((j) => j.attempts <= 2)).toBe(true);
    const failed = (await Promise.all(CHANNELS.map((c) => runs.listRuns(c, 1000))))
      .flat()
      .filter((r) => r.status === 'failed')
      .map((r) => `${r.channelId} ${r.params.seed}`);
    expect(failed).toContain(`${slowChannel} ${SLOW_SEED}`);
    for (const run of failed) expect(restarted).toContain(run);
    // Both instances ran jobs.
    const ranBy = (pid: number | undefined) => jobs.filter((j) => j.owner?.includes(`/${pid}/`)).length;
    expect(ranBy(killedPid)).toBeGreaterThan(0);
    expect(ranBy(survivor.child.pid)).toBeGreaterThan(0);

    // What the channel saw: told the slow run was restarted, and one summary per command, in order.
    const texts = emulator.messages(slowChannel, { includeEphemeral: false }).map((m) => m.text);
    expect(texts.some((t) => /segmentation run .*\*restarted\* it from the beginning/.test(t))).toBe(true);
    // The killed instance's commands queued behind the slow one were resumed by the survivor.
    expect(
      texts.some((t) => /was waiting on a segbot instance that stopped, so segbot \*resumed\* it/.test(t)),
    ).toBe(true);
    for (const channelId of CHANNELS) {
      // Each run's progress message becomes its summary ("Run #12: …"); their order is the send order.
      const seedOfRun = new Map((await runs.listRuns(channelId, 1000)).map((r) => [r.id, r.params.seed]));
      const replied = emulator
        .messages(channelId, { includeEphemeral: false })
        .map((m) => /^Run #(\d+):/.exec(m.text)?.[1])
        .filter((id): id is string => id !== undefined)
        .map((id) => seedOfRun.get(Number(id))!);
      const order = sent.get(channelId)!;
      const positions = replied.map((seed) => order.indexOf(seed));
      expect(positions.every((at, i) => at >= 0 && (i === 0 || at > positions[i - 1]!))).toBe(true);
      // Every command answered; only a job cut short after its run was stored may have no summary
      // of its own (the channel was told its run number instead).
      const unanswered = order.filter((seed) => !replied.includes(seed));
      expect(unanswered.length).toBeLessThanOrEqual(1);
    }
  }, 180_000);
});
