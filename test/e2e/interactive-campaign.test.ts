/**
 * The buttons that lead from a result to the next step, through the real app and the loopback
 * Slack with signed block_actions and view_submission payloads: Export list (refused privately
 * where customer ids may not go, once on a double click), the campaign modal (errors in place,
 * then a campaign through the same service as `/segbot campaign new`), a prediction's buttons,
 * the digest's "Open the latest run", "Show movers" on a change alert and `@segbot movers`, Home
 * with a live campaign and for a non-member, and buttons on an older run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignStore } from '../../db/repositories/campaign-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import type { EmulatedMessage, EmulatedView } from '../../src/local/slack-emulator/index.js';
import { ACTIONS } from '../../src/slack/blocks/buttons.js';
import { buttonIds, type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';

const OUTSIDER = 'U0E2EOUTSIDE';
const COLLEAGUE = 'U0E2EGUEST';

type Json = Record<string, unknown>;

const viewText = (view: EmulatedView | undefined) => JSON.stringify(view?.view ?? {});

describe('next-step buttons and the campaign modal end to end', () => {
  let h: E2EHarness;
  let firstSummary: EmulatedMessage;
  const runs = async () =>
    (await createRunStore(h.database).listRuns(h.channel, 50)).sort((a, b) => b.id - a.id);
  const campaigns = async () => await createCampaignStore(h.database).listCampaigns(h.channel);
  const summaries = () => h.botMessages().filter((m) => /^Run #\d+:/.test(m.text));
  const exports = () => h.emulator.files(h.channel).filter((f) => f.name === 'segment-export.csv');

  async function segment(args: string): Promise<EmulatedMessage> {
    const before = summaries().length;
    await h.segbot(`segment ${args}`);
    await h.emulator.waitFor(() => summaries().length > before, {
      what: `the run (${args})`,
      timeoutMs: 60_000,
    });
    return summaries().at(-1)!;
  }

  beforeAll(async () => {
    h = await startE2E();
    h.emulator.addUser({ id: OUTSIDER, name: 'olga' });
    h.emulator.addUser({ id: COLLEAGUE, name: 'sam' });
    const csv = generateCustomersCsv({ rows: 400, seed: 5, products: true });
    await h.share('customers.csv', csv);
    await h.waitForBotMessage((m) => buttonIds(m.blocks).includes(ACTIONS.segmentNow), {
      what: 'the quality report',
      timeoutMs: 60_000,
    });
    firstSummary = await segment('k=3 seed=7');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('puts four buttons under each segment; Export list is refused privately where customer ids may not go', async () => {
    const run = (await runs())[0]!;
    const row = (firstSummary.blocks as Json[]).find((b) => b['block_id'] === `run_${run.id}_segment_1`);
    expect(buttonIds([row])).toEqual([
      ACTIONS.describeSegment,
      ACTIONS.exportSegment,
      ACTIONS.predictSegment,
      ACTIONS.campaignSegment,
    ]);
    const before = h.botMessages().length;
    await h.emulator.pressButton(h.user, { channel: h.channel, ts: firstSummary.ts }, ACTIONS.exportSegment);
    const refusal = await h.waitForBotMessage((m) => /not allowed to receive customer lists/.test(m.text), {
      after: before,
      what: 'the refusal',
    });
    expect(refusal.ephemeralTo).toBe(h.user);
    expect(refusal.text).toContain('/segbot channel allow');
    expect(exports()).toHaveLength(0);
  });

  it('exports a segment’s list once on a double click, once the channel is allowed', async () => {
    await h.segbot('channel allow');
    await h.waitForBotMessage((m) => /allowed this channel/.test(m.text), { what: 'the allow answer' });
    const run = (await runs())[0]!;
    const place = { channel: h.channel, ts: firstSummary.ts };
    // Segment 1's button was refused a moment ago; a refused press holds no claim, so this one acts.
    const blockId = `run_${run.id}_segment_1`;
    await Promise.all([
      h.emulator.pressButton(h.user, place, ACTIONS.exportSegment, { blockId }),
      h.emulator.pressButton(h.user, place, ACTIONS.exportSegment, { blockId }),
    ]);
    await h.emulator.waitFor(() => exports().length > 0, { what: 'the export', timeoutMs: 30_000 });
    await h.waitForBotMessage((m) => /Already on it/.test(m.text), { what: 'the double-click note' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(exports()).toHaveLength(1);
    const lines = new TextDecoder().decode(exports()[0]!.bytes).trim().split('\n');
    // A header, then exactly the segment's customers (no campaign holds any back yet).
    expect(lines.length - 1).toBe(run.segments[0]!.size);
  });

  it('checks the campaign modal in place, then creates the campaign through the command’s service', async () => {
    const run = (await runs())[0]!;
    await h.emulator.pressButton(
      h.user,
      { channel: h.channel, ts: firstSummary.ts },
      ACTIONS.campaignSegment,
      {
        blockId: `run_${run.id}_segment_1`,
      },
    );
    const modal = await h.emulator.waitFor(() => h.emulator.openModal(h.user), {
      what: 'the campaign modal',
    });
    expect(viewText(modal)).toContain('Start a campaign');
    // The pressed segment is chosen already.
    expect(viewText(modal)).toMatch(/"initial_options":\[\{"text":\{"type":"plain_text","text":"1\. /);

    const bad = await h.emulator.submitView(h.user, modal.id, {
      name: '   ',
      segments: ['1'],
      cut: 'top',
      top: '500',
      holdout: '50',
    });
    expect(bad.errors?.['name']).toMatch(/Give the campaign a name/);
    expect(bad.errors?.['product']).toMatch(/Choose the product/);
    expect(bad.errors?.['holdout']).toMatch(/from 5 to 20/);
    const size = run.segments[0]!.size;
    const tooMany = await h.emulator.submitView(h.user, modal.id, {
      name: 'Loan push',
      segments: ['1'],
      product: 'has_personal_loan',
      cut: 'top',
      top: String(size + 1),
      holdout: '10',
    });
    expect(tooMany.errors?.['top']).toBe(
      `Type a whole number from 1 to ${size.toLocaleString('en-US')} (the customers in the chosen segments).`,
    );
    const badDeciles = await h.emulator.submitView(h.user, modal.id, {
      name: 'Loan push',
      product: 'has_personal_loan',
      cut: 'deciles',
      deciles: '3-1',
      holdout: '10',
    });
    expect(badDeciles.errors?.['deciles']).toMatch(/decile from 1 to 10/);
    expect(h.emulator.openModal(h.user)?.id).toBe(modal.id);
    expect(await campaigns()).toHaveLength(0);

    const before = h.botMessages().length;
    const ok = await h.emulator.submitView(h.user, modal.id, {
      name: 'Loan push',
      segments: ['1'],
      product: 'has_personal_loan',
      cut: 'deciles',
      deciles: '1-5',
      holdout: '10',
    });
    expect(ok.errors).toBeUndefined();
    expect(h.emulator.openModal(h.user)).toBeUndefined();
    const live = await h.waitForBotMessage((m) => /Campaign \*Loan push\* is live/.test(m.text), {
      after: before,
      what: 'the campaign',
      timeoutMs: 90_000,
    });
    expect(messageText(live)).toContain(run.segments[0]!.name);
    const stored = await campaigns();
    expect(stored.map((c) => c.name)).toEqual(['Loan push']);
    expect(stored[0]!.product).toBe('has_personal_loan');
    expect(stored[0]!.definition.holdout).toBeCloseTo(0.1);
    // A second campaign of the same name is refused in the form, not after it.
    await h.emulator.pressButton(
      h.user,
      { channel: h.channel, ts: firstSummary.ts },
      ACTIONS.campaignSegment,
    );
    const again = await h.emulator.waitFor(() => h.emulator.openModal(h.user), { what: 'the modal again' });
    const dup = await h.emulator.submitView(h.user, again.id, { name: 'loan PUSH', holdout: '10' });
    expect(dup.errors?.['name']).toMatch(/already has a campaign/);
  });

  it('offers Export scored CSV and Campaign from the top decile under a prediction', async () => {
    const before = h.botMessages().length;
    await h.segbot('predict has_personal_loan');
    const reply = await h.waitForBotMessage(
      (m) => /Who is likely/.test(messageText(m)) && buttonIds(m.blocks).length > 0,
      { after: before, what: 'the prediction', timeoutMs: 90_000 },
    );
    expect(buttonIds(reply.blocks)).toEqual([ACTIONS.exportScores, ACTIONS.campaignTopDecile]);
    const scoreFiles = () =>
      h.emulator.files(h.channel).filter((f) => f.name === 'has_personal_loan-scores.csv');
    await h.emulator.waitFor(() => scoreFiles().length === 1, { what: 'the scores posted with the reply' });
    await h.emulator.pressButton(h.user, { channel: h.channel, ts: reply.ts }, ACTIONS.exportScores);
    await h.emulator.waitFor(() => scoreFiles().length === 2, {
      what: 'the scores again',
      timeoutMs: 60_000,
    });
    // The export carries each customer's reasons, as the list posted with the reply does.
    const [posted, exported] = scoreFiles().map((f) => new TextDecoder().decode(f.bytes));
    expect(exported!.split('\n')[0]).toMatch(/,reason_1,reason_2,reason_3$/);
    expect(exported!.split('\n')[1]).toMatch(/ \(\+\d+(\.\d)? pts\)/);
    expect(exported).toBe(posted);

    // Close any open modal first, so the one found is the new one.
    for (const view of h.emulator.views(h.user)) if (view.type === 'modal') view.closed = true;
    await h.emulator.pressButton(h.user, { channel: h.channel, ts: reply.ts }, ACTIONS.campaignTopDecile);
    const modal = await h.emulator.waitFor(() => h.emulator.openModal(h.user), { what: 'the decile modal' });
    const text = viewText(modal);
    expect(text).toMatch(
      /"initial_option":\{"text":\{"type":"plain_text","text":"[^"]*"[^}]*\},"value":"has_personal_loan"\}/,
    );
    expect(text).toContain('"initial_value":"1"');
    expect(text).toMatch(/"initial_option":\{[^}]*"text":"The top deciles by score"/);
  });

  it('shows a live campaign, not measured yet, on a member’s Home, and nothing to a non-member', async () => {
    await h.emulator.openHome(h.user);
    const home = await h.emulator.waitFor(
      () =>
        viewText(h.emulator.home(h.user)).includes('Live campaigns') ? h.emulator.home(h.user) : undefined,
      { what: 'Home with the campaign' },
    );
    expect(viewText(home)).toContain('*Loan push*: not measured yet');
    expect((home.view['blocks'] as unknown[]).length).toBeLessThanOrEqual(100);
    await h.emulator.openHome(OUTSIDER);
    const other = await h.emulator.waitFor(() => h.emulator.home(OUTSIDER), { what: 'the outsider’s Home' });
    expect(viewText(other)).toMatch(/share no channel/);
    expect(viewText(other)).not.toContain('Loan push');
  });

  it('opens the channel’s latest run from a digest', async () => {
    const before = h.botMessages().length;
    await h.segbot('digest now');
    const digest = await h.waitForBotMessage((m) => buttonIds(m.blocks).includes(ACTIONS.openLatestRun), {
      after: before,
      what: 'the digest',
      timeoutMs: 60_000,
    });
    const latest = (await runs())[0]!;
    const summariesBefore = summaries().length;
    await h.emulator.pressButton(h.user, { channel: h.channel, ts: digest.ts }, ACTIONS.openLatestRun);
    await h.emulator.waitFor(() => summaries().length > summariesBefore, { what: 'the run posted again' });
    expect(summaries().at(-1)!.text).toMatch(new RegExp(`^Run #${latest.id}:`));
  });

  it('shows movers from the change alert and for `@segbot movers`, and says an older run’s buttons are stale', async () => {
    const seen = h.botMessages().length;
    await segment('k=4 seed=7');
    const alert = await h.waitForBotMessage(
      (m) => !m.threadTs && m.text.startsWith(':bell: Segments changed'),
      {
        after: seen,
        what: 'the change alert',
      },
    );
    expect(buttonIds(alert.blocks)).toEqual([ACTIONS.showMovers]);
    const moverFiles = () => h.emulator.files(h.channel).filter((f) => f.name.startsWith('movers-run-'));
    await h.emulator.pressButton(h.user, { channel: h.channel, ts: alert.ts }, ACTIONS.showMovers);
    const answer = await h.waitForBotMessage(
      (m) => m.threadTs === alert.ts && /changed segment between/.test(m.text),
      {
        what: 'the movers answer in the thread',
      },
    );
    const count = Number(/^([\d,]+) of/.exec(answer.text)![1]!.replace(/,/g, ''));
    await h.emulator.waitFor(() => moverFiles().length === 1, { what: 'the movers CSV' });
    const csvLines = new TextDecoder().decode(moverFiles()[0]!.bytes).trim().split('\n');
    expect(csvLines[0]).toBe('customer_id,segment_before,segment_now');
    expect(csvLines.length - 1).toBe(count);

    // The same answer typed in the channel, outside any thread: the latest comparison.
    const beforeMention = h.botMessages().length;
    const mention = await h.emulator.mention(h.channel, undefined, h.user, 'movers');
    const typed = await h.waitForBotMessage((m) => /changed segment between/.test(m.text), {
      after: beforeMention,
      what: 'the typed movers answer',
    });
    expect(typed.text.split('.')[0]).toBe(answer.text.split('.')[0]);
    expect(typed.threadTs).toBe(mention.message.ts);

    // Run #1's Export list is from an older run now: said privately, no file.
    const exported = exports().length;
    const before = h.botMessages().length;
    await h.emulator.pressButton(h.user, { channel: h.channel, ts: firstSummary.ts }, ACTIONS.exportSegment, {
      blockId: `run_${(await runs()).at(-1)!.id}_segment_3`,
    });
    const stale = await h.waitForBotMessage((m) => /no longer the latest/.test(m.text), {
      after: before,
      what: 'the stale note',
    });
    expect(stale.ephemeralTo).toBe(h.user);
    expect(exports()).toHaveLength(exported);
  });

  it('says so when a digest’s button finds no run in the channel', async () => {
    const digest = h.botMessages().find((m) => buttonIds(m.blocks).includes(ACTIONS.openLatestRun))!;
    await h.segbot('forget confirm');
    await h.emulator.waitFor(async () => (await runs()).length === 0, { what: 'the data forgotten' });
    const before = h.botMessages().length;
    // Another person in the channel (the admin's own press of this button is still within its
    // double-click window).
    await h.emulator.pressButton(COLLEAGUE, { channel: h.channel, ts: digest.ts }, ACTIONS.openLatestRun);
    const note = await h.waitForBotMessage((m) => /no segmentation run yet/.test(m.text), {
      after: before,
      what: 'the no-run note',
    });
    expect(note.ephemeralTo).toBe(COLLEAGUE);
  });
});
