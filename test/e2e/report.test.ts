/**
 * `/segbot report` through the real app and the loopback Slack: after an upload, two runs and a
 * trained model, the deck is posted as a PowerPoint file and a PDF in one message, holding the
 * run's numbers, the changes since the previous run and the model's per-segment likelihood.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunStore } from '../../db/repositories/run-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import type { EmulatedMessage } from '../../src/local/slack-emulator/index.js';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';
import { pdfPageTexts } from '../helpers/pdf-text.js';
import { readZip, slideTexts } from '../helpers/read-zip.js';

describe('/segbot report end to end', () => {
  let h: E2EHarness;
  const isFinal = (m: EmulatedMessage) => !/:hourglass/.test(m.text);

  async function ask(text: string, match: RegExp, what: string): Promise<EmulatedMessage> {
    const before = h.botMessages().length;
    const delivery = await h.segbot(text);
    expect(delivery.status).toBe(200);
    return h.waitForBotMessage((m) => isFinal(m) && match.test(messageText(m)), {
      after: before,
      what,
      timeoutMs: 90_000,
    });
  }

  beforeAll(async () => {
    h = await startE2E();
    const { message } = await h.share(
      'customers.csv',
      generateCustomersCsv({ rows: 700, seed: 5, products: true }),
    );
    await h.waitForBotMessage((m) => m.threadTs === message.ts && isFinal(m) && /700/.test(messageText(m)), {
      what: 'the quality report',
    });
    await ask('segment k=3 seed=1', /3 customer segments/i, 'the first run');
    await ask('segment k=4 seed=2', /4 customer segments/i, 'the second run');
    await ask('channel allow', /allowed/i, 'the allow answer');
    await ask('predict has_personal_loan', /Who is likely/, 'the prediction');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('explains what to do when the run does not exist, before queueing anything', async () => {
    const reply = await ask('report run 99', /no run #99/i, 'the not-found answer');
    expect(reply.ephemeralTo).toBe(h.user);
    const bad = await ask('report everything', /takes nothing, or `run` and a run id/, 'the usage answer');
    expect(bad.ephemeralTo).toBe(h.user);
  });

  it('posts the latest run as a PowerPoint deck and a PDF, in one message through files.uploadV2', async () => {
    await ask('report', /deck for run #2 is posted/, 'the report');
    const files = h.emulator.files(h.channel).filter((f) => f.name.startsWith('segbot-report'));
    expect(files.map((f) => f.name).sort()).toEqual(['segbot-report-run-2.pdf', 'segbot-report-run-2.pptx']);
    const shared = h.botMessages().find((m) => m.files?.some((f) => f.name === 'segbot-report-run-2.pptx'));
    expect(shared?.files).toHaveLength(2);
    expect(shared?.text).toContain('The stakeholder deck for run #2 on customers.csv');
    expect(shared?.ephemeralTo).toBeUndefined();

    const run = (await createRunStore(h.database).getRun(h.channel, 2))!;
    const zip = readZip(files.find((f) => f.name.endsWith('.pptx'))!.bytes);
    const slideNames = [...zip.keys()].filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name));
    // title, method, overview, 4 segments, changes, quality, k.
    expect(slideNames).toHaveLength(3 + 4 + 1 + 2);
    const texts = slideNames.map((name) => slideTexts(zip.get(name)!.toString('utf8')).join('\n'));
    const all = texts.join('\n');
    expect(all).toContain('Run by: dana (run #2)');
    expect(all).toContain('Changes since run #1');
    expect(all).toContain('Likelihood to take up a product');
    for (const segment of run.segments) expect(all).toContain(segment.size.toLocaleString('en-US'));

    const pages = pdfPageTexts(files.find((f) => f.name.endsWith('.pdf'))!.bytes);
    expect(pages).toHaveLength(slideNames.length);
    expect(pages.some((page) => page.includes('Changes since run #1'))).toBe(true);
  });

  it('reports an earlier run by id, without a changes slide when it has no previous run', async () => {
    const before = h.emulator.files(h.channel).length;
    await ask('report run 1', /deck for run #1 is posted/, 'the report of run 1');
    const pptx = h.emulator
      .files(h.channel)
      .slice(before)
      .find((f) => f.name === 'segbot-report-run-1.pptx');
    const slides = [...readZip(pptx!.bytes).keys()].filter((name) =>
      /^ppt\/slides\/slide\d+\.xml$/.test(name),
    );
    expect(slides).toHaveLength(3 + 3 + 2);
  });
});
