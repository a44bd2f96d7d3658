/**
 * Transactions and cross-sell end to end: the real Bolt app over HTTP against the loopback Slack,
 * with signed requests. A transaction CSV dropped in the channel becomes a per-customer dataset;
 * `/segbot rfm` posts the named RFM segments and the R × F chart; `/segbot crosssell` on a
 * Santander-style table posts the findings (deceased left out) and three charts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { generateSantanderCsv, plantedSantander } from '../../src/analytics/crosssell/generate-santander.js';
import { generateTransactionsCsv } from '../../src/analytics/transactions/generate-transactions.js';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('transactions, RFM and cross-sell over HTTP', () => {
  let h: E2EHarness;
  beforeAll(async () => {
    h = await startE2E();
  });
  afterAll(async () => {
    await h?.close();
  });

  const pngs = (name: string) =>
    h.emulator.files(h.channel).filter((f) => f.filetype === 'png' && f.name === `${name}.png`);

  it('aggregates a transaction CSV dropped in the channel into one row per customer', async () => {
    const csv = generateTransactionsCsv({ customers: 500, seed: 9 });
    const { message, delivery } = await h.share('transactions.csv', csv);
    expect(delivery.status).toBe(200);
    const reply = await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && /Read as transactions/.test(messageText(m)),
      { what: 'the quality report of the transaction file', timeoutMs: 60_000 },
    );
    expect(messageText(reply)).toMatch(/rows of 500 customers/);
    const dataset = (await createDatasetStore(h.database).latestDataset(h.channel))!;
    expect(dataset.rowCount).toBe(500);
    expect(dataset.schema.idColumn).toBe('customer_id');
    expect(dataset.schema.columns.map((c) => c.name)).toEqual(
      expect.arrayContaining(['recency_days', 'transactions', 'monetary', 'trend_3m', 'top_channel']),
    );
  });

  it('imports the same file again with recency counted from as_of', async () => {
    const before = h.botMessages().length;
    await h.segbot('upload as_of=2025-04-30');
    const reply = await h.waitForBotMessage((m) => /recency as of 2025-04-30/.test(messageText(m)), {
      after: before,
      what: 'the quality report as of 2025-04-30',
      timeoutMs: 60_000,
    });
    expect(messageText(reply)).toMatch(/rows after the as-of date left out/);
    expect((await createDatasetStore(h.database).latestDataset(h.channel))?.version).toBe(2);
    await h.segbot('upload as_of=30/04/2025');
    const refusal = await h.waitForBotMessage((m) => /as_of=30\/04\/2025 is not valid/.test(messageText(m)), {
      after: before,
    });
    expect(refusal.ephemeralTo).toBe(h.user);
  });

  it('posts the RFM segments with their playbook and the R × F grid chart', async () => {
    const before = h.botMessages().length;
    expect((await h.segbot('rfm')).status).toBe(200);
    // The re-import as of April moved the RFM segments, so an "RFM segments changed" alert may
    // still be on its way: the reply is the message with the playbook.
    const reply = await h.waitForBotMessage(
      (m) => /RFM segments/.test(messageText(m)) && /of revenue/.test(messageText(m)),
      { after: before, what: 'the RFM reply' },
    );
    const text = messageText(reply);
    for (const name of ['Champions', 'Lost', 'New customers']) expect(text).toContain(name);
    expect(text).toMatch(/of revenue/);
    expect(text).toMatch(/[\d,]+ customers of transactions\.csv v2/);
    const [chart] = await h.emulator.waitFor(() => pngs('rfm-grid').length > 0 && pngs('rfm-grid'), {
      what: 'the R × F chart',
      timeoutMs: 60_000,
    });
    expect([...chart!.bytes.slice(0, 8)]).toEqual(PNG_SIGNATURE);
  });

  it('runs crosssell on a Santander-style upload: deceased counted and left out, three charts', async () => {
    const options = { customers: 1200, seed: 6 };
    const { message } = await h.share('santander.csv', generateSantanderCsv(options));
    await h.waitForBotMessage((m) => m.threadTs === message.ts && /1,200|1200/.test(messageText(m)), {
      what: 'the Santander quality report',
      timeoutMs: 60_000,
    });
    const before = h.botMessages().length;
    expect((await h.segbot('crosssell')).status).toBe(200);
    const reply = await h.waitForBotMessage((m) => /Cross-sell/.test(messageText(m)), {
      after: before,
      what: 'the cross-sell reply',
    });
    const text = messageText(reply);
    const { deceased } = plantedSantander(options);
    expect(text).toContain(`${deceased} deceased customers (marked in indfall)`);
    expect(text).toContain(`${(1200 - deceased).toLocaleString('en-US')} customers:`);
    expect(text).toContain('Next-best product per segment');
    expect(text).toContain('university students');
    await h.emulator.waitFor(
      () =>
        ['products-per-customer', 'co-holding-lift', 'holding-rates'].every((name) => pngs(name).length > 0),
      { what: 'the three cross-sell charts', timeoutMs: 60_000 },
    );
  });

  it('tells a channel without transaction data how to get RFM', async () => {
    const before = h.botMessages().length;
    await h.segbot('rfm');
    const reply = await h.waitForBotMessage((m) => /not a transaction file/.test(messageText(m)), {
      after: before,
    });
    expect(reply.ephemeralTo).toBe(h.user);
    expect(messageText(reply)).toContain('customer_id,date,amount');
  });
});
