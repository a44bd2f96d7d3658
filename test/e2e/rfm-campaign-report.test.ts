/**
 * RFM segments through to the stakeholder deck, over the real app and the loopback Slack with
 * signed requests: a transaction CSV (with a card flag) dropped in the channel → `/segbot rfm` →
 * a campaign on a named RFM segment → a later upload of the same transactions in which some card
 * flags turned on → `campaign results` → `/segbot report` posts the PowerPoint and the PDF, whose
 * campaign results slide holds the measured numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignStore } from '../../db/repositories/campaign-store.js';
import { createRng } from '../../src/analytics/rng.js';
import { generateTransactionsCsv } from '../../src/analytics/transactions/generate-transactions.js';
import type { EmulatedMessage } from '../../src/local/slack-emulator/index.js';
import { analyseRfmFile } from '../../src/services/rfm-analysis.js';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';
import { pdfPageTexts } from '../helpers/pdf-text.js';
import { readZip, slideTexts } from '../helpers/read-zip.js';

const CUSTOMERS = 900;

/**
 * The generated transactions with a has_credit_card flag on every row: 1 for every 8th customer,
 * and for the customers in `converted` (a later export, after the campaign).
 */
function transactionsCsv(converted: ReadonlySet<string> = new Set()): string {
  const [header, ...rows] = generateTransactionsCsv({ customers: CUSTOMERS, seed: 17 }).trimEnd().split('\n');
  const flagged = rows.map((line) => {
    const id = line.slice(0, line.indexOf(','));
    const holds = Number(id.slice(1)) % 8 === 0 || converted.has(id);
    return `${line},${holds ? 1 : 0}`;
  });
  return `${[`${header},has_credit_card`, ...flagged].join('\n')}\n`;
}

describe('RFM campaign to the stakeholder deck, end to end', () => {
  let h: E2EHarness;
  const isFinal = (m: EmulatedMessage) => !/:hourglass/.test(m.text);

  async function command(text: string, answer: RegExp): Promise<EmulatedMessage> {
    const before = h.botMessages().length;
    const delivery = await h.segbot(text);
    expect(delivery.status).toBe(200);
    return h.waitForBotMessage((m) => isFinal(m) && answer.test(messageText(m)), {
      after: before,
      what: `the answer to ${text}`,
      timeoutMs: 90_000,
    });
  }

  async function upload(name: string, content: string): Promise<void> {
    const { message } = await h.share(name, content);
    await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && isFinal(m) && /Read as transactions/.test(messageText(m)),
      { what: `the quality report of ${name}`, timeoutMs: 90_000 },
    );
  }

  beforeAll(async () => {
    h = await startE2E();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('targets an RFM segment, measures it on a later upload and puts the result in the deck', async () => {
    const first = transactionsCsv();
    await upload('transactions.csv', first);
    // The largest RFM segment of the file, as segbot scores it, is the campaign's audience.
    const { result } = await analyseRfmFile(new TextEncoder().encode(first), {
      fileName: 'transactions.csv',
    });
    const target = [...result.segments].sort((a, b) => b.size - a.size)[0]!;
    const rfm = await command('rfm', /RFM segments/);
    expect(messageText(rfm)).toContain(target.name);
    await command('segment k=3 seed=1', /3 customer segments/i);

    const created = await command(
      `campaign new "Card win-back" rfm="${target.name}" product=has_credit_card holdout=20%`,
      /is live|not created/,
    );
    expect(messageText(created)).toMatch(/Campaign \*?Card win-back\*? is live/);
    expect(messageText(created)).toContain(`RFM segments ${target.name}`);
    const store = createCampaignStore(h.database);
    const campaign = (await store.findCampaign(h.channel, 'Card win-back'))!;
    expect(campaign.definition.segmentKind).toBe('rfm');
    const members = await store.members(campaign.id);
    // Every member is in the targeted RFM segment, and they are all its non-holders.
    const inTarget = new Set(
      result.names.flatMap((name, i) => (name === target.name ? [`C${100000 + i}`] : [])),
    );
    for (const m of members) {
      expect(inTarget.has(m.customerId)).toBe(true);
      expect(m.segment).toBe(target.name);
    }
    expect(members.length).toBe(campaign.definition.treatment + campaign.definition.control);

    // Later: 45% of the contacted and 4% of the held back took the card.
    const rng = createRng(5);
    const converted = new Set(
      members.filter((m) => rng.next() < (m.group === 'treatment' ? 0.45 : 0.04)).map((m) => m.customerId),
    );
    await upload('transactions-later.csv', transactionsCsv(converted));
    const measured = await command(
      'campaign results "Card win-back"',
      /Card win-back.*(worked|inconclusive)/,
    );
    expect(messageText(measured)).toMatch(/worked: \+\d+\.\d pp/);
    const record = (await store.findCampaign(h.channel, 'Card win-back'))!.latestResult!;
    expect(record.verdict).toBe('worked');

    await command('report', /deck for run #1 is posted/);
    const files = h.emulator.files(h.channel).filter((f) => f.name.startsWith('segbot-report'));
    expect(files.map((f) => f.name).sort()).toEqual(['segbot-report-run-1.pdf', 'segbot-report-run-1.pptx']);
    const zip = readZip(files.find((f) => f.name.endsWith('.pptx'))!.bytes);
    const slides = [...zip.keys()]
      .filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name))
      .sort((a, b) => Number(/(\d+)\.xml/.exec(a)![1]) - Number(/(\d+)\.xml/.exec(b)![1]))
      .map((name) => slideTexts(zip.get(name)!.toString('utf8')).join('\n'));
    const slide = slides.find((text) => text.startsWith('Campaign results'));
    expect(slide).toBeDefined();
    const pct = (g: { conversions: number; customers: number }) =>
      `${((g.conversions / g.customers) * 100).toFixed(1)}% (${g.customers.toLocaleString('en-US')})`;
    expect(slide).toContain('Card win-back');
    expect(slide).toContain(pct(record.treatment));
    expect(slide).toContain(pct(record.control));
    expect(slide).toContain('Worked');
    expect(slide).toContain(`Card win-back: RFM segments ${target.name}; non-holders of`);
    const pages = pdfPageTexts(files.find((f) => f.name.endsWith('.pdf'))!.bytes);
    expect(pages).toHaveLength(slides.length);
    expect(pages[slides.indexOf(slide!)]).toContain('Campaign results');
  });
});
