/**
 * Comparing runs in one channel, through the real app over HTTP against the loopback Slack: a
 * different table is not compared (no alert, a plain note), a change of k opens an alert that
 * names k as the cause, and a segment has one name in the run summary, `describe`, the change
 * thread and `@segbot explain`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';

const ATTRITION = readFileSync(
  join(import.meta.dirname, '..', 'fixtures', 'csv', 'roles', 'attrition-score.csv'),
);

describe('run comparison end to end', () => {
  let h: E2EHarness;
  beforeAll(async () => {
    h = await startE2E();
  });
  afterAll(async () => {
    await h?.close();
  });

  const runs = () => createRunStore(h.database);
  const datasets = () => createDatasetStore(h.database);
  const alerts = () =>
    h.botMessages().filter((m) => !m.threadTs && m.text.startsWith(':bell: Segments changed'));
  const idle = () =>
    h.emulator.waitFor(() => h.loopback.segbot.pendingJobs() === 0, { what: 'no queued jobs' });

  async function upload(name: string, content: string | Uint8Array, version: number): Promise<void> {
    await h.share(name, content);
    await h.emulator.waitFor(async () => (await datasets().latestDataset(h.channel))?.version === version, {
      what: `dataset v${version}`,
    });
    await idle();
  }

  async function segment(args: string, id: number): Promise<void> {
    await h.segbot(`segment ${args}`);
    await h.emulator.waitFor(async () => (await runs().getRun(h.channel, id))?.status === 'done', {
      what: `run ${id}`,
    });
    await idle();
  }

  it('does not compare a run on a different table: no alert, and a note that says why', async () => {
    // Any movement at all would open an alert, so only "not comparable" can keep it shut.
    await h.segbot('alerts threshold=1');
    await h.waitForBotMessage((m) => /alert threshold to 1 pp/.test(m.text), {
      what: 'the threshold notice',
    });
    await upload('customers.csv', generateCustomersCsv({ rows: 300, seed: 21 }), 1);
    await segment('k=3 seed=7', 1);
    await upload('attrition.csv', ATTRITION, 2);
    const seen = h.botMessages().length;
    await segment('k=3 seed=7', 2);
    const note = await h.waitForBotMessage((m) => /different customer base/.test(m.text), {
      after: seen,
      what: 'the not-compared note',
    });
    expect(note.text).toBe(
      ':information_source: Run #2 is on a different customer base: 0 of 300 customers in common with run #1; not compared.',
    );
    expect(alerts().map((m) => m.text)).toEqual([]);
  });

  it('names a change of k as the cause, and calls each segment one name everywhere', async () => {
    await upload('customers-again.csv', generateCustomersCsv({ rows: 300, seed: 21 }), 3);
    await segment('k=3 seed=7', 3);
    expect(alerts()).toHaveLength(0);
    const seen = h.botMessages().length;
    await segment('k=4 seed=7', 4);
    const alert = await h.waitForBotMessage(
      (m) => !m.threadTs && m.text.startsWith(':bell: Segments changed'),
      {
        after: seen,
        what: 'the change alert',
      },
    );
    expect(alert.text).toMatch(
      /^:bell: Segments changed in run #4 \(vs run #3\) because k changed from 3 to 4, not because customers moved: /,
    );
    expect(alert.text).not.toMatch(/customers moved from/);

    const run = (await runs().getRun(h.channel, 4))!;
    const names = run.segments.map((s) => s.name);
    expect(new Set(names).size).toBe(4);
    // The run summary.
    const summary = h
      .botMessages()
      .slice(seen)
      .find((m) => /run #4/i.test(messageText(m)) && names.every((n) => messageText(m).includes(n)));
    expect(summary, 'a run summary naming all four segments').toBeDefined();
    // The thread's details.
    const details = await h.waitForBotMessage(
      (m) => m.threadTs === alert.ts && /What changed between run/.test(m.text),
      { what: 'the details in the thread' },
    );
    for (const name of names) expect(messageText(details)).toContain(name);
    // describe, for the first segment.
    const first = run.segments[0]!;
    const beforeDescribe = h.botMessages().length;
    await h.segbot('describe 1');
    const described = await h.waitForBotMessage((m) => messageText(m).includes(`Segment 1: ${first.name}`), {
      after: beforeDescribe,
      what: 'describe 1',
    });
    expect(messageText(described)).toContain(first.traits[0]!.text);
    // @segbot explain by that name, in the thread.
    const beforeExplain = h.botMessages().length;
    await h.emulator.mention(h.channel, alert.ts, h.user, `explain "${first.name}"`);
    const explained = await h.waitForBotMessage((m) => m.threadTs === alert.ts, {
      after: beforeExplain,
      what: 'the explain answer',
    });
    expect(explained.text).not.toMatch(/I don’t know the segment/);
    expect(explained.text).toContain(first.name);
    // Numbers in the thread are in original units, as in describe: no standardized or log values.
    for (const shift of messageText(details).matchAll(/average ([a-z -]+) (?:up|down)/g)) {
      expect(shift[1]).not.toMatch(/[A-Z_]/);
    }
  });
});
