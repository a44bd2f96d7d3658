/**
 * The campaign loop through the real app and the loopback Slack, with signed requests: upload →
 * segment → predict → campaign new → treatment CSV → a later upload in which some flags turned on →
 * results with a verdict and a chart in its thread → the digest line. No held-back id ever appears
 * in a campaign file or message, and no suppressed customer is in the audience. Runs on SQLite in
 * `npm test` and on PostgreSQL in `npm run test:pg`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageDatabase } from '../../db/client-pg.js';
import { createCampaignStore } from '../../db/repositories/campaign-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { createRng } from '../../src/analytics/rng.js';
import type { EmulatedMessage } from '../../src/local/slack-emulator/index.js';
import { type E2EHarness, messageText, startE2EOn } from '../helpers/e2e-harness.js';
import { countRows, storageBackends } from '../helpers/storage-backends.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ROWS = 1500;

/** Generated customers with product flags and Santander's deceased flag on every 40th customer. */
function customersCsv(): string {
  const lines = generateCustomersCsv({ rows: ROWS, seed: 21, products: true }).trimEnd().split('\n');
  return `${lines.map((line, i) => `${line},${i === 0 ? 'indfall' : i % 40 === 0 ? 'S' : 'N'}`).join('\n')}\n`;
}

/** The same customers later: the loan flag turned on for 40% of the treated and 3% of the rest. */
function laterCsv(csv: string, treated: ReadonlySet<string>): string {
  const rng = createRng(99);
  const [header, ...rows] = csv.trimEnd().split('\n');
  const column = header!.split(',').indexOf('has_personal_loan');
  const updated = rows.map((line) => {
    const cells = line.split(',');
    if (cells[column] === '0' && rng.next() < (treated.has(cells[0]!) ? 0.4 : 0.03)) cells[column] = '1';
    return cells.join(',');
  });
  return `${[header, ...updated].join('\n')}\n`;
}

describe.each(storageBackends())('campaign loop end to end on $name', (backend) => {
  let h: E2EHarness<StorageDatabase>;
  const csv = customersCsv();
  const isFinal = (m: EmulatedMessage) => !/:hourglass/.test(m.text);
  const count = () => h.botMessages().length;

  async function upload(name: string, content: string): Promise<void> {
    const { message } = await h.share(name, content);
    await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && isFinal(m) && /1,500/.test(messageText(m)),
      { what: `the quality report of ${name}`, timeoutMs: 60_000 },
    );
  }

  async function command(text: string, answer: RegExp): Promise<EmulatedMessage> {
    const before = count();
    const delivery = await h.segbot(text);
    expect(delivery.status).toBe(200);
    return h.waitForBotMessage((m) => isFinal(m) && answer.test(messageText(m)), {
      after: before,
      what: `the answer to ${text}`,
      timeoutMs: 90_000,
    });
  }

  beforeAll(async () => {
    h = await startE2EOn(backend);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('runs the whole loop and never shows a held-back customer', async () => {
    await upload('customers.csv', csv);
    await command('channel allow', /allowed/i);
    await command('segment k=3 seed=1', /3 customer segments/i);
    await command('predict has_personal_loan top=5', /Who is likely|failed/);

    const created = await command(
      'campaign new "Loan push" segment=1,2 product=has_personal_loan deciles=1-6 holdout=20%',
      /is live|not created/,
    );
    const createdText = messageText(created);
    expect(createdText).toMatch(
      /Campaign \*?Loan push\*? is live: [\d,]+ to contact, [\d,]+ held back \(20\.0%\)/,
    );
    expect(createdText).toMatch(/Never contacted: \d+ taken out \(\d+ deceased\)/);
    expect(createdText).toMatch(/Checked: indfall \(deceased\)/);
    expect(createdText).toMatch(/would be detected \d+% of the time/);

    const store = createCampaignStore(h.database);
    const campaign = (await store.findCampaign(h.channel, 'Loan push'))!;
    const control = new Set((await store.members(campaign.id, 'control')).map((m) => m.customerId));
    const treated = new Set((await store.members(campaign.id, 'treatment')).map((m) => m.customerId));
    expect(control.size).toBe(campaign.definition.control);
    expect(control.size).toBeGreaterThan(20);

    const [file] = await h.emulator.waitFor(
      () => {
        const found = h.emulator.files(h.channel).filter((f) => f.name.endsWith('-treatment.csv'));
        return found.length > 0 && found;
      },
      { what: 'the treatment CSV', timeoutMs: 30_000 },
    );
    const lines = new TextDecoder().decode(file!.bytes).trimEnd().split('\n');
    expect(lines[0]).toBe('customer_id,segment,score,group');
    const exported = lines.slice(1).map((line) => line.split(','));
    expect(new Set(exported.map((cells) => cells[0]))).toEqual(treated);
    for (const cells of exported) expect(cells[3]).toBe('treatment');
    // Suppressed (deceased) customers are in no group.
    const deceased = csv
      .trimEnd()
      .split('\n')
      .slice(1)
      .filter((line) => line.endsWith(',S'))
      .map((line) => line.split(',')[0]!);
    expect(deceased.length).toBeGreaterThan(0);
    for (const id of deceased) {
      expect(treated.has(id)).toBe(false);
      expect(control.has(id)).toBe(false);
    }

    await upload('customers-later.csv', laterCsv(csv, treated));
    const result = await command(
      'campaign results "Loan push"',
      /Loan push.*(worked|inconclusive|did worse)/,
    );
    expect(messageText(result)).toMatch(/worked: \+\d+\.\d pp \(95% CI \+\d+\.\d to \+\d+\.\d\)/);
    expect(messageText(result)).toMatch(/Contacted: [\d.]+% converted/);
    expect(messageText(result)).toMatch(/Held back: [\d.]+% converted/);
    const thread = await h.emulator.waitFor(
      () => {
        const replies = h.botMessages().filter((m) => m.threadTs === result.ts);
        return replies.some((m) => /Discuss/.test(m.text)) && replies;
      },
      { what: 'the discussion thread', timeoutMs: 60_000 },
    );
    expect(thread.length).toBeGreaterThan(0);
    const chart = await h.emulator.waitFor(
      () => h.emulator.files(h.channel).find((f) => f.name.endsWith('-lift.png')),
      { what: 'the lift chart', timeoutMs: 60_000 },
    );
    expect([...chart.bytes.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    expect((await store.findCampaign(h.channel, 'Loan push'))?.latestResult?.verdict).toBe('worked');

    const digest = await command('digest now', /Live campaigns/);
    expect(messageText(digest)).toMatch(/Loan push\*?: worked: \+/);

    const list = await command('campaigns', /Loan push/);
    expect(messageText(list)).toMatch(/Loan push\*? \(live\)/);

    // No held-back id in any campaign file or in any message segbot wrote.
    const campaignFiles = h.emulator.files(h.channel).filter((f) => f.name.startsWith('campaign-'));
    const texts = [
      ...campaignFiles.map((f) => new TextDecoder().decode(f.bytes)),
      ...h
        .botMessages()
        // The prediction's top list came before the campaign (its "Campaign from the top decile"
        // button names campaigns); what the campaign posted after must not name a held-back id.
        .filter(
          (m) =>
            /campaign|Loan push/i.test(messageText(m)) && !/Who is likely to take up/.test(messageText(m)),
        )
        .map(messageText),
    ];
    for (const text of texts) for (const id of control) expect(text.includes(id)).toBe(false);
  });

  it('leaves held-back customers out of a segment export and counts them', async () => {
    const reply = await command('export 1', /customers of/);
    expect(messageText(reply)).toMatch(/held back by live campaigns are left out/);
    const file = h.emulator
      .files(h.channel)
      .filter((f) => f.name === 'segment-export.csv')
      .at(-1)!;
    const store = createCampaignStore(h.database);
    const campaign = (await store.findCampaign(h.channel, 'Loan push'))!;
    const exported = new TextDecoder().decode(file.bytes);
    for (const m of await store.members(campaign.id, 'control'))
      expect(exported.includes(`\n${m.customerId},`)).toBe(false);
  });

  it('closes the campaign, and forget removes it', async () => {
    await command('campaign close "Loan push"', /closed the campaign/);
    expect(await createCampaignStore(h.database).liveCampaigns(h.channel)).toEqual([]);
    const forgot = await command('forget confirm', /forget this channel/);
    expect(messageText(forgot)).toMatch(/1 campaign\b/);
    expect(await createCampaignStore(h.database).listCampaigns(h.channel)).toEqual([]);
    for (const table of [
      'datasets',
      'dataset_columns',
      'customers',
      'runs',
      'run_segments',
      'assignments',
      'models',
      'campaigns',
      'campaign_members',
      'suppression_entries',
      'change_threads',
      'digest_ledger',
    ]) {
      expect(await countRows(h.database, table), table).toBe(0);
    }
  });
});
