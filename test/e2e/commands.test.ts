/**
 * The real Bolt app over HTTP against the loopback Slack: signed slash commands and file_share
 * events in, Web API calls and file uploads out, SQLite underneath.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import type { EmulatedFile } from '../../src/local/slack-emulator/index.js';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'csv', name));
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(file: EmulatedFile): { width: number; height: number } {
  const view = new DataView(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
  // IHDR is the first chunk: width and height are its first two big-endian words.
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('/segbot end to end over HTTP', () => {
  let h: E2EHarness;
  const csv = generateCustomersCsv({ rows: 800, seed: 7 });

  beforeAll(async () => {
    h = await startE2E();
  });
  afterAll(async () => {
    await h?.close();
  });

  const botCount = (channel?: string) => h.botMessages(channel).length;

  it('answers /segbot help with the command list, only to the person who asked', async () => {
    const before = botCount();
    const delivery = await h.segbot('help');
    expect(delivery.status).toBe(200);
    const reply = await h.waitForBotMessage((m) => /segment/.test(messageText(m)), { after: before });
    expect(reply.ephemeralTo).toBe(h.user);
    for (const word of ['segment', 'describe', 'runs', 'upload']) expect(messageText(reply)).toContain(word);
  });

  it('explains how to upload when segment comes before any data', async () => {
    const channel = 'C0E2EEMPTY';
    await h.segbot('segment', { channel });
    const reply = await h.waitForBotMessage((m) => /upload/i.test(messageText(m)), { channel });
    expect(reply.ephemeralTo).toBe(h.user);
    expect(await createRunStore(h.database).listRuns(channel)).toEqual([]);
  });

  it('imports a CSV dropped into the channel and answers in its thread with the quality report', async () => {
    const { message, delivery } = await h.share('customers.csv', csv);
    expect(delivery.status).toBe(200);
    const reply = await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && /800/.test(messageText(m)) && !/Importing|Reading/.test(m.text),
      { what: 'the quality report in the file thread' },
    );
    expect(reply.ephemeralTo).toBeUndefined();
    const dataset = await createDatasetStore(h.database).latestDataset(h.channel);
    expect(dataset).toMatchObject({
      version: 1,
      rowCount: 800,
      fileName: 'customers.csv',
      uploadedBy: h.user,
    });
    // The bot fetched the file itself, with its token, from url_private_download.
    expect(h.emulator.downloads()).toEqual([
      { fileId: h.emulator.files(h.channel)[0]!.id, authorized: true },
    ]);
  });

  it('segments the data and posts a summary and PNG charts through files.uploadV2', async () => {
    const delivery = await h.segbot('segment k=3 seed=1');
    expect(delivery.status).toBe(200);
    await h.waitForBotMessage((m) => /3 customer segments/i.test(messageText(m)), {
      what: 'the segment summary',
    });
    const pngs = await h.emulator.waitFor(
      () => {
        const files = h.emulator.files(h.channel).filter((f) => f.filetype === 'png');
        return files.length >= 3 && files;
      },
      { what: 'three charts', timeoutMs: 60_000 },
    );
    for (const file of pngs) {
      expect([...file.bytes.slice(0, 8)]).toEqual(PNG_SIGNATURE);
      expect(pngSize(file).width).toBeGreaterThan(200);
      expect(pngSize(file).height).toBeGreaterThan(100);
      expect(file.user).toBe(h.emulator.botUserId);
    }
    expect(h.emulator.calls('files.getUploadURLExternal').length).toBeGreaterThanOrEqual(3);
    expect(h.emulator.calls('files.completeUploadExternal').length).toBeGreaterThanOrEqual(1);
    expect(h.emulator.calls('files.upload')).toEqual([]);
    const run = await createRunStore(h.database).latestRun(h.channel);
    expect(run).toMatchObject({ status: 'done', k: 3, userId: h.user });
  });

  it('describes one segment in depth', async () => {
    const run = (await createRunStore(h.database).latestRun(h.channel))!;
    const name = run.segments[1]!.name;
    const before = botCount();
    await h.segbot('describe 2');
    const reply = await h.waitForBotMessage((m) => messageText(m).includes(name), { after: before });
    expect(messageText(reply)).toMatch(/customers/);
  });

  it('lists the run history', async () => {
    const run = (await createRunStore(h.database).latestRun(h.channel))!;
    const before = botCount();
    await h.segbot('runs');
    const reply = await h.waitForBotMessage((m) => messageText(m).includes(`#${run.id}`), { after: before });
    expect(messageText(reply)).toContain('v1');
  });

  it('explains a k that is not a number, privately, and starts no run', async () => {
    const runsBefore = (await createRunStore(h.database).listRuns(h.channel)).length;
    const before = botCount();
    await h.segbot('segment k=banana');
    const reply = await h.waitForBotMessage((m) => /banana/.test(messageText(m)), { after: before });
    expect(reply.ephemeralTo).toBe(h.user);
    expect(messageText(reply)).toMatch(/k=/);
    expect(await createRunStore(h.database).listRuns(h.channel)).toHaveLength(runsBefore);
  });

  it('refuses an empty CSV with the reason in its thread and keeps the channel’s data', async () => {
    const { message } = await h.share('empty.csv', fixture('bad/empty.csv'));
    const reply = await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && /Could not import/.test(m.text),
      {
        what: 'the empty-file error',
      },
    );
    expect(messageText(reply)).toMatch(/empty/i);
    expect((await createDatasetStore(h.database).latestDataset(h.channel))?.version).toBe(1);
  });

  it('points to the broken row of a CSV', async () => {
    const { message } = await h.share('ragged-row.csv', fixture('bad/ragged-row.csv'));
    const reply = await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && /Could not import/.test(m.text),
      {
        what: 'the broken-row error',
      },
    );
    expect(messageText(reply)).toMatch(/ragged-row\.csv, line \d+/);
    expect((await createDatasetStore(h.database).latestDataset(h.channel))?.version).toBe(1);
  });

  it('refuses the sign-in page Slack serves instead of a file (wrong token or scope)', async () => {
    h.emulator.failNext('files.download', {});
    const { message } = await h.share('customers-2.csv', csv);
    const reply = await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && /Could not import/.test(m.text),
      {
        what: 'the download error',
      },
    );
    expect(messageText(reply)).not.toContain('<html');
    expect((await createDatasetStore(h.database).latestDataset(h.channel))?.version).toBe(1);
  });

  it('asks for a CSV export when a spreadsheet is shared', async () => {
    const before = botCount();
    await h.share('customers.xlsx', fixture('bad/excel.xlsx'));
    const reply = await h.waitForBotMessage((m) => /not a CSV/.test(messageText(m)), { after: before });
    expect(reply.ephemeralTo).toBe(h.user);
    expect((await createDatasetStore(h.database).latestDataset(h.channel))?.version).toBe(1);
  });

  it('keeps tokens, file contents and customer ids out of the logs', () => {
    const all = h.logs.join('');
    expect(all).toContain('dataset stored');
    expect(all).not.toContain(h.loopback.credentials.botToken);
    expect(all).not.toContain(h.loopback.credentials.signingSecret);
    const firstId = csv.split('\n')[1]!.split(',')[0]!;
    expect(all).not.toContain(firstId);
  });
});
