/**
 * Access control, privacy and Slack failures through the real app over HTTP against the loopback
 * Slack: roles managed with /segbot, uploads refused to non-admins, the upload cap enforced while
 * streaming, forget, and logs that never carry customer ids, file content or tokens.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { createAccessStore } from '../../db/repositories/access-store.js';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { readConfig } from '../../src/config.js';
import { type Loopback, startLoopback } from '../../src/local/start-loopback.js';
import { createLogger } from '../../src/logger.js';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';

const OUTSIDER = 'U0OUTSIDER';
const csv = generateCustomersCsv({ rows: 150, seed: 9 });

describe('roles and privacy end to end', () => {
  let h: E2EHarness;
  beforeAll(async () => {
    h = await startE2E();
    h.emulator.addUser({ id: OUTSIDER, name: 'mallory' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('seeds the first admin from SEGBOT_ADMINS', async () => {
    expect((await createAccessStore(h.database).listAdmins()).map((a) => a.userId)).toEqual([h.user]);
  });

  it('refuses a CSV dropped by someone who is not an admin, in its thread, and stores nothing', async () => {
    const { message } = await h.share('customers.csv', csv, { user: OUTSIDER });
    const reply = await h.waitForBotMessage((m) => /Only segbot admins can upload/.test(messageText(m)), {
      what: 'the refusal',
    });
    expect(reply.ephemeralTo).toBe(OUTSIDER);
    expect(reply.threadTs).toBe(message.ts);
    expect(h.emulator.downloads()).toHaveLength(0);
    expect(await createDatasetStore(h.database).latestDataset(h.channel)).toBeNull();
  });

  it('lets an admin make the outsider an admin with a Slack mention; then their upload works', async () => {
    const before = h.botMessages().length;
    await h.segbot(`admins add <@${OUTSIDER}|mallory>`);
    await h.waitForBotMessage((m) => /is now a segbot admin/.test(messageText(m)), { after: before });
    expect(await createAccessStore(h.database).isAdmin(OUTSIDER)).toBe(true);
    const { message } = await h.share('customers.csv', csv, { user: OUTSIDER });
    await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && /150/.test(messageText(m)) && !/…/.test(m.text),
      {
        what: 'the quality report',
      },
    );
    expect((await createDatasetStore(h.database).latestDataset(h.channel))?.rowCount).toBe(150);
  });

  it('keeps channel permission to admins and tells the channel when it changes', async () => {
    const admins = createAccessStore(h.database);
    await admins.removeAdmin(OUTSIDER);
    let before = h.botMessages().length;
    await h.segbot('channel allow', { user: OUTSIDER });
    await h.waitForBotMessage((m) => /Only segbot admins can allow channels/.test(messageText(m)), {
      after: before,
    });
    expect(await admins.isChannelAllowed(h.channel)).toBe(false);
    before = h.botMessages().length;
    await h.segbot('channel allow');
    const notice = await h.waitForBotMessage(
      (m) => /allowed this channel to receive customer-level data/.test(m.text),
      {
        after: before,
      },
    );
    expect(notice.ephemeralTo).toBeUndefined();
    expect(await admins.isChannelAllowed(h.channel)).toBe(true);
  });

  it('keeps digest schedules and alert thresholds to admins', async () => {
    let before = h.botMessages().length;
    await h.segbot('digest weekly monday 09:00 UTC', { user: OUTSIDER });
    await h.waitForBotMessage((m) => /Only segbot admins can change digest schedules/.test(messageText(m)), {
      after: before,
    });
    before = h.botMessages().length;
    await h.segbot('alerts threshold=3', { user: OUTSIDER });
    await h.waitForBotMessage((m) => /Only segbot admins can change alert thresholds/.test(messageText(m)), {
      after: before,
    });
    before = h.botMessages().length;
    await h.segbot('alerts threshold=3');
    await h.waitForBotMessage((m) => /set this channel’s alert threshold to 3 pp/.test(messageText(m)), {
      after: before,
    });
  });

  it('forgets the channel’s data on an admin’s request and says exactly what was deleted', async () => {
    let before = h.botMessages().length;
    await h.segbot('segment k=3 seed=2');
    await h.waitForBotMessage((m) => /Segment|segment/.test(m.text) && !m.ephemeralTo && !/…/.test(m.text), {
      after: before,
      what: 'the segment summary',
      timeoutMs: 60_000,
    });
    await h.emulator.waitFor(() => h.loopback.segbot.pendingJobs() === 0 || undefined, {
      what: 'idle queue',
    });
    expect(await createRunStore(h.database).latestRun(h.channel)).not.toBeNull();

    before = h.botMessages().length;
    await h.segbot('forget', { user: OUTSIDER });
    await h.waitForBotMessage((m) => /Only segbot admins can delete/.test(messageText(m)), { after: before });
    expect(await createDatasetStore(h.database).latestDataset(h.channel)).not.toBeNull();

    // The admin is asked first, privately, and confirms with the button (and Slack's confirm dialog).
    before = h.botMessages().length;
    await h.segbot('forget');
    const prompt = await h.waitForBotMessage((m) => /This deletes 1 dataset version/.test(m.text), {
      after: before,
    });
    expect(prompt.ephemeralTo).toBe(h.user);
    expect(await createDatasetStore(h.database).latestDataset(h.channel)).not.toBeNull();
    before = h.botMessages().length;
    await h.emulator.pressButton(h.user, { channel: h.channel, ts: prompt.ts }, 'segbot_forget_confirmed', {
      confirmed: true,
    });
    const reply = await h.waitForBotMessage((m) => /asked segbot to forget/.test(m.text), { after: before });
    expect(reply.text).toContain('Deleted 1 dataset version (150 customer rows), 1 segmentation run');
    expect(await createDatasetStore(h.database).latestDataset(h.channel)).toBeNull();
    expect(await createRunStore(h.database).latestRun(h.channel)).toBeNull();
  });

  it('wrote no customer id, no file content and no secret to the logs during all of this', () => {
    const logs = h.logs.join('\n');
    expect(logs.length).toBeGreaterThan(500);
    const rows = csv.trim().split('\n').slice(1);
    for (const row of rows) {
      const [id, balance] = row.split(',');
      expect(logs).not.toContain(id!);
      if (balance && balance.length >= 6) expect(logs).not.toContain(balance);
    }
    expect(logs).not.toContain(csv.split('\n')[0]!);
    expect(logs).not.toContain(h.loopback.credentials.botToken);
    expect(logs).not.toContain(h.loopback.credentials.signingSecret);
  });
});

describe('upload size cap through Slack', () => {
  let h: E2EHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('refuses a file whose declared size is over SEGBOT_MAX_UPLOAD_MB without downloading it', async () => {
    h = await startE2E({ env: { SEGBOT_MAX_UPLOAD_MB: '0.01' } });
    const { message } = await h.share('big.csv', generateCustomersCsv({ rows: 200, seed: 1 }));
    const reply = await h.waitForBotMessage((m) => /SEGBOT_MAX_UPLOAD_MB/.test(messageText(m)), {
      what: 'the size refusal',
    });
    expect(reply.threadTs).toBe(message.ts);
    expect(h.emulator.downloads()).toHaveLength(0);
  });

  it('stops reading a download that turns out larger than declared, at the cap', async () => {
    let pulled = 0;
    let cancelled = false;
    const chunk = new TextEncoder().encode(`${'C1,1,2\n'.repeat(9362)}`); // about 64 KB
    const endless = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('CUST_ID,BALANCE,PURCHASES\n'));
          },
          pull(controller) {
            pulled += chunk.byteLength;
            controller.enqueue(chunk);
          },
          cancel() {
            cancelled = true;
          },
        }),
        { status: 200, headers: { 'content-type': 'text/csv' } },
      )) as typeof fetch;
    h = await startE2E({ env: { SEGBOT_MAX_UPLOAD_MB: '1' }, overrides: { fetch: endless } });
    const { message } = await h.share('small-looking.csv', 'CUST_ID,BALANCE\nC1,1\n');
    const reply = await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && /larger than the 1 MB/.test(messageText(m)),
      { what: 'the size refusal while streaming' },
    );
    expect(messageText(reply)).toContain('data is unchanged');
    expect(pulled).toBeLessThanOrEqual(1024 * 1024 + 4 * chunk.byteLength);
    expect(cancelled).toBe(true);
    expect(await createDatasetStore(h.database).latestDataset(h.channel)).toBeNull();
  });
});

describe('Slack failures end to end', () => {
  let h: E2EHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('still posts the text result of a run when the chart upload fails', async () => {
    h = await startE2E();
    const { message } = await h.share('customers.csv', csv);
    await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && /150/.test(messageText(m)) && !/…/.test(m.text),
    );
    h.emulator.failNext('files.uploadV2', { error: 'internal_error', times: 10 });
    h.emulator.failNext('files.getUploadURLExternal', { error: 'internal_error', times: 10 });
    const before = h.botMessages().length;
    await h.segbot('segment k=3 seed=4');
    await h.emulator.waitFor(
      () => (h!.loopback.segbot.pendingJobs() === 0 && h!.botMessages().length > before + 1) || undefined,
      { what: 'the run to settle', timeoutMs: 60_000 },
    );
    const texts = h.botMessages().slice(before).map(messageText).join('\n');
    const run = await createRunStore(h.database).latestRun(h.channel);
    expect(run?.status).toBe('done');
    expect(h.emulator.files(h.channel).filter((f) => f.filetype === 'png')).toHaveLength(0);
    for (const segment of run!.segments) expect(texts).toContain(segment.name);
  });

  it('two commands at once in one channel are queued and both complete, in order', async () => {
    h = await startE2E();
    const first = generateCustomersCsv({ rows: 120, seed: 21 });
    const second = generateCustomersCsv({ rows: 130, seed: 22 });
    const [a, b] = await Promise.all([h.share('first.csv', first), h.share('second.csv', second)]);
    expect(a.delivery.status).toBe(200);
    expect(b.delivery.status).toBe(200);
    await h.emulator.waitFor(
      async () =>
        ((await createDatasetStore(h!.database).latestDataset(h!.channel))?.version === 2 &&
          h!.loopback.segbot.pendingJobs() === 0) ||
        undefined,
      { what: 'both uploads stored', timeoutMs: 60_000 },
    );
    const store = createDatasetStore(h.database);
    const versions = (await store.listDatasets(h.channel)).sort((x, y) => x.version - y.version);
    expect(versions.map((v) => v.fileName)).toEqual(['first.csv', 'second.csv']);
    expect(versions.map((v) => v.rowCount)).toEqual([120, 130]);
  });
});

describe('network errors to the Web API', () => {
  let loopback: Loopback | undefined;
  let database: ReturnType<typeof openDatabase> | undefined;
  afterEach(async () => {
    await loopback?.close();
    database?.close();
    loopback = undefined;
  });

  async function start(failing: (method: string, attempt: number) => boolean) {
    const attempts = new Map<string, number>();
    const flaky = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      const method = url.slice(url.lastIndexOf('/') + 1);
      const attempt = (attempts.get(method) ?? 0) + 1;
      attempts.set(method, attempt);
      if (failing(method, attempt)) throw new TypeError('fetch failed: ECONNRESET');
      return fetch(input, init);
    }) as typeof fetch;
    database = openDatabase(':memory:');
    const config = readConfig({ SEGBOT_DB: ':memory:', SEGBOT_ADMINS: 'U0NET' });
    loopback = await startLoopback({
      config,
      database,
      logger: createLogger({ level: 'silent' }),
      webClient: { fetch: flaky, retryConfig: { retries: 3, factor: 1, minTimeout: 20, maxTimeout: 40 } },
    });
    loopback.emulator.addChannel({ id: 'C0NET', name: 'net' });
    loopback.emulator.addUser({ id: 'U0NET', name: 'net' });
    return { emulator: loopback.emulator, attempts };
  }

  it('retries a dropped connection with backoff and delivers the message', async () => {
    const { emulator, attempts } = await start(
      (method, attempt) => method === 'chat.postMessage' && attempt <= 2,
    );
    await emulator.sendCommand('C0NET', 'U0NET', 'channel allow');
    const notice = await emulator.waitFor(
      () => emulator.messages('C0NET').find((m) => /allowed this channel/.test(m.text)),
      { what: 'the announcement after retries' },
    );
    expect(notice.ephemeralTo).toBeUndefined();
    expect(attempts.get('chat.postMessage')).toBe(3);
  });

  it('reports to the person when Slack stays unreachable', async () => {
    const { emulator, attempts } = await start(
      (method) => method === 'chat.postMessage' || method === 'chat.postEphemeral',
    );
    await emulator.sendCommand('C0NET', 'U0NET', 'channel allow');
    const reply = await emulator.waitFor(
      () =>
        emulator
          .messages('C0NET', { includeEphemeral: true })
          .find((m) => /allowed this channel/.test(m.text)),
      { what: 'the private answer through response_url' },
    );
    expect(reply.ephemeralTo).toBe('U0NET');
    expect(attempts.get('chat.postMessage')).toBe(4);
  });
});
