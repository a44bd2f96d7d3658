/**
 * Slack markup in data and in what people type, through the real app and the loopback Slack: a
 * file named `customers <!here>.csv` whose column names and customer ids carry `<!channel>`,
 * `<@U…>`, links, formatting characters, a line break and U+202E; a customer list named
 * `ids <!here>.csv`; a movers answer and a mention echo in a change thread. No message segbot
 * sends (fallback text or blocks, public or ephemeral) carries a mention or link it did not write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunStore } from '../../db/repositories/run-store.js';
import { createScheduleStore } from '../../db/repositories/schedule-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import type { EmulatedMessage } from '../../src/local/slack-emulator/index.js';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';
import { foreignMarkup } from '../helpers/slack-markup.js';

const MARKUP = ['<!here>', '<@U0EVIL>', '<#C0EVIL>', '<https://evil.example|win>', '<!channel>'];

/** Column names segbot must show as text: each carries markup, formatting or an invisible control. */
const RENAMED: Record<string, string> = {
  BALANCE: 'BALANCE <!channel>',
  PURCHASES_TRX: 'PURCHASES_TRX\n<@U0EVIL>',
  TENURE: '*TENURE* <https://evil.example|win>',
  CREDIT_LIMIT: 'CREDIT_LIMIT \u202Elmth.exe',
  has_savings_account: 'has_savings_account <!everyone>',
};

const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;

/** 1,000 generated customers with hostile column names; every third id carries markup. */
function hostileCsv(): { csv: string; ids: string[] } {
  const [head, ...rows] = generateCustomersCsv({ rows: 1000, seed: 11, products: true })
    .trimEnd()
    .split('\n');
  const header = head!.split(',').map((name) => quote(RENAMED[name] ?? name));
  const ids: string[] = [];
  const lines = rows.map((line, i) => {
    const [id, ...rest] = line.split(',');
    const shown = i % 3 === 0 ? `${MARKUP[i % MARKUP.length]}${id}` : id!;
    ids.push(shown);
    return [quote(shown), ...rest].join(',');
  });
  return { csv: `${[header.join(','), ...lines].join('\n')}\n`, ids };
}

describe('Slack markup from data and people end to end', () => {
  let h: E2EHarness;
  const { csv, ids } = hostileCsv();
  const isFinal = (m: EmulatedMessage) => !/:hourglass/.test(m.text);

  /** Every bot message so far, with the strings that carry markup segbot did not write. */
  function leaks(): { text: string; strings: string[] }[] {
    return h
      .botMessages()
      .map((m) => ({ text: m.text.slice(0, 80), strings: foreignMarkup(m, [h.user]) }))
      .filter((m) => m.strings.length > 0);
  }

  beforeAll(async () => {
    h = await startE2E();
    await h.segbot('channel allow');
    await h.waitForBotMessage((m) => /allowed this channel/.test(m.text), { what: 'the allow notice' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('imports the file and answers with its name and columns escaped', async () => {
    const { message } = await h.share('customers <!here>.csv', csv);
    const report = await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && isFinal(m) && /Imported/.test(m.text),
      { what: 'the quality report', timeoutMs: 60_000 },
    );
    expect(report.text).toContain('customers &lt;!here&gt;.csv');
    expect(messageText(report)).toContain('BALANCE &lt;!channel&gt;');
    expect(leaks()).toEqual([]);
  });

  it('describe: the profile table shows column names as text on one line', async () => {
    await h.segbot('segment k=3 seed=7');
    await h.waitForBotMessage((m) => /^Run #\d+: 3 segments/.test(m.text), {
      what: 'the run summary',
      timeoutMs: 60_000,
    });
    const before = h.botMessages().length;
    await h.segbot('describe 1');
    const detail = await h.waitForBotMessage((m) => /^Segment 1:/.test(m.text), {
      after: before,
      what: 'the segment in depth',
    });
    const table = messageText(detail).split('```')[1] ?? '';
    expect(table).not.toBe('');
    expect(table).not.toMatch(/<|\u202E/);
    // The line break inside a column name does not start a new table row.
    for (const row of table.trim().split('\n')) expect(row).toMatch(/[+−]\d\.\d\d$|^Feature|^…and/);
    expect(leaks()).toEqual([]);
  });

  it('products: the reply and its fallback text escape the product and file names', async () => {
    const before = h.botMessages().length;
    await h.segbot('products');
    const reply = await h.waitForBotMessage((m) => /product/.test(m.text), { after: before });
    expect(reply.text).toContain('customers &lt;!here&gt;.csv');
    expect(messageText(reply)).toContain('has_savings_account &lt;!everyone&gt;');
    expect(leaks()).toEqual([]);
  });

  it('predict with a list named `ids <!here>.csv`: the top list and its scope are escaped', async () => {
    const listed = ids.slice(0, 60);
    await h.share('ids <!here>.csv', `CUST_ID\n${listed.map(quote).join('\n')}\n`);
    await h.waitForBotMessage((m) => /looks like a customer list/.test(m.text), { what: 'the list notice' });
    const before = h.botMessages().length;
    await h.segbot('predict has_personal_loan list top=20');
    const answer = await h.waitForBotMessage(
      (m) => isFinal(m) && /Who is likely|failed/.test(messageText(m)),
      {
        after: before,
        what: 'the prediction',
        timeoutMs: 90_000,
      },
    );
    const text = messageText(answer);
    expect(text).toMatch(/Top \d+ of \d+ customers of ids &lt;!here&gt;\.csv/);
    expect(text).toContain('&lt;!here&gt;C1');
    expect(leaks()).toEqual([]);
  });

  it('movers and a mention echo in a change thread', async () => {
    await h.segbot('alerts threshold=1');
    await h.waitForBotMessage((m) => /alert threshold to 1 pp/.test(m.text), { what: 'the threshold' });
    const seen = h.botMessages().length;
    await h.segbot('segment k=4 seed=7');
    const alert = await h.waitForBotMessage((m) => !m.threadTs && /^:bell: Segments changed/.test(m.text), {
      after: seen,
      what: 'the change alert',
      timeoutMs: 60_000,
    });
    const run = (await createRunStore(h.database).latestRun(h.channel))!;
    await h.emulator.waitFor(
      async () =>
        (await createScheduleStore(h.database).findChangeThread(h.channel, alert.ts))?.runId === run.id,
      { what: 'the recorded change thread' },
    );
    for (const [question, answered] of [
      ['movers 1 1', /customers (moved from|stayed in)/],
      ['movers 2 1', /customers (moved from|stayed in)/],
      ['<!here> <https://evil.example|click> <@U0EVIL> weather?', /I can’t answer/],
      ['explain "<!channel>', /never closed/],
    ] as const) {
      const before = h.botMessages().length;
      await h.emulator.mention(h.channel, alert.ts, h.user, question);
      await h.waitForBotMessage((m) => m.threadTs === alert.ts && answered.test(m.text), {
        after: before,
        what: `the answer to ${question}`,
      });
    }
    expect(leaks()).toEqual([]);
  });
});
