import { describe, expect, it } from 'vitest';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { DIGEST_EVENT_TYPE } from '../../../src/slack/digest/digest-outlet.js';
import { sampleCustomersCsv, slackPlatformError } from '../../helpers/command-args.js';
import { createDigestFixture } from '../slack/digest/service-fixture.js';

const MONDAY_NINE = '2026-11-23T09:00:00.000Z';

function textOf(post: Record<string, unknown>): string {
  return `${String(post.text)}\n${JSON.stringify(post.blocks ?? [])}`;
}

describe('digest service', () => {
  it('posts the digest at the due time with metadata and the migration chart in its thread, once', async () => {
    const f = createDigestFixture();
    await f.upload(200, 11);
    await f.segment(3);
    await f.upload(200, 12);
    await f.segment(3);
    await f.schedules.setSchedule({
      channelId: 'C0TEST',
      day: 'monday',
      time: '09:00',
      timezone: 'UTC',
      createdBy: 'U0BOB',
    });
    await f.digests.start();
    expect(f.posts()).toHaveLength(0);

    await f.clock.advance(21 * 3600_000); // Monday 09:00
    await f.digests.scheduler.tick();
    const posts = f.posts();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      channel: 'C0TEST',
      metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { period_key: MONDAY_NINE } },
    });
    expect(textOf(posts[0]!)).toContain('Weekly segment digest');
    // On time: no "late" note (the word "latest", as in the "Open the latest run" button, is fine).
    expect(textOf(posts[0]!)).not.toMatch(/\blate\b/);
    expect(textOf(posts[0]!)).toMatch(/week over week/);
    const ts = f.fake.messages[0]!.ts;
    const uploads = f.fake.callsOf('files.uploadV2');
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ channel_id: 'C0TEST', thread_ts: ts });
    expect(await f.schedules.getLedgerEntry('C0TEST', MONDAY_NINE)).toMatchObject({
      messageTs: ts,
      late: false,
    });

    await f.clock.advance(3600_000);
    await f.digests.scheduler.tick();
    expect(f.posts()).toHaveLength(1);
    f.digests.stop();
  });

  it('marks a digest sent after downtime as late', async () => {
    const f = createDigestFixture({ start: '2026-11-20T12:00:00Z' });
    await f.upload();
    await f.segment(3);
    await f.schedules.setSchedule({
      channelId: 'C0TEST',
      day: 'monday',
      time: '09:00',
      timezone: 'Europe/London',
      createdBy: 'U0BOB',
    });
    f.clock.set('2026-11-23T13:30:00Z'); // the bot was down at 09:00
    await f.digests.start();
    const post = f.posts()[0]!;
    expect(textOf(post)).toContain('Weekly segment digest (late)');
    expect(String(post.text)).toContain('Late: this digest was due Mon 23 Nov 2026, 09:00 Europe/London');
    expect((await f.schedules.getLedgerEntry('C0TEST', MONDAY_NINE))?.late).toBe(true);
    f.digests.stop();
  });

  it('finds a digest an interrupted attempt already posted instead of posting it again', async () => {
    const f = createDigestFixture({
      start: '2026-11-23T09:05:00Z',
      history: [
        { ts: '1700000009.000100', text: 'hello' },
        {
          ts: '1700000005.000100',
          text: 'Weekly segment digest',
          metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { period_key: MONDAY_NINE } },
        },
      ],
    });
    await f.schedules.setSchedule({
      channelId: 'C0TEST',
      day: 'monday',
      time: '09:00',
      timezone: 'UTC',
      createdBy: 'U0BOB',
    });
    // Claimed before a crash, never confirmed.
    expect(await f.schedules.claimDigest({ channelId: 'C0TEST', periodKey: MONDAY_NINE })).toBe('claimed');
    const sent = await f.digests.post({
      channelId: 'C0TEST',
      dueAt: new Date(MONDAY_NINE),
      periodKey: MONDAY_NINE,
      late: false,
      recovering: true,
    });
    expect(sent).toBe('1700000005.000100');
    expect(f.posts()).toHaveLength(0);
    expect(f.fake.callsOf('conversations.history')[0]).toMatchObject({
      channel: 'C0TEST',
      include_all_metadata: true,
    });
  });

  it('posts again when the interrupted attempt never reached Slack', async () => {
    const f = createDigestFixture({ history: [] });
    const ts = await f.digests.post({
      channelId: 'C0TEST',
      dueAt: new Date(MONDAY_NINE),
      periodKey: MONDAY_NINE,
      late: false,
      recovering: true,
    });
    expect(ts).toBe(f.fake.messages[0]!.ts);
    expect(String(f.posts()[0]!.text)).toContain('no segments in this channel yet');
  });

  it('re-runs segmentation with the last run’s settings when a newer upload waits', async () => {
    const f = createDigestFixture();
    await f.upload(200, 11);
    const first = await f.segment(4);
    await f.upload(180, 13);
    await f.digests.postNow('C0TEST', 'U0ALICE');
    const latest = (await f.deps.runs.latestRun('C0TEST'))!;
    expect(latest.id).toBeGreaterThan(first);
    expect(latest).toMatchObject({
      status: 'done',
      datasetVersion: 2,
      k: 4,
      userId: 'U0ALICE',
      params: { k: 4, seed: 7 },
    });
    const digest = textOf(f.posts()[0]!);
    expect(digest).toContain(`Run #${latest.id} on dataset v2`);
    expect(digest).toContain(`compared with run #${first}`);
    expect(digest).toContain('re-run on the newest upload');
  });

  it('opens a change thread when a run passes the threshold, records it, and only once', async () => {
    const f = createDigestFixture();
    await f.upload(200, 11);
    await f.segment(3);
    const second = await f.segment(4);
    const threadTs = await f.digests.detectChange('C0TEST', second);
    expect(threadTs).toBe(f.fake.messages[0]!.ts);
    const [alert, details] = f.posts();
    expect(alert!.thread_ts).toBeUndefined();
    expect(String(alert!.text)).toMatch(
      /^:bell: Segments changed in run #2 \(vs run #1\) because k changed from 3 to 4, not because customers moved: .*1 new segment/,
    );
    expect(details!.thread_ts).toBe(threadTs);
    expect(textOf(details!)).toContain('Suggested actions');
    expect(f.fake.callsOf('files.uploadV2')[0]).toMatchObject({ thread_ts: threadTs });
    expect(await f.schedules.findChangeThread('C0TEST', threadTs!)).toMatchObject({
      runId: second,
      previousRunId: 1,
    });

    expect(await f.digests.detectChange('C0TEST', second)).toBe(threadTs);
    expect(f.posts()).toHaveLength(2);
  });

  it('does not compare runs on a file without an id column', async () => {
    const f = createDigestFixture();
    // The generated customers without their CUST_ID column: customers are then only row numbers.
    const lines = sampleCustomersCsv(200, 11).trim().split('\n');
    const csv = lines.map((line) => line.slice(line.indexOf(',') + 1)).join('\n');
    const ingest = await ingestCsv(new TextEncoder().encode(csv), { fileName: 'no-id.csv' });
    expect(ingest.quality.notes).toContain(
      'No id column: row numbers are used as ids, so runs on this file are not compared with other runs.',
    );
    await f.deps.datasets.saveDataset({ channelId: 'C0TEST', userId: 'U0BOB', ingest });
    await f.segment(3);
    const second = await f.segment(4);
    expect(await f.digests.detectChange('C0TEST', second)).toBeNull();
    expect(f.posts()).toHaveLength(0);
  });

  it('stays quiet below the threshold', async () => {
    const f = createDigestFixture();
    await f.upload(200, 11);
    await f.segment(3);
    const again = await f.segment(3);
    expect(await f.digests.detectChange('C0TEST', again)).toBeNull();
    expect(f.posts()).toHaveLength(0);
  });

  it('answers a mention in a change thread in that thread, with the movers CSV', async () => {
    const f = createDigestFixture();
    await f.upload(200, 11);
    await f.segment(3);
    const run = await f.segment(4);
    const threadTs = (await f.digests.detectChange('C0TEST', run))!;
    const before = f.posts().length;
    await f.digests.answerMention({
      channelId: 'C0TEST',
      threadTs,
      ts: '1700009999.000100',
      text: '<@U0SEGBOT> movers 1 2',
    });
    const reply = f.posts()[before]!;
    expect(reply.thread_ts).toBe(threadTs);
    expect(String(reply.text)).toMatch(/customers (moved from|stayed in) /);
    await f.digests.answerMention({
      channelId: 'C0TEST',
      threadTs,
      ts: '1700009999.000200',
      text: '<@U0SEGBOT> compare',
    });
    expect(String(f.posts().at(-1)!.text)).toContain(`Now: run #${run}`);
  });

  it('answers a mention outside a change thread with what it can do', async () => {
    const f = createDigestFixture();
    await f.digests.answerMention({
      channelId: 'C0TEST',
      ts: '1700009999.000100',
      text: '<@U0SEGBOT> compare',
    });
    const reply = f.posts()[0]!;
    expect(reply.thread_ts).toBe('1700009999.000100');
    expect(String(reply.text)).toContain('@segbot movers <from> <to>');
  });

  it('tries a failed scheduled digest again a few minutes later, not next week', async () => {
    const f = createDigestFixture({ start: '2026-11-23T08:00:00Z' });
    await f.schedules.setSchedule({
      channelId: 'C0TEST',
      day: 'monday',
      time: '09:00',
      timezone: 'UTC',
      createdBy: 'U0BOB',
    });
    let failures = 1;
    const post = f.fake.client.chat.postMessage.bind(f.fake.client.chat);
    (f.fake.client.chat as unknown as Record<string, unknown>).postMessage = async (args: never) => {
      if (failures-- > 0) throw slackPlatformError('internal_error');
      return post(args);
    };
    await f.digests.start();
    await f.clock.advance(3600_000);
    expect((await f.schedules.getLedgerEntry('C0TEST', MONDAY_NINE))?.messageTs).toBeNull();
    await f.clock.advance(5 * 60_000);
    await f.digests.scheduler.tick();
    expect((await f.schedules.getLedgerEntry('C0TEST', MONDAY_NINE))?.messageTs).toBe(f.fake.messages[0]!.ts);
    expect(f.fake.messages).toHaveLength(1);
    f.digests.stop();
  });
});
