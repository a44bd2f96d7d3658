/**
 * The job log through the real app and the loopback Slack: refused imports are recorded with the
 * line and column of the problem, never the cell values the person who uploaded the file is shown;
 * `/segbot forget` clears the channel's job errors and says so; afterwards the database file holds
 * no trace of the values.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';
import { jobRows } from '../helpers/job-rows.js';

/** Every column of this file is constant or text: the refusal's hint lists each column's one value. */
const CONSTANT_CSV = `CUST_ID,PAYMENTS,BALANCE,NOTE\n${Array.from(
  { length: 40 },
  (_, i) => `C${1000 + i},671.82,2542.3,note ${i % 3}`,
).join('\n')}\n`;

/** A numeric column with one value written with a thousands separator, on line 7. */
const BAD_NUMBER_CSV = `CUST_ID,BALANCE,PURCHASES\n${Array.from({ length: 30 }, (_, i) =>
  i === 5 ? `C${i},"48,213.77",${i}` : `C${i},${100 + i * 7.25},${i}`,
).join('\n')}\n`;

const VALUES = ['671.82', '2542.3', '48,213.77', '48213.77'];

describe('the job log keeps no customer values end to end', () => {
  let h: E2EHarness;
  const jobs = () => jobRows(h.database, h.channel);

  beforeAll(async () => {
    h = await startE2E();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function failedImport(name: string, csv: string): Promise<string> {
    const { message } = await h.share(name, csv);
    const reply = await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && /Could not import/.test(m.text),
      { what: `the refusal of ${name}` },
    );
    return messageText(reply);
  }

  it('records where an import failed, not the values; the uploader still sees them', async () => {
    const constant = await failedImport('constant.csv', CONSTANT_CSV);
    expect(constant).toContain('every value is 671.82');
    const bad = await failedImport('bad-number.csv', BAD_NUMBER_CSV);
    expect(bad).toContain('48,213.77');

    // The job is marked failed just after its reply is posted.
    const failed = await h.emulator.waitFor(
      async () => {
        const uploads = (await jobs()).filter((j) => j.kind === 'upload');
        return uploads.every((j) => j.status === 'failed') ? uploads : undefined;
      },
      { what: 'two failed upload jobs' },
    );
    expect(failed).toHaveLength(2);
    const errors = failed.map((j) => j.error ?? '');
    expect(errors[0]).toBe(
      'bad-number.csv, line 7, column BALANCE: Column BALANCE holds numbers, but the value on line 7 has a thousands separator.',
    );
    expect(errors[1]).toMatch(/^constant\.csv: The file has no numeric column/);
    for (const value of VALUES) for (const error of errors) expect(error).not.toContain(value);
  });

  it('forget clears the channel’s job errors, says so, and leaves no value in the database file', async () => {
    const before = h.botMessages().length;
    await h.segbot('forget confirm');
    const reply = await h.waitForBotMessage((m) => /asked segbot to forget/.test(m.text), { after: before });
    expect(reply.text).toContain('Cleared the error texts of 2 failed jobs.');
    expect(reply.text).not.toContain('held no customer data');
    expect((await jobs()).filter((j) => j.kind === 'upload').map((j) => [j.status, j.error])).toEqual([
      ['failed', null],
      ['failed', null],
    ]);

    h.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(h.database.sqlite.name);
    for (const value of VALUES) expect(file.includes(value), value).toBe(false);
  });
});
