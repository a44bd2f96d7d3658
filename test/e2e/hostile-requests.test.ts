/**
 * Hostile requests against the real app over HTTP: signed bodies that are not Slack payloads,
 * timestamps from the future, Slack's retries of an event, a file shared twice, a captured
 * `/segbot forget` replayed, a file link that points away from Slack, and a Slack that stops
 * answering. Each was a reproducible break; each test here failed before the fix.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { NOT_A_PAYLOAD_MESSAGE } from '../../src/slack/receiver-guard.js';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';
import {
  type CapturedRequest,
  type RecordingProxy,
  send,
  signedNow,
  startRecordingProxy,
} from '../helpers/recording-proxy.js';

const csv = generateCustomersCsv({ rows: 120, seed: 4 });
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Waits until the channel's queue is empty, then one more turn for replies in flight. */
async function idle(h: E2EHarness): Promise<void> {
  await h.emulator.waitFor(() => h.loopback.segbot.pendingJobs() === 0 || undefined, { what: 'idle queue' });
  await new Promise((resolve) => setTimeout(resolve, 300));
}

/** A captured event envelope with its event, event id and message ts changed, signed now. */
function reshaped(
  h: E2EHarness,
  captured: CapturedRequest,
  change: (envelope: { event_id: string; event: Record<string, unknown> }) => void,
): CapturedRequest {
  const envelope = JSON.parse(captured.body) as { event_id: string; event: Record<string, unknown> };
  change(envelope);
  return signedNow(h.loopback.credentials.signingSecret, JSON.stringify(envelope), JSON_TYPE);
}

describe('no request stops segbot', () => {
  let h: E2EHarness;
  beforeAll(async () => {
    h = await startE2E();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers signed bodies that are not Slack payloads with 400 and a clear message, and keeps serving', async () => {
    const hostile = [
      { body: 'null', contentType: JSON_TYPE },
      { body: 'payload=null', contentType: FORM_TYPE },
      { body: '[]', contentType: JSON_TYPE },
      { body: '42', contentType: JSON_TYPE },
      { body: '"ssl_check"', contentType: JSON_TYPE },
      { body: 'payload=%22x%22', contentType: FORM_TYPE },
    ];
    for (const request of hostile) {
      const delivery = await h.emulator.sendSigned(request);
      expect({ body: request.body, status: delivery.status }).toEqual({ body: request.body, status: 400 });
      expect(delivery.body).toBe(NOT_A_PAYLOAD_MESSAGE);
    }
    // Objects Bolt cannot route are its business: answered, not fatal.
    for (const body of ['{}', '{"type":"event_callback","event":null}', '{"type":"block_actions"}']) {
      const delivery = await h.emulator.sendSigned({ body, contentType: JSON_TYPE });
      expect(delivery.status).toBeLessThan(600);
    }
    const before = h.botMessages().length;
    const delivery = await h.segbot('help');
    expect(delivery.status).toBe(200);
    await h.waitForBotMessage((m) => /segment/.test(messageText(m)), { after: before, what: 'help' });
    expect(h.logs.join('')).toContain('a request was refused');
  });

  it('refuses correctly signed requests dated 10 minutes or a day in the future', async () => {
    for (const aheadSeconds of [10 * 60, 24 * 60 * 60]) {
      const delivery = await h.emulator.sendSigned({
        body: new URLSearchParams({ command: '/segbot', text: 'help', channel_id: h.channel }).toString(),
        contentType: FORM_TYPE,
        timestampSeconds: Date.now() / 1000 + aheadSeconds,
      });
      expect(delivery.status).toBe(401);
    }
  });
});

describe('retries and replays do nothing twice', () => {
  let h: E2EHarness;
  let proxy: RecordingProxy;
  beforeAll(async () => {
    h = await startE2E();
    proxy = await startRecordingProxy(h.loopback.eventsUrl);
    h.emulator.setEventsUrl(proxy.url);
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
  });

  const imports = () => h.botMessages().filter((m) => /^Imported /.test(m.text));
  const versions = async () =>
    (await createDatasetStore(h.database).listDatasets(h.channel)).map((d) => d.version);

  it('imports a file_share event retried by Slack (same event_id, X-Slack-Retry-Num 1 and 2) once', async () => {
    const { message } = await h.share('customers.csv', csv);
    await h.waitForBotMessage((m) => m.threadTs === message.ts && /^Imported /.test(m.text), {
      what: 'the import',
    });
    const original = proxy.captured.find((r) => r.body.includes('"file_share"'))!;
    for (const retry of ['1', '2']) {
      // Slack signs each retry anew; the event and its id are the same.
      const again = signedNow(h.loopback.credentials.signingSecret, original.body, JSON_TYPE);
      const answer = await send(h.loopback.eventsUrl, again, {
        'x-slack-retry-num': retry,
        'x-slack-retry-reason': 'http_timeout',
      });
      expect(answer.status).toBe(200);
    }
    await idle(h);
    expect(await versions()).toEqual([1]);
    expect(imports()).toHaveLength(1);
  });

  it('does not import the same Slack file shared again as v2, and says how to import it anyway', async () => {
    const original = proxy.captured.find((r) => r.body.includes('"file_share"'))!;
    const { message } = await h.emulator.say(h.channel, h.user, 'sharing it again');
    const before = h.botMessages().length;
    const answer = await send(
      h.loopback.eventsUrl,
      reshaped(h, original, (envelope) => {
        envelope.event_id = 'Ev0SHAREDAGAIN';
        envelope.event['ts'] = message.ts;
      }),
    );
    expect(answer.status).toBe(200);
    const notice = await h.waitForBotMessage((m) => /already imported/.test(m.text), {
      after: before,
      what: 'the already-imported notice',
    });
    expect(notice.ephemeralTo).toBe(h.user);
    expect(messageText(notice)).toContain('/segbot upload');
    await idle(h);
    expect(await versions()).toEqual([1]);
    expect(imports()).toHaveLength(1);
  });

  it('answers an app_mention delivered twice once', async () => {
    const { message } = await h.emulator.mention(h.channel, undefined, h.user, 'hello');
    const answers = () => h.botMessages().filter((m) => m.threadTs === message.ts);
    await h.waitForBotMessage((m) => m.threadTs === message.ts, { what: 'the mention answer' });
    const mention = proxy.captured.find((r) => r.body.includes('"app_mention"'))!;
    const again = signedNow(h.loopback.credentials.signingSecret, mention.body, JSON_TYPE);
    expect((await send(h.loopback.eventsUrl, again, { 'x-slack-retry-num': '1' })).status).toBe(200);
    await idle(h);
    expect(answers()).toHaveLength(1);
  });

  it('ignores a captured /segbot forget replayed within five minutes, after a fresh upload', async () => {
    // Each file differs from the channel's earlier uploads: an identical re-import makes no new version.
    const upload = async (name: string, seed: number) => {
      const before = h.botMessages().length;
      const { message } = await h.share(name, generateCustomersCsv({ rows: 120, seed }));
      await h.waitForBotMessage((m) => m.threadTs === message.ts && /^Imported /.test(m.text), {
        after: before,
        what: `the import of ${name}`,
      });
    };
    await upload('old.csv', 41);
    const before = h.botMessages().length;
    await h.segbot('forget confirm');
    await h.waitForBotMessage((m) => /Deleted \d+ dataset version/.test(m.text), { after: before });
    const forget = proxy.captured.find((r) => r.body.includes('text=forget'))!;
    expect(await createDatasetStore(h.database).latestDataset(h.channel)).toBeNull();

    await upload('fresh.csv', 42);
    const replayed = await proxy.replay(forget);
    expect(replayed.status).toBe(200);
    await idle(h);
    expect((await createDatasetStore(h.database).latestDataset(h.channel))?.fileName).toBe('fresh.csv');
    expect(h.botMessages().filter((m) => /Deleted /.test(m.text))).toHaveLength(1);
  });
});

describe('the bot token only goes to Slack', () => {
  let h: E2EHarness;
  let proxy: RecordingProxy;
  let elsewhere: Server;
  const seen: { authorization: string | undefined }[] = [];
  beforeAll(async () => {
    h = await startE2E();
    proxy = await startRecordingProxy(h.loopback.eventsUrl);
    h.emulator.setEventsUrl(proxy.url);
    elsewhere = createServer((request, response) => {
      seen.push({ authorization: request.headers.authorization });
      response.writeHead(200, { 'content-type': 'text/csv' });
      response.end(csv);
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    elsewhere?.closeAllConnections();
    await new Promise<void>((resolve) => elsewhere?.close(() => resolve()));
  });

  it('refuses a signed file_share whose download link points at another host, before any request', async () => {
    const { message: first } = await h.share('real.csv', csv);
    await h.waitForBotMessage((m) => m.threadTs === first.ts && /^Imported /.test(m.text), {
      what: 'the real import',
    });
    const original = proxy.captured.find((r) => r.body.includes('"file_share"'))!;
    const evil = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/files-pri/T1-F0EVIL/download/evil.csv`;
    const { message } = await h.emulator.say(h.channel, h.user, 'look at this');
    const answer = await send(
      h.loopback.eventsUrl,
      reshaped(h, original, (envelope) => {
        envelope.event_id = 'Ev0ELSEWHERE';
        envelope.event['ts'] = message.ts;
        const files = envelope.event['files'] as Record<string, unknown>[];
        files[0] = {
          ...files[0],
          id: 'F0EVIL',
          name: 'evil.csv',
          url_private: evil,
          url_private_download: evil,
        };
      }),
    );
    expect(answer.status).toBe(200);
    const refusal = await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && /points outside Slack/.test(messageText(m)),
      { what: 'the refusal' },
    );
    expect(messageText(refusal)).toContain('evil.csv');
    await idle(h);
    expect(seen).toEqual([]);
    expect((await createDatasetStore(h.database).listDatasets(h.channel)).map((d) => d.fileName)).toEqual([
      'real.csv',
    ]);
  });
});

describe('a Slack call that never answers', () => {
  let h: E2EHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('is abandoned after SEGBOT_SLACK_TIMEOUT_SECONDS and retried, so the channel’s queue moves on', async () => {
    h = await startE2E({ env: { SEGBOT_SLACK_TIMEOUT_SECONDS: '1' } });
    const harness = h;
    harness.emulator.failNext('chat.postMessage', { hang: true });
    const started = Date.now();
    const { message: first } = await harness.share('first.csv', csv);
    const { message: second } = await harness.share(
      'second.csv',
      generateCustomersCsv({ rows: 80, seed: 5 }),
    );
    for (const shared of [first, second]) {
      await harness.waitForBotMessage((m) => m.threadTs === shared.ts && /^Imported /.test(m.text), {
        what: 'an import behind the hung call',
        timeoutMs: 20_000,
      });
    }
    expect(Date.now() - started).toBeLessThan(20_000);
    // The hung call was abandoned and sent again: the same progress message, posted once.
    const progress = harness.emulator
      .calls('chat.postMessage')
      .filter((c) => c.params['thread_ts'] === first.ts);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(
      harness.emulator
        .messages(harness.channel, { threadTs: first.ts })
        .filter((m) => m.user === harness.emulator.botUserId),
    ).toHaveLength(1);
  }, 40_000);
});
