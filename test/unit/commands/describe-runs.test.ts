import { describe, expect, it } from 'vitest';
import type { CommandDeps } from '../../../commands/deps.js';
import { handleSlashCommand } from '../../../commands/index.js';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { capitalize, featureLabel } from '../../../src/analytics/segment/column-labels.js';
import { createCommandArgs, sampleCustomersCsv } from '../../helpers/command-args.js';
import { createTestDeps } from '../../helpers/test-deps.js';

type UploadV2Args = {
  channel_id: string;
  thread_ts?: string;
  file_uploads: { filename: string; title: string }[];
};

async function seedRun(deps: CommandDeps, channelId = 'C0TEST', k = 3) {
  const ingest = await ingestCsv(new TextEncoder().encode(sampleCustomersCsv(200, 11)), {
    fileName: 'customers.csv',
  });
  await deps.datasets.saveDataset({ channelId, userId: 'U0BOB', ingest });
  await handleSlashCommand(
    createCommandArgs({ text: `segment k=${k} seed=3`, channelId, userId: 'U0BOB' }).args,
    deps,
  );
  const run = (await deps.runs.latestRun(channelId))!;
  expect(run.status).toBe('done');
  return run;
}

describe('/segbot describe', () => {
  it('without an argument lists every segment briefly, in the channel', async () => {
    const { deps } = createTestDeps();
    const run = await seedRun(deps);
    const { args, fake, responses } = createCommandArgs({ text: 'describe' });
    await handleSlashCommand(args, deps);
    expect(responses).toEqual([]);
    expect(fake.messages).toHaveLength(1);
    const body = JSON.stringify(fake.messages[0]!.blocks);
    for (const [i, s] of run.segments.entries()) expect(body).toContain(`*${i + 1}. ${s.name}*`);
    expect(fake.messages[0]!.text).toBe(
      `Segments of run #${run.id}: ${run.segments.map((s, i) => `${i + 1}. ${s.name}`).join(', ')}.`,
    );
  });

  it('shows one segment in depth by number, with its profile chart', async () => {
    const { deps } = createTestDeps();
    const run = await seedRun(deps);
    const second = run.segments[1]!;
    const { args, fake } = createCommandArgs({ text: 'describe 2' });
    await handleSlashCommand(args, deps);
    expect(fake.messages[0]!.text).toBe(
      `Segment 2: ${second.name}, ${second.size} customers (${(second.share * 100).toFixed(1)}%).`,
    );
    const body = JSON.stringify(fake.messages[0]!.blocks);
    expect(body).toContain('*Campaign playbook*');
    expect(body).toContain(second.actions[0]!.reason);
    expect(body).toContain(second.traits[0]!.text);
    const strongest = [...second.profile].sort((a, b) => Math.abs(b.z) - Math.abs(a.z))[0]!;
    expect(body).toContain(capitalize(featureLabel(strongest.feature)));
    const [upload] = fake.callsOf('files.uploadV2') as unknown as UploadV2Args[];
    expect(upload!.file_uploads).toEqual([
      expect.objectContaining({
        filename: `segment-${second.index + 1}-profile-run-${run.id}.png`,
        title: `${second.name} profile`,
      }),
    ]);
  });

  it('matches a name loosely (case, plural, a typo)', async () => {
    const { deps } = createTestDeps();
    const run = await seedRun(deps);
    const target = run.segments[0]!;
    const sloppy = target.name.toUpperCase().replace(/s$/i, '');
    const { args, fake } = createCommandArgs({ text: `describe ${sloppy}` });
    await handleSlashCommand(args, deps);
    expect(fake.messages[0]!.text).toMatch(new RegExp(`^Segment 1: ${target.name}`));
  });

  it('lists the segment names when the name is unknown', async () => {
    const { deps } = createTestDeps();
    const run = await seedRun(deps);
    const { args, responses, fake } = createCommandArgs({ text: 'describe "Space tourists"' });
    await handleSlashCommand(args, deps);
    expect(fake.messages).toEqual([]);
    const text = String(responses[0]!.text);
    expect(text).toMatch(/^No segment is called “Space tourists”\./);
    expect(text).toContain(`Segments: ${run.segments.map((s, i) => `${i + 1}. ${s.name}`).join(', ')}.`);
  });

  it('says to segment first when there is data but no run, and to upload when there is no data', async () => {
    const { deps } = createTestDeps();
    const none = createCommandArgs({ text: 'describe' });
    await handleSlashCommand(none.args, deps);
    expect(String(none.responses[0]!.text)).toMatch(/^There is no customer data in this channel yet\./);

    const ingest = await ingestCsv(new TextEncoder().encode(sampleCustomersCsv(30)), { fileName: 'c.csv' });
    await deps.datasets.saveDataset({ channelId: 'C0TEST', userId: 'U0BOB', ingest });
    const noRun = createCommandArgs({ text: 'describe' });
    await handleSlashCommand(noRun.args, deps);
    expect(String(noRun.responses[0]!.text)).toMatch(
      /^No segmentation has run in this channel yet\.\nRun `\/segbot segment k=auto` first/,
    );
  });
});

describe('/segbot runs', () => {
  it('lists the channel’s runs privately: when, who, version, params, k, silhouette, sizes', async () => {
    const { deps } = createTestDeps();
    const run = await seedRun(deps);
    await seedRun(deps, 'C0OTHER');
    const { args, responses, fake } = createCommandArgs({ text: 'runs' });
    await handleSlashCommand(args, deps);
    expect(fake.messages).toEqual([]);
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({
      response_type: 'ephemeral',
      text: '1 segmentation run in this channel.',
    });
    const body = JSON.stringify(responses[0]!.blocks);
    expect(body).toContain(`*#${run.id}*`);
    expect(body).toContain('<@U0BOB> · dataset v1');
    expect(body).toContain('k=3 · seed 3 · features: all');
    expect(body).toContain(
      `silhouette ${run.silhouette!.toFixed(2)} · sizes ${run.segments.map((s) => s.size).join(' / ')}`,
    );
  });

  it('re-posts a run with its summary and charts, the scatter drawn from the stored projection', async () => {
    const { deps } = createTestDeps();
    const run = await seedRun(deps);
    const { args, fake } = createCommandArgs({ text: `runs #${run.id}` });
    await handleSlashCommand(args, deps);
    expect(fake.messages[0]!.text).toMatch(new RegExp(`^Run #${run.id}: 3 segments of 200 customers`));
    const [upload] = fake.callsOf('files.uploadV2') as unknown as UploadV2Args[];
    expect(upload!.thread_ts).toBe(fake.messages[0]!.ts);
    expect(upload!.file_uploads.map((f) => f.filename)).toEqual([
      `segment-sizes-run-${run.id}.png`,
      `pca-scatter-run-${run.id}.png`,
      `profile-heatmap-run-${run.id}.png`,
    ]);
  });

  it('does not find another channel’s run', async () => {
    const { deps } = createTestDeps();
    const other = await seedRun(deps, 'C0OTHER');
    await seedRun(deps, 'C0TEST');
    const { args, responses, fake } = createCommandArgs({ text: `runs ${other.id}` });
    await handleSlashCommand(args, deps);
    expect(fake.messages).toEqual([]);
    expect(String(responses[0]!.text)).toBe(
      `There is no run #${other.id} in this channel.\nType \`/segbot runs\` to see this channel’s runs.`,
    );
  });

  it('explains a malformed id and an empty history', async () => {
    const { deps } = createTestDeps();
    const bad = createCommandArgs({ text: 'runs latest' });
    await handleSlashCommand(bad.args, deps);
    expect(String(bad.responses[0]!.text)).toMatch(/^“latest” is not a run id\./);
    const ingest = await ingestCsv(new TextEncoder().encode(sampleCustomersCsv(30)), { fileName: 'c.csv' });
    await deps.datasets.saveDataset({ channelId: 'C0TEST', userId: 'U0BOB', ingest });
    const empty = createCommandArgs({ text: 'runs' });
    await handleSlashCommand(empty.args, deps);
    expect(String(empty.responses[0]!.text)).toMatch(/^No segmentation has run in this channel yet\./);
  });
});
