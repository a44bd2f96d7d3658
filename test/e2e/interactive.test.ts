/**
 * Buttons, modals, shortcuts and the Home tab through the real app and the loopback Slack: signed
 * block_actions, view_submission, shortcut and message_action payloads into the HTTP receiver, and
 * what segbot posts, opens or publishes in answer — including validation in the modal, refusals,
 * a double click acting once, buttons on an old run, and Home for a member and for a non-member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelStore } from '../../db/repositories/model-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import type { EmulatedMessage, EmulatedView } from '../../src/local/slack-emulator/index.js';
import { parseStoredPrediction } from '../../src/services/stored-prediction.js';
import { ACTIONS, SHORTCUTS } from '../../src/slack/blocks/buttons.js';
import { buttonIds, type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';

const NON_ADMIN = 'U0E2EGUEST';
const OUTSIDER = 'U0E2EOUTSIDE';
const OTHER_CHANNEL = 'C0E2EOTHER';

const viewText = (view: EmulatedView | undefined) => JSON.stringify(view?.view ?? {});
/** The option values of the input block `blockId` of a view, as Slack would show them. */
const optionValues = (view: EmulatedView, blockId: string): string[] => {
  const blocks = (view.view['blocks'] ?? []) as {
    block_id?: string;
    element?: { options?: { value: string }[] };
  }[];
  return (blocks.find((b) => b.block_id === blockId)?.element?.options ?? []).map((o) => o.value);
};

describe('buttons, modals, shortcuts and Home end to end', () => {
  let h: E2EHarness;
  let report: EmulatedMessage;
  const runs = async () =>
    (await createRunStore(h.database).listRuns(h.channel, 50)).sort((a, b) => b.id - a.id);
  /** Run summaries (their fallback text starts "Run #N:"), oldest first. */
  const summaries = () => h.botMessages().filter((m) => /^Run #\d+:/.test(m.text));

  beforeAll(async () => {
    h = await startE2E();
    h.emulator.addUser({ id: NON_ADMIN, name: 'sam' });
    h.emulator.addUser({ id: OUTSIDER, name: 'olga' });
    const csv = generateCustomersCsv({ rows: 400, seed: 5, products: true });
    const { message } = await h.share('customers.csv', csv);
    report = await h.waitForBotMessage(
      (m) => m.threadTs === message.ts && buttonIds(m.blocks).includes(ACTIONS.segmentNow),
      { what: 'the quality report with its buttons' },
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('puts "Segment now" and "Segment with options…" under the quality report; a double click segments once', async () => {
    expect(buttonIds(report.blocks)).toEqual([ACTIONS.segmentNow, ACTIONS.segmentOptions]);
    const place = { channel: h.channel, ts: report.ts };
    const [first, second] = await Promise.all([
      h.emulator.pressButton(h.user, place, ACTIONS.segmentNow),
      h.emulator.pressButton(h.user, place, ACTIONS.segmentNow),
    ]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    await h.waitForBotMessage((m) => /^Run #\d+:/.test(m.text), {
      what: 'the run summary',
      timeoutMs: 60_000,
    });
    await h.waitForBotMessage((m) => /Already on it/.test(m.text), { what: 'the double-click note' });
    // Give a second run, were one started, time to be recorded.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await runs()).toHaveLength(1);
    expect(summaries()).toHaveLength(1);
  });

  it('describes a segment from its button on the run summary', async () => {
    const summary = summaries()[0]!;
    expect(buttonIds(summary.blocks)).toContain(ACTIONS.describeSegment);
    const run = (await runs())[0]!;
    const second = run.segments[1]!;
    const before = h.botMessages().length;
    await h.emulator.pressButton(h.user, { channel: h.channel, ts: summary.ts }, ACTIONS.describeSegment, {
      blockId: `run_${run.id}_segment_2`,
    });
    const detail = await h.waitForBotMessage(
      (m) => messageText(m).includes(second.name) && /profile|Profile/.test(messageText(m)),
      {
        after: before,
        what: 'the segment detail',
      },
    );
    expect(detail.ephemeralTo).toBeUndefined();
  });

  it('checks the segment modal in place, then runs with the chosen k and features', async () => {
    await h.emulator.pressButton(h.user, { channel: h.channel, ts: report.ts }, ACTIONS.segmentOptions);
    const modal = await h.emulator.waitFor(() => h.emulator.openModal(h.user), { what: 'the segment modal' });
    expect(viewText(modal)).toContain('Number of segments');
    const one = await h.emulator.submitView(h.user, modal.id, { k: '3', features: ['BALANCE'] });
    expect(one.errors?.['features']).toMatch(/at least 2 features/);
    expect(h.emulator.openModal(h.user)?.id).toBe(modal.id);
    expect(await runs()).toHaveLength(1);

    const before = summaries().length;
    const ok = await h.emulator.submitView(h.user, modal.id, {
      k: '3',
      features: ['BALANCE', 'PURCHASES', 'CASH_ADVANCE'],
    });
    expect(ok.errors).toBeUndefined();
    expect(h.emulator.openModal(h.user)).toBeUndefined();
    await h.emulator.waitFor(() => summaries().length > before, { what: 'the k=3 run', timeoutMs: 60_000 });
    const latest = (await runs())[0]!;
    expect(latest.k).toBe(3);
    expect(latest.params.features).toEqual(['BALANCE', 'PURCHASES', 'CASH_ADVANCE']);
  });

  it('says a button on an older run is no longer the latest instead of acting on the wrong run', async () => {
    const oldSummary = summaries()[0]!;
    const before = h.botMessages().length;
    const describedBefore = h.botMessages().filter((m) => /profile/i.test(messageText(m))).length;
    await h.emulator.pressButton(h.user, { channel: h.channel, ts: oldSummary.ts }, ACTIONS.describeSegment);
    const note = await h.waitForBotMessage((m) => /no longer the latest/.test(m.text), {
      after: before,
      what: 'the stale-run note',
    });
    expect(note.ephemeralTo).toBe(h.user);
    expect(h.botMessages().filter((m) => /profile/i.test(messageText(m)))).toHaveLength(describedBefore);
  });

  it('predicts uptake for a segment from its modal, refusing a bad "top" in place and leaving out the columns chosen', async () => {
    await h.segbot('channel allow');
    await h.waitForBotMessage((m) => /allowed/i.test(messageText(m)), { what: 'the allow answer' });
    const summary = summaries().at(-1)!;
    const segmentName = (await runs())[0]!.segments[0]!.name;
    await h.emulator.pressButton(h.user, { channel: h.channel, ts: summary.ts }, ACTIONS.predictSegment);
    const modal = await h.emulator.waitFor(() => h.emulator.openModal(h.user), { what: 'the predict modal' });
    expect(viewText(modal)).toContain('has_personal_loan');
    // Columns to leave out are offered from the data, products aside.
    const excludeOptions = optionValues(modal, 'exclude');
    expect(excludeOptions).toContain('CASH_ADVANCE');
    expect(excludeOptions).not.toContain('has_personal_loan');
    const bad = await h.emulator.submitView(h.user, modal.id, { product: 'has_personal_loan', top: 'ten' });
    expect(bad.errors?.['top']).toMatch(/whole number/);
    const before = h.botMessages().length;
    const ok = await h.emulator.submitView(h.user, modal.id, {
      product: 'has_personal_loan',
      top: '5',
      exclude: ['CASH_ADVANCE', 'BALANCE'],
    });
    expect(ok.errors).toBeUndefined();
    const answer = await h.waitForBotMessage(
      (m) => /Who is likely|failed/.test(messageText(m)) && !/:hourglass/.test(m.text),
      {
        after: before,
        what: 'the prediction',
        timeoutMs: 90_000,
      },
    );
    expect(messageText(answer)).toContain(`in ${segmentName}`);
    // The model was trained without the two columns, and stored with that choice.
    const stored = await createModelStore(h.database).findModel(
      h.channel,
      (await runs())[0]!.datasetId,
      'has_personal_loan',
    );
    expect(stored?.model.format).toBe('json');
    if (stored?.model.format !== 'json') return;
    const prediction = parseStoredPrediction(stored.model.value);
    expect([...prediction.result.selection.exclude].sort()).toEqual(['BALANCE', 'CASH_ADVANCE']);
    expect(prediction.result.features).not.toContain('CASH_ADVANCE');
    expect(prediction.result.features).not.toContain('BALANCE');
    expect(prediction.result.features.length).toBeGreaterThan(3);
  });

  it('shows Home with the channel’s upload and run to a member, and nothing of it to a non-member', async () => {
    await h.emulator.openHome(h.user);
    const home = await h.emulator.waitFor(() => h.emulator.home(h.user), { what: 'the member’s Home' });
    const text = viewText(home);
    expect(text).toContain('customers.csv');
    expect(text).toContain(`<#${h.channel}>`);
    expect(text).toMatch(/Run \*#\d+\*/);
    expect(buttonIds(home.view['blocks'])).toEqual([ACTIONS.segmentNow, ACTIONS.openRun]);
    // Aggregates only: no customer id reaches Home.
    expect(text).not.toMatch(/C\d{6}/);

    await h.emulator.openHome(OUTSIDER);
    const outsiderHome = await h.emulator.waitFor(() => h.emulator.home(OUTSIDER), {
      what: 'the outsider’s Home',
    });
    expect(viewText(outsiderHome)).toMatch(/share no channel/);
    expect(viewText(outsiderHome)).not.toContain('customers.csv');
  });

  it('acts from Home in the member’s channel, and refuses a Home button for a channel the presser is not in', async () => {
    const home = h.emulator.home(h.user)!;
    const before = h.botMessages().length;
    await h.emulator.pressButton(h.user, { viewId: home.id }, ACTIONS.openRun);
    await h.waitForBotMessage((m) => /^Run #\d+:/.test(m.text), {
      after: before,
      what: 'the run posted again from Home',
    });

    // A forged Home press for a channel the outsider is not in: signed, but refused before any work.
    const runCount = (await runs()).length;
    const payload = {
      type: 'block_actions',
      user: { id: OUTSIDER, username: 'olga', team_id: h.emulator.teamId },
      api_app_id: 'A0SEGBOT',
      team: { id: h.emulator.teamId, domain: 'segbot-local' },
      container: { type: 'view', view_id: h.emulator.home(OUTSIDER)!.id },
      trigger_id: '1.forged',
      view: { id: h.emulator.home(OUTSIDER)!.id, type: 'home', blocks: [] },
      actions: [
        {
          type: 'button',
          action_id: ACTIONS.segmentNow,
          block_id: `home_${h.channel}`,
          value: JSON.stringify({ c: h.channel, d: (await runs())[0]!.datasetId }),
          action_ts: '1.0',
        },
      ],
    };
    const delivery = await h.emulator.sendSigned({
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(delivery.status, delivery.body).toBe(200);
    await h.emulator.waitFor(
      () => h.logs.some((line) => /button for a channel the user is not in/.test(line)),
      {
        what: 'the refusal in the log',
      },
    );
    expect(await runs()).toHaveLength(runCount);
    expect(h.botMessages().filter((m) => m.ephemeralTo === OUTSIDER)).toHaveLength(0);
  });

  it('opens the segment modal from the global shortcut, refusing a channel the person is not in', async () => {
    h.emulator.addChannel({ id: OTHER_CHANNEL, name: 'risk' });
    await h.emulator.globalShortcut(h.user, SHORTCUTS.open);
    const modal = await h.emulator.waitFor(() => h.emulator.openModal(h.user), {
      what: 'the shortcut modal',
    });
    expect(viewText(modal)).toContain('conversations_select');
    const refused = await h.emulator.submitView(h.user, modal.id, { channel: OTHER_CHANNEL, k: 'auto' });
    expect(refused.errors?.['channel']).toMatch(/you and segbot are both in/);
    const typo = await h.emulator.submitView(h.user, modal.id, {
      channel: h.channel,
      k: '3',
      features: 'BALANCE, NOPE',
    });
    expect(typo.errors?.['features']).toMatch(/NOPE is not a column/);
    const before = summaries().length;
    const ok = await h.emulator.submitView(h.user, modal.id, { channel: h.channel, k: '3' });
    expect(ok.errors).toBeUndefined();
    await h.emulator.waitFor(() => summaries().length > before, {
      what: 'the run from the shortcut',
      timeoutMs: 60_000,
    });
  });

  it('"Segment this CSV" imports and segments for an admin, and is refused privately for anyone else', async () => {
    const csv = generateCustomersCsv({ rows: 300, seed: 9 });
    const guestShare = await h.share('guest.csv', csv, { user: NON_ADMIN });
    // Sam's own drop is refused as an upload (not an admin); the shortcut must be refused the same way.
    const datasetsBefore = h.botMessages().filter((m) => /Imported/.test(m.text)).length;
    const before = h.botMessages().length;
    await h.emulator.messageShortcut(NON_ADMIN, SHORTCUTS.segmentFile, h.channel, guestShare.message.ts);
    const refusal = await h.waitForBotMessage((m) => m.ephemeralTo === NON_ADMIN && /admin/i.test(m.text), {
      after: before,
      what: 'the refusal',
    });
    expect(refusal.text).toMatch(/admin/i);

    const summariesBefore = summaries().length;
    await h.emulator.messageShortcut(h.user, SHORTCUTS.segmentFile, h.channel, guestShare.message.ts);
    await h.waitForBotMessage((m) => /Imported guest\.csv/.test(m.text), {
      what: 'the import',
      timeoutMs: 60_000,
    });
    await h.emulator.waitFor(() => summaries().length > summariesBefore, {
      what: 'the run',
      timeoutMs: 60_000,
    });
    expect(h.botMessages().filter((m) => /Imported/.test(m.text)).length).toBe(datasetsBefore + 1);
  });

  it('refuses a non-admin pressing the admin-only forget button, privately, and deletes nothing', async () => {
    // Sam cannot see the admin's ephemeral prompt; a press arriving anyway is checked like the command.
    const before = h.botMessages().length;
    const payload = {
      type: 'block_actions',
      user: { id: NON_ADMIN, username: 'sam', team_id: h.emulator.teamId },
      api_app_id: 'A0SEGBOT',
      team: { id: h.emulator.teamId, domain: 'segbot-local' },
      container: { type: 'message', message_ts: report.ts, channel_id: h.channel, is_ephemeral: true },
      channel: { id: h.channel, name: 'marketing' },
      trigger_id: '1.forged',
      actions: [
        {
          type: 'button',
          action_id: 'segbot_forget_confirmed',
          block_id: 'forget',
          value: '{}',
          action_ts: '2.0',
        },
      ],
    };
    const delivery = await h.emulator.sendSigned({
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(delivery.status).toBe(200);
    const refusal = await h.waitForBotMessage((m) => /Only segbot admins can delete/.test(m.text), {
      after: before,
      what: 'the refusal',
    });
    expect(refusal.ephemeralTo).toBe(NON_ADMIN);
    expect((await runs()).length).toBeGreaterThan(0);
  });
});
