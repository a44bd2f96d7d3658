/**
 * `/segbot segment method=gmm|density|compare` through the real Bolt app over HTTP (signed
 * requests, loopback Slack, SQLite): the run records its method, the summary says how sure each
 * mixture segment is, describe reads the stored run, and compare posts the side by side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunStore } from '../../db/repositories/run-store.js';
import { generateCustomersCsv } from '../../src/analytics/generate-customers.js';
import { type E2EHarness, messageText, startE2E } from '../helpers/e2e-harness.js';

describe('/segbot segment with other clustering methods, end to end', () => {
  let h: E2EHarness;
  const csv = generateCustomersCsv({ rows: 900, seed: 11 });

  beforeAll(async () => {
    h = await startE2E();
    const { message } = await h.share('customers.csv', csv);
    await h.waitForBotMessage((m) => m.threadTs === message.ts && /900/.test(messageText(m)), {
      what: 'the quality report',
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('method=gmm stores a Gaussian mixture run and says how sure each segment is', async () => {
    const before = h.botMessages().length;
    const delivery = await h.segbot('segment method=gmm seed=3');
    expect(delivery.status).toBe(200);
    const summary = await h.waitForBotMessage((m) => /customer segments/i.test(messageText(m)), {
      after: before,
      what: 'the GMM summary',
      timeoutMs: 60_000,
    });
    const text = messageText(summary);
    expect(text).toMatch(/Gaussian mixture, k=\d, chosen by BIC/);
    expect(text).toMatch(/\d+% sure/);
    const run = (await createRunStore(h.database).latestRun(h.channel))!;
    expect(run.status).toBe('done');
    expect(run.params.method).toBe('gmm');
    expect(run.params.sure).toHaveLength(run.segments.length);

    const described = h.botMessages().length;
    await h.segbot('describe 1');
    const detail = await h.waitForBotMessage(
      (m) => /Gaussian mixture membership: \d+% sure/.test(messageText(m)),
      {
        after: described,
        what: 'describe of a GMM segment',
      },
    );
    expect(messageText(detail)).toContain(run.segments[0]!.name);
  });

  it('method=compare posts k-means, the mixture and density side by side and keeps the k-means run', async () => {
    const before = h.botMessages().length;
    await h.segbot('segment method=compare seed=3');
    const report = await h.waitForBotMessage((m) => /Three ways to segment/.test(messageText(m)), {
      after: before,
      what: 'the comparison',
      timeoutMs: 90_000,
    });
    const text = messageText(report);
    for (const label of ['k-means', 'Gaussian mixture', 'density (DBSCAN)']) expect(text).toContain(label);
    expect(text).toMatch(/Silhouette/);
    expect(text).toMatch(/adjusted Rand index/);
    expect(text).toMatch(/k-means vs Gaussian mixture -?\d\.\d\d/);
    const run = (await createRunStore(h.database).latestRun(h.channel))!;
    expect(run.status).toBe('done');
    expect(run.params.method).toBe('kmeans');
    expect(text).toContain(`run #${run.id} keeps the k-means segments`);
  });

  it('method=compare keep=gmm stores the Gaussian mixture as the run', async () => {
    const before = h.botMessages().length;
    await h.segbot('segment method=compare keep=gmm seed=3');
    const report = await h.waitForBotMessage((m) => /Three ways to segment/.test(messageText(m)), {
      after: before,
      what: 'the comparison',
      timeoutMs: 90_000,
    });
    const run = (await createRunStore(h.database).latestRun(h.channel))!;
    expect(run.status).toBe('done');
    expect(run.params.method).toBe('gmm');
    expect(run.params.sure).toHaveLength(run.segments.length);
    expect(messageText(report)).toContain(`run #${run.id} keeps the Gaussian mixture segments`);
  });

  it('method=density with a fixed k is refused privately and starts no run', async () => {
    const runsBefore = (await createRunStore(h.database).listRuns(h.channel)).length;
    const before = h.botMessages().length;
    await h.segbot('segment method=density k=4');
    const reply = await h.waitForBotMessage((m) => /density/.test(messageText(m)), { after: before });
    expect(reply.ephemeralTo).toBe(h.user);
    expect(messageText(reply)).toMatch(/own number of segments/);
    expect(await createRunStore(h.database).listRuns(h.channel)).toHaveLength(runsBefore);
  });
});
