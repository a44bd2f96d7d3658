/**
 * Weekly digests and change threads through the real app against the loopback Slack, with a
 * fake clock: the digest at its due time, none twice after a restart (a second app on the same
 * database file), a late one after downtime, a change thread answered in its thread, and a 429.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SegbotDatabase } from '../../db/client.js';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { createScheduleStore } from '../../db/repositories/schedule-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { createSegbotApp, EVENTS_PATH, type SegbotApp } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { E2E_USER, type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';
import { createFakeClock } from '../helpers/fake-clock.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('weekly digests and change threads end to end', () => {
  // Sunday noon; the digest is due on Monday at 09:00 UTC.
  const clock = createFakeClock('2026-11-22T12:00:00Z');
  let h: E2EHarness;
  const extra: { app: SegbotApp; database: SegbotDatabase }[] = [];

  beforeAll(async () => {
    h = await startE2E({ clock, env: { SEGBOT_ADMINS: E2E_USER } });
  });
  afterAll(async () => {
    for (const { app, database } of extra) {
      await app.stop();
      database.close();
    }
    await h?.close();
  });

  const runs = () => createRunStore(h.database);
  const datasets = () => createDatasetStore(h.database);
  const ledger = () => createScheduleStore(h.database);
  const digests = () =>
    h.botMessages().filter((m) => !m.threadTs && /^(Weekly segment digest|Segment digest)/.test(m.text));
  const idle = (app: SegbotApp) =>
    h.emulator.waitFor(() => app.pendingJobs() === 0, { what: 'no queued jobs' });

  /** A second (third …) segbot on the same database file and the same loopback Slack. */
  async function restart(): Promise<SegbotApp> {
    const path = h.database.sqlite.name;
    const database = openDatabase(path);
    const base = readConfig({ SEGBOT_DB: path, LOG_LEVEL: 'silent', SEGBOT_ADMINS: E2E_USER });
    const app = createSegbotApp({
      config: {
        ...base,
        slack: { mode: 'http', ...h.loopback.credentials },
        slackApiUrl: h.emulator.apiUrl,
        port: 0,
      },
      database,
      logger: createLogger({ level: 'silent' }),
      host: '127.0.0.1',
      clock,
      webClient: { retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 } },
    });
    extra.push({ app, database });
    const { port } = await app.start();
    h.emulator.setEventsUrl(`http://127.0.0.1:${port}${EVENTS_PATH}`);
    return app;
  }

  const current = () => extra.at(-1)?.app ?? h.loopback.segbot;

  /** Shares a generated CSV and waits until it is stored as dataset `version`. */
  async function upload(name: string, seed: number, version: number): Promise<void> {
    await h.share(name, generateCustomersCsv({ rows: 200, seed }));
    await h.emulator.waitFor(async () => (await datasets().latestDataset(h.channel))?.version === version, {
      what: `dataset v${version}`,
    });
    await idle(current());
  }

  /** Types `/segbot segment …` and waits until run `id` is done. */
  async function segment(args: string, id: number): Promise<void> {
    await h.segbot(`segment ${args}`);
    await h.emulator.waitFor(async () => (await runs().getRun(h.channel, id))?.status === 'done', {
      what: `run ${id}`,
    });
    await idle(current());
  }

  async function stopLatest(): Promise<void> {
    const latest = extra.at(-1);
    if (latest) await latest.app.stop();
    else await h.loopback.segbot.stop();
  }

  it('posts the digest at its due time, marked on time, with the migration chart in its thread', async () => {
    await upload('customers.csv', 11, 1);
    await segment('k=3 seed=7', 1);
    await upload('customers-week2.csv', 12, 2);
    await segment('k=3 seed=7', 2);

    await h.segbot('digest weekly monday 09:00 UTC');
    await h.waitForBotMessage((m) => /subscribed this channel to a weekly segment digest/.test(m.text), {
      what: 'the subscription notice',
    });
    expect(digests()).toHaveLength(0);

    await clock.advance(20 * HOUR + 59 * 60_000); // Monday 08:59
    expect(digests()).toHaveLength(0);
    await clock.advance(60_000); // Monday 09:00
    const digest = await h.waitForBotMessage((m) => /^Weekly segment digest:/.test(m.text), {
      what: 'the digest',
    });
    expect(messageText(digest)).not.toMatch(/\blate\b/i);
    expect(messageText(digest)).toMatch(/week over week/);
    expect(messageText(digest)).toContain('Run #2 on dataset v2 · compared with run #1');
    const chart = await h.emulator.waitFor(
      () => h.emulator.messages(h.channel, { threadTs: digest.ts }).find((m) => m.files?.length),
      { what: 'the migration chart' },
    );
    expect(chart.files![0]!.name).toBe('migration-run-1-to-2.png');
    expect([...chart.files![0]!.bytes.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    // The ledger is confirmed once the digest and its chart are out.
    await h.emulator.waitFor(
      async () => (await ledger().getLedgerEntry(h.channel, '2026-11-23T09:00:00.000Z'))?.messageTs,
      {
        what: 'the ledger entry',
      },
    );
    expect(await ledger().getLedgerEntry(h.channel, '2026-11-23T09:00:00.000Z')).toMatchObject({
      messageTs: digest.ts,
      late: false,
    });
  });

  it('does not post it twice when a second instance starts on the same database', async () => {
    await stopLatest();
    await restart();
    // The new instance has ticked (nothing owed) and armed its timer for next Monday.
    await h.emulator.waitFor(() => clock.pendingTimers() > 0, { what: 'the second instance’s timer' });
    await clock.advance(30 * 60_000);
    expect(digests()).toHaveLength(1);
    expect((await ledger().lastDigest(h.channel))?.periodKey).toBe('2026-11-23T09:00:00.000Z');
  });

  it('after downtime over the due time, posts on start-up marked late, re-running on the new upload', async () => {
    await upload('customers-week3.csv', 13, 3);
    await stopLatest();
    await clock.advance(7 * DAY + 3 * HOUR); // Monday 30 Nov, 12:30: nobody was running at 09:00
    expect(digests()).toHaveLength(1);

    await restart();
    const late = await h.waitForBotMessage((m) => /^Weekly segment digest \(late\):/.test(m.text), {
      what: 'the late digest',
    });
    expect(late.text).toContain('Late: this digest was due Mon 30 Nov 2026, 09:00 UTC');
    expect(messageText(late)).toContain(
      'segmentation re-run on the newest upload with the last run’s settings',
    );
    expect(await runs().latestRun(h.channel)).toMatchObject({ datasetVersion: 3, k: 3, status: 'done' });
    await h.emulator.waitFor(
      async () => (await ledger().getLedgerEntry(h.channel, '2026-11-30T09:00:00.000Z'))?.messageTs,
      {
        what: 'the ledger entry',
      },
    );
    expect(await ledger().getLedgerEntry(h.channel, '2026-11-30T09:00:00.000Z')).toMatchObject({
      messageTs: late.ts,
      late: true,
    });
    expect(digests()).toHaveLength(2);
    await idle(current());
  });

  it('opens a change thread when a run passes the threshold and answers a mention in it', async () => {
    // Movers lists name customers, which only channels an admin allowed may see.
    await h.segbot('channel allow');
    await h.waitForBotMessage((m) => /allow/i.test(m.text) && /customer/i.test(m.text), {
      what: 'the allow notice',
    });
    await h.segbot('alerts threshold=1');
    await h.waitForBotMessage((m) => /alert threshold to 1 pp/.test(m.text), {
      what: 'the threshold notice',
    });
    const seen = h.botMessages().length;
    await h.segbot('segment k=4 seed=7');
    const alert = await h.waitForBotMessage(
      (m) =>
        !m.threadTs &&
        /^:bell: Segments changed in run #\d+ \(vs run #\d+\) because k changed from 3 to 4, not because customers moved: .*new segment/.test(
          m.text,
        ),
      { after: seen, what: 'the change alert' },
    );
    const run = (await runs().latestRun(h.channel))!;
    expect(run).toMatchObject({ k: 4, status: 'done' });
    await h.emulator.waitFor(
      async () => (await ledger().findChangeThread(h.channel, alert.ts))?.runId === run.id,
      {
        what: 'the recorded change thread',
      },
    );
    const details = await h.waitForBotMessage(
      (m) => m.threadTs === alert.ts && /What changed between run/.test(m.text),
      {
        what: 'the details in the thread',
      },
    );
    expect(messageText(details)).toContain('Suggested actions');
    await h.emulator.waitFor(
      () =>
        h.emulator
          .messages(h.channel, { threadTs: alert.ts })
          .find((m) => m.files?.[0]?.name.startsWith('migration-run-')),
      { what: 'the migration chart in the thread' },
    );

    const before = h.botMessages().length;
    await h.emulator.mention(h.channel, alert.ts, h.user, 'movers 1 1');
    const answer = await h.waitForBotMessage(
      (m) => m.threadTs === alert.ts && /customers (moved from|stayed in)/.test(m.text),
      {
        after: before,
        what: 'the movers answer',
      },
    );
    expect(answer.text).toMatch(/^\d+ customers (moved from|stayed in) /);
    const csv = await h.emulator.waitFor(
      () =>
        h.emulator
          .messages(h.channel, { threadTs: alert.ts })
          .flatMap((m) => m.files ?? [])
          .find((f) => f.name.endsWith('.csv')),
      { what: 'the movers CSV' },
    );
    expect(new TextDecoder().decode(csv.bytes).split('\n')[0]).toBe('customer_id,segment_before,segment_now');

    await h.emulator.mention(h.channel, alert.ts, h.user, 'what about the weather?');
    await h.waitForBotMessage(
      (m) => m.threadTs === alert.ts && /I can’t answer “what about the weather\?” yet/.test(m.text),
      {
        what: 'the list of questions',
      },
    );
  });

  it('waits out a 429 on the digest post and still delivers it, once', async () => {
    await idle(current());
    const postsBefore = h.emulator.calls('chat.postMessage').length;
    h.emulator.failNext('chat.postMessage', { retryAfter: 1 });
    await h.segbot('digest now');
    const digest = await h.waitForBotMessage((m) => /^Segment digest:/.test(m.text), {
      what: 'the digest after a 429',
    });
    const posts = h.emulator.calls('chat.postMessage').slice(postsBefore);
    // The rate-limited call and its retry are the same request; it was posted once.
    expect(posts[1]!.params).toEqual(posts[0]!.params);
    expect(h.botMessages().filter((m) => m.text === digest.text)).toHaveLength(1);
  });

  it('finds a digest that reached Slack before a crash and does not post it again', async () => {
    await idle(current());
    await stopLatest();
    // The previous process claimed Monday 7 December's digest and posted it, then died before
    // recording the post: the ledger says "pending" and the message is already in the channel.
    const periodKey = '2026-12-07T09:00:00.000Z';
    expect(await ledger().claimDigest({ channelId: h.channel, periodKey })).toBe('claimed');
    const response = await fetch(`${h.emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${h.loopback.credentials.botToken}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({
        channel: h.channel,
        text: 'Weekly segment digest: posted just before the crash',
        metadata: { event_type: 'segbot_digest', event_payload: { period_key: periodKey } },
      }),
    });
    const posted = (await response.json()) as { ok: boolean; ts: string };
    expect(posted.ok).toBe(true);
    const before = digests().length;

    await clock.set('2026-12-07T09:05:00Z');
    await restart();
    await h.emulator.waitFor(async () => (await ledger().getLedgerEntry(h.channel, periodKey))?.messageTs, {
      what: 'the recovered ledger entry',
    });
    expect((await ledger().getLedgerEntry(h.channel, periodKey))?.messageTs).toBe(posted.ts);
    await idle(current());
    expect(digests()).toHaveLength(before);
  });
});
