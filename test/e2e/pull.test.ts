/**
 * `/segbot pull` through the real app over signed HTTP against the loopback Slack: an admin pulls
 * a Parquet folder into the channel (quality report, new dataset version), a non-admin and an
 * unknown source are refused, an unreachable database is reported without its credentials, and a
 * weekly digest set with `pull=` imports fresh data before it posts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { createRunStore } from '../../db/repositories/run-store.js';
import { createScheduleStore } from '../../db/repositories/schedule-store.js';
import { E2E_USER, type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { type SourceFixtures, writeSourceFixtures } from '../helpers/source-fixtures.js';

const OUTSIDER = 'U0OUTSIDER';
const PASSWORD = 'pw-E2e-7719';
const HOUR = 3600_000;

describe('/segbot pull end to end', () => {
  // Sunday noon; a digest set for Monday 09:00 UTC is 21 hours away.
  const clock = createFakeClock('2026-11-22T12:00:00Z');
  let h: E2EHarness;
  let f: SourceFixtures;
  beforeAll(async () => {
    f = await writeSourceFixtures({ rows: 240, connectionEnv: 'PULL_E2E_URL' });
    h = await startE2E({
      clock,
      env: {
        SEGBOT_SOURCES_FILE: f.sourcesFile,
        // Nothing listens on port 1 of the loopback.
        PULL_E2E_URL: `postgres://segbot:${PASSWORD}@127.0.0.1:1/warehouse`,
      },
    });
    h.emulator.addUser({ id: OUTSIDER, name: 'mallory' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const datasets = () => createDatasetStore(h.database);

  it('imports a Parquet folder as the channel’s next dataset version, answered with the quality report', async () => {
    const before = h.botMessages().length;
    await h.segbot('pull lake');
    const report = await h.waitForBotMessage(
      (m) => /Imported lake \(parquet source\) as dataset v1/.test(m.text),
      {
        after: before,
        what: 'the quality report',
      },
    );
    expect(report.ephemeralTo).toBeUndefined();
    expect(messageText(report)).toMatch(/240 rows/);
    expect(await datasets().latestDataset(h.channel)).toMatchObject({ version: 1, rowCount: 240 });
  });

  it('refuses a pull by someone who is not an admin, and stores nothing', async () => {
    const before = h.botMessages().length;
    await h.segbot('pull lake', { user: OUTSIDER });
    const refusal = await h.waitForBotMessage(
      (m) => /Only segbot admins can pull customer data/.test(m.text),
      {
        after: before,
        what: 'the refusal',
      },
    );
    expect(refusal.ephemeralTo).toBe(OUTSIDER);
    expect((await datasets().latestDataset(h.channel))?.version).toBe(1);
  });

  it('names the configured sources when the source is unknown', async () => {
    const before = h.botMessages().length;
    await h.segbot('pull lakehouse');
    const reply = await h.waitForBotMessage((m) => /no data source called “lakehouse”/.test(messageText(m)), {
      after: before,
    });
    expect(reply.ephemeralTo).toBe(E2E_USER);
    expect(messageText(reply)).toMatch(/extract, lake, warehouse/);
  });

  it('reports an unreachable database without its password, in Slack and in the logs', async () => {
    const before = h.botMessages().length;
    await h.segbot('pull warehouse');
    const outcome = await h.waitForBotMessage((m) => /Could not pull warehouse/.test(m.text), {
      after: before,
      what: 'the failure',
    });
    expect(messageText(outcome)).toMatch(/could not reach the database of source “warehouse”/);
    expect(messageText(outcome)).toMatch(/PULL_E2E_URL/);
    expect((await datasets().latestDataset(h.channel))?.version).toBe(1);
    const everything = [...h.botMessages().map(messageText), ...h.logs].join('\n');
    expect(everything).not.toContain(PASSWORD);
  });

  it('pulls before a scheduled digest set with pull=, and the digest runs on the pulled data', async () => {
    await h.segbot('segment k=3 seed=7');
    await h.emulator.waitFor(
      async () => (await createRunStore(h.database).getRun(h.channel, 1))?.status === 'done',
      {
        what: 'run 1',
      },
    );
    const before = h.botMessages().length;
    await h.segbot('digest weekly monday 09:00 UTC pull=extract');
    await h.waitForBotMessage(
      (m) => /Before each one, segbot pulls fresh data from source \*extract\*/.test(m.text),
      {
        after: before,
        what: 'the subscription notice',
      },
    );
    expect((await createScheduleStore(h.database).getSchedule(h.channel))?.pullSource).toBe('extract');

    await clock.advance(21 * HOUR); // Monday 09:00
    const digest = await h.waitForBotMessage((m) => /^Weekly segment digest:/.test(m.text), {
      after: before,
      what: 'the digest',
    });
    expect(await datasets().latestDataset(h.channel)).toMatchObject({ version: 2, rowCount: 240 });
    // The digest re-ran segmentation on the pulled version.
    expect(messageText(digest)).toMatch(/dataset v2/);
  });

  it('refuses pull= with an unknown source and keeps the schedule as it was', async () => {
    const before = h.botMessages().length;
    await h.segbot('digest weekly friday 09:00 UTC pull=nowhere');
    await h.waitForBotMessage((m) => /no data source called “nowhere”/.test(messageText(m)), {
      after: before,
    });
    expect((await createScheduleStore(h.database).getSchedule(h.channel))?.day).toBe('monday');
  });
});
