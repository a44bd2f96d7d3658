/**
 * Bounds on data through the real app and the loopback Slack: a 10,000-column upload is imported
 * with a note, and segmenting it is refused before any work unless features= picks the columns;
 * random bytes named .csv are refused as binary; values beyond ±10^15 are refused with line and
 * column; `admins add` refuses a user Slack does not have.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessStore } from '../../db/repositories/access-store.js';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { createJobStore } from '../../db/repositories/job-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import type { EmulatedMessage } from '../../src/local/slack-emulator/index.js';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';

const WIDE_COLUMNS = 10_000;
const WIDE_ROWS = 40;

/** 40 customers by 10,000 numeric columns, in two clear groups. */
function wideCsv(): string {
  const header = ['CUST_ID', ...Array.from({ length: WIDE_COLUMNS }, (_, j) => `F${j}`)].join(',');
  const rows = Array.from({ length: WIDE_ROWS }, (_, i) => {
    const base = (i % 2) * 500;
    return [`C${i}`, ...Array.from({ length: WIDE_COLUMNS }, (_, j) => base + ((i * 7 + j * 13) % 97))].join(
      ',',
    );
  });
  return `${[header, ...rows].join('\n')}\n`;
}

describe('bounds on data end to end', () => {
  let h: E2EHarness;
  const isFinal = (m: EmulatedMessage) => !/:hourglass/.test(m.text);

  beforeAll(async () => {
    h = await startE2E();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function reply(name: string, content: string | Uint8Array): Promise<EmulatedMessage> {
    const { message } = await h.share(name, content);
    return h.waitForBotMessage((m) => m.threadTs === message.ts && isFinal(m), {
      what: `the answer to ${name}`,
      timeoutMs: 60_000,
    });
  }

  it('imports a 10,000-column file with a note, refuses to segment it all, and segments chosen features', async () => {
    const report = await reply('wide.csv', wideCsv());
    expect(messageText(report)).toContain(
      '10,000 usable columns: segbot segments on at most 200; choose them with features=…',
    );

    const before = h.botMessages().length;
    await h.segbot('segment');
    const refusal = await h.waitForBotMessage((m) => /segments on at most/.test(m.text), { after: before });
    expect(refusal.ephemeralTo).toBe(h.user);
    expect(refusal.text).toContain('For example /segbot segment features=F0,F1,F2,F3,F4');
    // Refused before the queue: no run, no job, no progress message.
    expect(await createRunStore(h.database).listRuns(h.channel)).toEqual([]);
    expect(
      (await createJobStore(h.database).listJobs(h.channel)).filter((j) => j.kind === 'segment'),
    ).toEqual([]);
    expect(
      h
        .botMessages()
        .slice(before)
        .filter((m) => /Segmenting/.test(m.text)),
    ).toEqual([]);

    const many = Array.from({ length: 201 }, (_, j) => `F${j}`).join(',');
    const tooMany = h.botMessages().length;
    await h.segbot(`segment features=${many}`);
    await h.waitForBotMessage(
      (m) => /201 features were requested: segbot segments on at most 200/.test(m.text),
      {
        after: tooMany,
      },
    );

    await h.segbot('segment k=2 features=F0,F1,F2');
    await h.waitForBotMessage((m) => /^Run #\d+: 2 segments of 40 customers/.test(m.text), {
      what: 'the run summary',
      timeoutMs: 60_000,
    });
    expect((await createRunStore(h.database).latestRun(h.channel))?.params.features).toEqual([
      'F0',
      'F1',
      'F2',
    ]);
  });

  it('refuses 200 KB of random bytes named .csv as binary, not as a customer list', async () => {
    const versions = (await createDatasetStore(h.database).listDatasets(h.channel)).length;
    const answer = await reply('ids.csv', new Uint8Array(randomBytes(200 * 1024)));
    const text = messageText(answer);
    expect(text).toMatch(/Could not import ids\.csv/);
    expect(text).toMatch(/not UTF-8 text/);
    expect(text).not.toMatch(/customer list/);
    expect(await createDatasetStore(h.database).listDatasets(h.channel)).toHaveLength(versions);
  });

  it('refuses values beyond ±10^15 with their line and column', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `C${i},${i === 11 ? '-1e308' : 100 + i},${i % 4}`);
    const answer = await reply('huge.csv', `CUST_ID,BALANCE,TENURE\n${rows.join('\n')}\n`);
    expect(messageText(answer)).toContain(
      'huge.csv, line 13, column BALANCE: Column BALANCE holds a number beyond ±10^15 on line 13',
    );
    expect(messageText(answer)).not.toMatch(/Infinity|1e308/);
  });

  it('refuses to make a user Slack does not have an admin', async () => {
    const before = h.botMessages().length;
    await h.segbot('admins add <@UBOGUS>');
    await h.waitForBotMessage((m) => /Slack has no user UBOGUS in this workspace/.test(m.text), {
      after: before,
    });
    expect(await createAccessStore(h.database).isAdmin('UBOGUS')).toBe(false);
    h.emulator.addUser({ id: 'U0DANA', name: 'dana' });
    await h.segbot('admins add <@U0DANA|dana>');
    await h.waitForBotMessage((m) => /<@U0DANA> is now a segbot admin/.test(m.text), { after: before });
  });
});
