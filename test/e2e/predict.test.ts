/**
 * `/segbot predict` and `/segbot products` through the real app and the loopback Slack: a shared
 * customer table with product flags, the quality sentence, the charts, the scored CSV, model reuse,
 * customer lists, bad inputs, and the refusal of customer-level output in a channel not allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { createModelStore } from '../../db/repositories/model-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { productLabel } from '../../src/analytics/ingest/product-names.js';
import { readableLabel } from '../../src/analytics/segment/column-labels.js';
import type { EmulatedMessage } from '../../src/local/slack-emulator/index.js';
import { ACTIONS } from '../../src/slack/blocks/buttons.js';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const SCORES_FILE = 'has_personal_loan-scores.csv';

/**
 * Checks the three reason columns of a scored CSV: each reason names a real feature of the table in
 * its readable words ("balance high (+8 pts)", "holds savings account (+3 pts)"), and every customer
 * of the top decile has one.
 */
function expectReasons(lines: string[], tableHeader: string): void {
  expect(lines[0]).toMatch(/,reason_1,reason_2,reason_3$/);
  const columns = tableHeader.split(',').filter((c) => c !== 'CUST_ID' && c !== 'has_personal_loan');
  const words = columns.flatMap((c) => [readableLabel(c), productLabel(c)]);
  let withReason = 0;
  let topDecile = 0;
  for (const line of lines.slice(1)) {
    const reasons = line.split(',').slice(-3);
    if (reasons[0] !== '') withReason++;
    // The customers most likely to take it up always have a reason.
    if (line.split(',')[2] === '1') {
      topDecile++;
      expect(reasons[0]).not.toBe('');
    }
    for (const reason of reasons.filter((r) => r !== '')) {
      const said = /^(.+) \(\+\d+(\.\d)? pts\)$/.exec(reason)?.[1] ?? '';
      const feature = said.replace(/^(holds|no) /, '').replace(/ (high|low|mid-range|unknown)$/, '');
      expect(words, `${reason} names no feature`).toContain(feature);
    }
  }
  expect(topDecile).toBeGreaterThan(0);
  expect(withReason).toBeGreaterThan((lines.length - 1) * 0.3);
}

/** Generated customers with product flags; every 10th id starts with "=" to check CSV escaping. */
function customersCsv(rows: number): string {
  const lines = generateCustomersCsv({ rows, seed: 11, products: true }).trimEnd().split('\n');
  return `${lines.map((line, i) => (i > 0 && i % 10 === 0 ? `=${line}` : line)).join('\n')}\n`;
}

describe('/segbot predict end to end', () => {
  let h: E2EHarness;
  const csv = customersCsv(1000);
  const ids = csv
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0]!);
  const botCount = (channel?: string) => h.botMessages(channel).length;
  const isFinal = (m: EmulatedMessage) => !/:hourglass/.test(m.text);

  async function upload(channel: string, name: string, content: string): Promise<void> {
    const { message } = await h.share(name, content, { channel });
    await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && isFinal(m) && /1,000|1000/.test(messageText(m)),
      { channel, what: 'the quality report' },
    );
  }

  async function predict(text: string, channel?: string): Promise<EmulatedMessage> {
    const before = botCount(channel);
    const delivery = await h.segbot(`predict ${text}`, channel ? { channel } : {});
    expect(delivery.status).toBe(200);
    return h.waitForBotMessage(
      (m) =>
        isFinal(m) &&
        /Who is likely|Who is most likely|failed|There is no|not allowed|Did you mean|Say which|nothing to predict|no column called|not one of them/.test(
          messageText(m),
        ),
      { channel, after: before, what: `the answer to predict ${text}`, timeoutMs: 60_000 },
    );
  }

  const files = (channel: string, name: string) => h.emulator.files(channel).filter((f) => f.name === name);
  const pngs = (channel: string) => h.emulator.files(channel).filter((f) => f.filetype === 'png');

  beforeAll(async () => {
    h = await startE2E();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('explains how to upload when predict comes before any data', async () => {
    const reply = await predict('has_personal_loan', 'C0E2EPNODATA');
    expect(reply.ephemeralTo).toBe(h.user);
    expect(messageText(reply)).toMatch(/no customer data in this channel yet/i);
  });

  it('lists the product columns and their holding rates, with no model yet', async () => {
    await upload(h.channel, 'customers.csv', csv);
    await h.segbot('channel allow');
    await h.waitForBotMessage((m) => /allowed/i.test(messageText(m)), { what: 'the allow answer' });
    const before = botCount();
    await h.segbot('products');
    const reply = await h.waitForBotMessage((m) => /has_personal_loan/.test(messageText(m)), {
      after: before,
    });
    expect(reply.ephemeralTo).toBe(h.user);
    const text = messageText(reply);
    for (const column of ['has_credit_card_upgrade', 'has_personal_loan', 'has_savings_account'])
      expect(text).toContain(column);
    expect(text).toMatch(/of 1,000 hold it/);
    expect(text).not.toMatch(/model trained/);
  });

  it('suggests the closest product for an unknown name', async () => {
    const reply = await predict('personal lon');
    expect(reply.ephemeralTo).toBe(h.user);
    expect(messageText(reply)).toMatch(/no product called "personal lon".*Did you mean personal loan/s);
  });

  it('trains, posts the quality in plain words, two PNG charts and the escaped scored CSV', async () => {
    const reply = await predict('has_personal_loan top=5');
    const text = messageText(reply);
    expect(reply.ephemeralTo).toBeUndefined();
    expect(text).toMatch(/On customers it never saw, the top 10% it picks hold personal loan/);
    expect(text).toMatch(/Top 5 of/);
    expect(text).not.toMatch(/model reused/);
    // One line names the model chosen on validation and all three held-out AUCs.
    expect(text).toMatch(
      /Chosen by validation: (boosting|forest|logistic)\. On held-out customers: boosting 0\.\d{3} · forest 0\.\d{3} · logistic 0\.\d{3}\./,
    );
    const charts = await h.emulator.waitFor(() => pngs(h.channel).length >= 2 && pngs(h.channel), {
      what: 'the gains and drivers charts',
      timeoutMs: 60_000,
    });
    for (const file of charts) expect([...file.bytes.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    const [scores] = await h.emulator.waitFor(
      () => files(h.channel, SCORES_FILE).length === 1 && files(h.channel, SCORES_FILE),
      { what: 'the scored CSV' },
    );
    const lines = new TextDecoder().decode(scores!.bytes).trimEnd().split(/\r?\n/);
    expect(lines[0]).toMatch(/customer.?id/i);
    expect(lines[0]).toMatch(/probability/i);
    expect(lines[0]).toMatch(/decile/i);
    expect(lines.length).toBeGreaterThan(100);
    // Ids starting with "=" are written as text, never as a formula.
    const escaped = lines.filter((line) => line.startsWith("'="));
    expect(escaped.length).toBeGreaterThan(0);
    expect(lines.filter((line) => line.startsWith('='))).toEqual([]);
    expectReasons(lines, csv.split('\n')[0]!);
    expect(await createModelStore(h.database).listModels(h.channel)).toHaveLength(1);
    // The drivers say which way, and the shallow tree's rules come with held-out rates.
    expect(text).toMatch(/\*Drivers:\* [^\n]*(higher|holds) [^\n]* → (more|less) likely \(\d+%\)/);
    expect(text).toMatch(
      /\*Rules for a campaign tool\* \(share with personal loan among the 250 held-out customers; \d+% overall\)/,
    );
    expect(text).toMatch(/• [^\n]+ (over|or less|is|holds|no) [^\n]*: \*\d+(\.\d)?%\* \(\d+ of \d+\)/);
    // Each top customer's strongest reason.
    expect(text).toMatch(/1\. `[^`]+` \d+% · [^\n]+ \(\+\d+(\.\d)? pts\)/);
  });

  it('reuses the stored model while the data is unchanged, and products says it is trained', async () => {
    const reply = await predict('personal loan top=5');
    expect(messageText(reply)).toMatch(/model reused \(data unchanged\)/);
    expect(await createModelStore(h.database).listModels(h.channel)).toHaveLength(1);
    // The stored model scores exactly as the freshly trained one did.
    const [first, again] = await h.emulator.waitFor(
      () => files(h.channel, SCORES_FILE).length === 2 && files(h.channel, SCORES_FILE),
      { what: 'the second scored CSV' },
    );
    expect(new TextDecoder().decode(again!.bytes)).toBe(new TextDecoder().decode(first!.bytes));
    const before = botCount();
    await h.segbot('products');
    const products = await h.waitForBotMessage((m) => /has_personal_loan/.test(messageText(m)), {
      after: before,
    });
    expect(messageText(products)).toMatch(/personal_loan[^\n]*model trained \(AUC \d\.\d\d\)/);
  });

  it('adds each customer’s segment from the latest segmentation of the same data', async () => {
    await h.segbot('segment k=3 seed=1');
    await h.waitForBotMessage((m) => /3 customer segments/i.test(messageText(m)), {
      what: 'the segment summary',
      timeoutMs: 60_000,
    });
    const run = await createRunStore(h.database).latestRun(h.channel, { status: 'done' });
    const names = new Set(run!.segments.map((segment) => segment.name));
    const before = files(h.channel, SCORES_FILE).length;
    await predict('has_personal_loan top=5');
    const [scores] = await h.emulator.waitFor(
      () => files(h.channel, SCORES_FILE).length > before && files(h.channel, SCORES_FILE).slice(-1),
      { what: 'the scored CSV with segments' },
    );
    const lines = new TextDecoder().decode(scores!.bytes).trimEnd().split(/\r?\n/);
    expect(lines[0]).toMatch(/,segment,reason_1,reason_2,reason_3$/i);
    for (const line of lines.slice(1, 50)) expect(names.has(line.split(',').at(-4)!)).toBe(true);
  });

  it('does not import a one-column list of ids as data, and scores exactly its customers', async () => {
    const list = `CUST_ID\n${ids[1]}\n${ids[2]}\n${ids[2]}\nNOT-A-CUSTOMER\n`;
    const { message } = await h.share('campaign-ids.csv', list);
    const notice = await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && /customer list/.test(messageText(m)),
      { what: 'the customer-list notice' },
    );
    expect(messageText(notice)).toMatch(/predict <product> list/);
    expect((await createDatasetStore(h.database).latestDataset(h.channel))?.version).toBe(1);

    const scoredBefore = files(h.channel, SCORES_FILE).length;
    const reply = await predict('has_personal_loan list');
    const text = messageText(reply);
    expect(text).toMatch(/2 of 3 ids found/);
    expect(text).toMatch(/1 id is not in the dataset[^\n]*NOT-A-CUSTOMER/);
    expect(text).toMatch(/1 listed more than once/);
    const [scores] = await h.emulator.waitFor(
      () => files(h.channel, SCORES_FILE).length > scoredBefore && files(h.channel, SCORES_FILE).slice(-1),
      { what: 'the scored list' },
    );
    const rows = new TextDecoder().decode(scores!.bytes).trimEnd().split(/\r?\n/).slice(1);
    expect(rows.map((row) => row.split(',')[0]).sort()).toEqual([ids[1], ids[2]].sort());
  });

  it('says clearly when no id of the list is in the dataset', async () => {
    await h.share('other-ids.csv', 'CUST_ID\nX1\nX2\n');
    await h.waitForBotMessage((m) => /other-ids\.csv looks like a customer list/.test(messageText(m)));
    const reply = await predict('has_personal_loan list');
    expect(messageText(reply)).toMatch(/None of the 2 customer ids in other-ids\.csv are in the dataset/);
  });

  it('tells someone who is not an admin how to score a list, and scores it for them', async () => {
    const outsider = 'U0NOTADMIN';
    const datasetsBefore = (await createDatasetStore(h.database).latestDataset(h.channel))?.version;
    const { message } = await h.share('my-ids.csv', `CUST_ID\n${ids[3]}\n${ids[4]}\n`, { user: outsider });
    const refusal = await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && /Only segbot admins can upload/.test(messageText(m)),
      { what: 'the refusal' },
    );
    expect(refusal.ephemeralTo).toBe(outsider);
    expect(messageText(refusal)).toMatch(
      /list of customer ids to score, you need no admin[^\n]*predict &lt;product&gt; list/,
    );
    expect((await createDatasetStore(h.database).latestDataset(h.channel))?.version).toBe(datasetsBefore);

    const before = botCount();
    const scoredBefore = files(h.channel, SCORES_FILE).length;
    await h.segbot('predict has_personal_loan list', { user: outsider });
    const reply = await h.waitForBotMessage((m) => isFinal(m) && /Who is likely/.test(messageText(m)), {
      after: before,
      what: 'the scores for the outsider',
      timeoutMs: 60_000,
    });
    expect(messageText(reply)).toMatch(/Top 2 of 2 customers of my-ids\.csv/);
    const [scores] = await h.emulator.waitFor(
      () => files(h.channel, SCORES_FILE).length > scoredBefore && files(h.channel, SCORES_FILE).slice(-1),
      { what: 'the scored list' },
    );
    const rows = new TextDecoder().decode(scores!.bytes).trimEnd().split(/\r?\n/).slice(1);
    expect(rows.map((row) => row.split(',')[0]).sort()).toEqual([ids[3], ids[4]].sort());
  });

  it('explains that a product everyone holds cannot be predicted', async () => {
    const channel = 'C0E2EPALL';
    const lines = csv.trimEnd().split('\n');
    const everyone = `${lines.map((line, i) => `${line},${i === 0 ? 'has_current_account' : '1'}`).join('\n')}\n`;
    await upload(channel, 'everyone.csv', everyone);
    const reply = await predict('has_current_account', channel);
    expect(reply.ephemeralTo).toBe(h.user);
    expect(messageText(reply)).toMatch(/same value for every customer|Every customer holds/);
    // The only CSV here is data, not a list: it is passed over (after its first chunk), not scored.
    await h.segbot('channel allow', { channel });
    await h.waitForBotMessage((m) => /allowed/i.test(messageText(m)), { channel, what: 'the allow answer' });
    const downloads = h.emulator.downloads().length;
    const noList = await predict('has_personal_loan list', channel);
    expect(messageText(noList)).toMatch(/no customer list in this channel/);
    expect(h.emulator.downloads()).toHaveLength(downloads + 1);
  });

  it('warns about a column known only after the outcome, and exclude= trains without it', async () => {
    const channel = 'C0E2EPLEAK';
    const lines = csv.trimEnd().split('\n');
    const loanAt = lines[0]!.split(',').indexOf('has_personal_loan');
    // The length of the sales call: long exactly when the loan was sold.
    const leaky = lines.map((line, i) => {
      if (i === 0) return `${line},CALL_SECONDS`;
      const sold = line.split(',')[loanAt] === '1';
      return `${line},${sold ? 700 + (i % 300) : 20 + (i % 500)}`;
    });
    await upload(channel, 'calls.csv', `${leaky.join('\n')}\n`);
    await h.segbot('channel allow', { channel });
    await h.waitForBotMessage((m) => /allowed/i.test(messageText(m)), { channel, what: 'the allow answer' });
    const warned = messageText(await predict('personal loan top=3', channel));
    expect(warned).toMatch(/Suspect until the flagged features are checked/);
    expect(warned).toMatch(/CALL_SECONDS` is possibly known only after the outcome/);
    expect(warned).toContain('`/segbot predict has_personal_loan exclude=CALL_SECONDS`');
    const models = createModelStore(h.database);
    expect(await models.listModels(channel)).toHaveLength(1);
    const scoresIn = () => files(channel, SCORES_FILE).map((f) => new TextDecoder().decode(f.bytes));
    // The leaky model's reasons name the call length.
    const [leakyScores] = await h.emulator.waitFor(() => scoresIn().length === 1 && scoresIn(), {
      what: 'the leaky scored CSV',
    });
    expect(leakyScores).toMatch(/call seconds high \(\+\d+/);
    const cleanReply = await predict('has_personal_loan exclude=CALL_SECONDS top=3', channel);
    const clean = messageText(cleanReply);
    expect(clean).not.toMatch(/Suspect|possibly known only after/);
    expect(clean).not.toContain('CALL_SECONDS');
    expect(clean).not.toMatch(/model reused/);
    expect(await models.listModels(channel)).toHaveLength(2);
    // The stored model has neither the column nor a reason or rule about it.
    const dataset = (await createDatasetStore(h.database).latestDataset(channel))!;
    const payload = (await models.findModel(channel, dataset.id, 'has_personal_loan'))!.model;
    if (payload.format !== 'json') throw new Error('the model is stored as JSON');
    const stored = payload.value as {
      model: { features: { name: string }[]; reasons: { features: unknown[] } };
      result: { features: string[]; drivers: unknown[]; rules: unknown };
    };
    expect(stored.model.features.map((f) => f.name)).not.toContain('CALL_SECONDS');
    expect(stored.model.reasons.features).toHaveLength(stored.model.features.length);
    expect(stored.result.features).not.toContain('CALL_SECONDS');
    expect(JSON.stringify([stored.result.drivers, stored.result.rules])).not.toMatch(
      /CALL_SECONDS|call seconds/i,
    );
    // Export scored CSV under the clean prediction exports that model's scores, not a leaky one's.
    await h.emulator.waitFor(() => scoresIn().length === 2, { what: 'the clean scored CSV' });
    await h.emulator.pressButton(h.user, { channel, ts: cleanReply.ts }, ACTIONS.exportScores);
    const exported = await h.emulator.waitFor(() => scoresIn().length === 3 && scoresIn()[2], {
      what: 'the exported scores',
      timeoutMs: 60_000,
    });
    expect(exported).toBe(scoresIn()[1]);
    expect(exported).not.toMatch(/call seconds/i);
    expect(await models.listModels(channel)).toHaveLength(2);
    expect(clean).toMatch(/\*Drivers:\* /);
    // The same choice, spelt another way, reuses the model trained without the column.
    const again = messageText(await predict('has_personal_loan exclude=call_seconds', channel));
    expect(again).toMatch(/model reused/);
    const typo = await predict('has_personal_loan exclude=CALL_SECS', channel);
    expect(typo.ephemeralTo).toBe(h.user);
    expect(messageText(typo)).toMatch(/no column called "CALL_SECS"/);
  });

  it('predicts any two-valued column with COL=VALUE and says which value it predicts', async () => {
    const channel = 'C0E2EPATTR';
    await h.segbot('channel allow', { channel });
    const lines = csv.trimEnd().split('\n');
    const loanAt = lines[0]!.split(',').indexOf('has_personal_loan');
    const table = lines.map((line, i) => {
      if (i === 0) return `${line},Attrition_Flag`;
      const gone = line.split(',')[loanAt] === '1' ? i % 3 !== 0 : i % 9 === 0;
      return `${line},${gone ? 'Attrited Customer' : 'Existing Customer'}`;
    });
    await upload(channel, 'attrition.csv', `${table.join('\n')}\n`);
    const rarer = messageText(await predict('Attrition_Flag top=3', channel));
    expect(rarer).toMatch(/Who is most likely: attrition \(Attrition_Flag = Attrited Customer\)/);
    expect(rarer).toMatch(/predicting the rarer value, Attrited Customer/);
    const asked = messageText(await predict('Attrition_Flag=Existing Customer top=3', channel));
    expect(asked).toMatch(/Attrition_Flag = Existing Customer/);
    expect(asked).not.toMatch(/model reused/);
    expect(await createModelStore(h.database).listModels(channel)).toHaveLength(2);
    const wrong = await predict('Attrition_Flag=Gone', channel);
    expect(messageText(wrong)).toMatch(/"Gone" is not one of them/);
  });

  it('posts quality and charts but withholds customer ids in a channel not allowed', async () => {
    const channel = 'C0E2EPNOTALLOWED';
    await upload(channel, 'customers.csv', csv);
    const reply = await predict('has_personal_loan top=5', channel);
    const text = messageText(reply);
    expect(text).toMatch(/On customers it never saw/);
    expect(text).toMatch(/not allowed to receive customer-level data/);
    expect(text).not.toMatch(/Top 5 of/);
    for (const id of ids.slice(0, 50)) expect(text).not.toContain(id);
    await h.emulator.waitFor(() => pngs(channel).length >= 2, { what: 'the charts', timeoutMs: 60_000 });
    await h.emulator.waitFor(() => h.loopback.segbot.pendingJobs() === 0, { what: 'the job to end' });
    expect(files(channel, SCORES_FILE)).toEqual([]);
    const before = botCount(channel);
    await h.segbot('predict has_personal_loan list', { channel });
    const refusal = await h.waitForBotMessage((m) => /not allowed/.test(messageText(m)), {
      channel,
      after: before,
    });
    expect(refusal.ephemeralTo).toBe(h.user);
  });
});
