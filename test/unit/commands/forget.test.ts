import { describe, expect, it } from 'vitest';
import { forgetSummary } from '../../../commands/forget.js';
import { handleSlashCommand } from '../../../commands/index.js';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { createCommandArgs, createFakeClient, sampleCustomersCsv } from '../../helpers/command-args.js';
import { createTestDeps } from '../../helpers/test-deps.js';

async function setup() {
  const test = createTestDeps();
  const { deps } = test;
  await deps.access.seedAdmins(['U0ADMIN']);
  const fake = createFakeClient();
  let lastBlocks = '';
  const run = async (text: string, userId: string, channelId = 'C0SALES') => {
    const invocation = createCommandArgs({ text, userId, channelId, fake });
    await handleSlashCommand(invocation.args, deps);
    lastBlocks = JSON.stringify(invocation.responses.map((r) => r.blocks ?? []));
    return invocation.responses.map((r) => String(r.text)).join('\n');
  };
  for (const channelId of ['C0SALES', 'C0OTHER']) {
    const ingest = await ingestCsv(new TextEncoder().encode(sampleCustomersCsv(120, 5)), {
      fileName: 'c.csv',
    });
    await deps.datasets.saveDataset({ channelId, userId: 'U0ADMIN', ingest });
    await deps.datasets.saveDataset({ channelId, userId: 'U0ADMIN', ingest });
    await run('segment k=3 seed=1', 'U0ADMIN', channelId);
  }
  return { deps, fake, run, blocks: () => lastBlocks };
}

describe('/segbot forget', () => {
  it('deletes the channel’s datasets and runs, says exactly what went, and leaves other channels alone', async () => {
    const { deps, fake, run } = await setup();
    expect(await deps.runs.latestRun('C0SALES')).not.toBeNull();
    const before = fake.messages.length;
    await run('forget confirm', 'U0ADMIN');
    expect(await deps.datasets.latestDataset('C0SALES')).toBeNull();
    expect(await deps.runs.latestRun('C0SALES')).toBeNull();
    expect((await deps.datasets.latestDataset('C0OTHER'))?.version).toBe(2);
    expect(await deps.runs.latestRun('C0OTHER')).not.toBeNull();
    const reply = fake.messages.slice(before).find((m) => m.channel === 'C0SALES');
    expect(reply?.text).toContain(
      'Deleted 2 dataset versions (240 customer rows), 1 segmentation run, 0 models, 0 change thread records, 0 digest records.',
    );
    expect(reply?.text).toContain('<@U0ADMIN> asked segbot to forget');
  });

  it('refuses a non-admin and deletes nothing', async () => {
    const { deps, run } = await setup();
    const text = await run('forget confirm', 'U0MALLORY');
    expect(text).toContain("Only segbot admins can delete a channel's data");
    expect(await deps.datasets.latestDataset('C0SALES')).not.toBeNull();
    expect(await deps.runs.latestRun('C0SALES')).not.toBeNull();
  });

  it('says when there was nothing to delete', async () => {
    const { fake, run } = await setup();
    await run('forget confirm', 'U0ADMIN', 'C0EMPTY');
    expect(fake.messages.at(-1)?.text).toContain('nothing was deleted');
  });

  it('asks first without `confirm`: says exactly what would go, offers a confirm button, deletes nothing', async () => {
    const { deps, run, blocks: lastBlocks } = await setup();
    const text = await run('forget', 'U0ADMIN');
    expect(text).toContain('This deletes 2 dataset versions (240 customer rows), 1 segmentation run');
    const blocks = lastBlocks();
    expect(blocks).toContain('segbot_forget_confirmed');
    expect(blocks).toContain('"confirm":{');
    expect(blocks).toContain('"style":"danger"');
    expect(await deps.datasets.latestDataset('C0SALES')).not.toBeNull();
  });

  it('asks a non-admin nothing: the refusal comes before any button', async () => {
    const { deps, run, blocks } = await setup();
    const text = await run('forget', 'U0MALLORY');
    expect(text).toContain("Only segbot admins can delete a channel's data");
    expect(blocks()).not.toContain('segbot_forget_confirmed');
    expect(await deps.datasets.latestDataset('C0SALES')).not.toBeNull();
  });

  it('takes no arguments, so a stray word deletes nothing', async () => {
    const { deps, run } = await setup();
    expect(await run('forget C0OTHER', 'U0ADMIN')).toContain('takes no arguments');
    expect(await deps.datasets.latestDataset('C0SALES')).not.toBeNull();
  });
});

describe('forgetSummary', () => {
  const none = {
    datasets: 0,
    customers: 0,
    runs: 0,
    models: 0,
    campaigns: 0,
    suppressionEntries: 0,
    changeThreads: 0,
    digests: 0,
    jobErrors: 0,
  };

  it('uses singular and plural forms', () => {
    expect(
      forgetSummary({ ...none, datasets: 1, customers: 1, runs: 2, models: 1, changeThreads: 2, digests: 1 }),
    ).toBe(
      'Deleted 1 dataset version (1 customer row), 2 segmentation runs, 1 model, 2 change thread records, 1 digest record.',
    );
  });

  it('names campaigns and suppression list entries when there were any', () => {
    expect(forgetSummary({ ...none, campaigns: 2, suppressionEntries: 1 })).toBe(
      'Deleted 0 dataset versions (0 customer rows), 0 segmentation runs, 0 models, 2 campaigns, 1 suppression list entry, 0 change thread records, 0 digest records.',
    );
  });

  it('counts cleared job errors as something forgotten', () => {
    expect(forgetSummary(none)).toBe(
      'segbot held no customer data for this channel, so nothing was deleted.',
    );
    expect(forgetSummary({ ...none, jobErrors: 1 })).toMatch(/Cleared the error text of 1 failed job\.$/);
    expect(forgetSummary({ ...none, jobErrors: 2 })).toBe(
      'Deleted 0 dataset versions (0 customer rows), 0 segmentation runs, 0 models, 0 change thread records, 0 digest records. Cleared the error texts of 2 failed jobs.',
    );
  });
});
