import { describe, expect, it } from 'vitest';
import type { CommandDeps } from '../../../commands/deps.js';
import { handleMessageEvent, handleSlashCommand } from '../../../commands/index.js';
import { STAGE_TEXT } from '../../../commands/segment.js';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../../../src/analytics/segment/segment-customers.js';
import { BadInputError } from '../../../src/errors.js';
import {
  createCommandArgs,
  createFakeClient,
  createFileServer,
  createMessageEventArgs,
  csvFile,
  sampleCustomersCsv,
  slackPlatformError,
} from '../../helpers/command-args.js';
import { allowAll, createTestDeps } from '../../helpers/test-deps.js';

async function seedDataset(deps: CommandDeps, channelId = 'C0TEST', rows = 200, seed = 11) {
  const ingest = await ingestCsv(new TextEncoder().encode(sampleCustomersCsv(rows, seed)), {
    fileName: 'customers.csv',
  });
  return await deps.datasets.saveDataset({ channelId, userId: 'U0BOB', ingest });
}

type UploadV2Args = {
  channel_id: string;
  initial_comment?: string;
  file_uploads: { filename: string; title: string; file: Buffer }[];
};

describe('/segbot segment', () => {
  it('acknowledges first, follows the stages in one message, stores the run and posts summary and charts', async () => {
    const { deps, rendered } = createTestDeps();
    await seedDataset(deps);
    const { args, calls, fake, responses } = createCommandArgs({ text: 'segment k=3 seed=7' });

    await handleSlashCommand(args, deps);

    expect(calls[0]!.method).toBe('ack');
    expect(responses).toEqual([]);
    // One public message: the progress message, replaced by the summary.
    expect(fake.messages).toHaveLength(1);
    const message = fake.messages[0]!;
    expect(message.channel).toBe('C0TEST');
    expect(message.thread_ts).toBeUndefined();
    expect(message.history[0]).toMatch(
      /^:hourglass_flowing_sand: Segmenting customers.csv \(v1, 200 customers; k=3, seed 7\): starting…$/,
    );
    expect(message.history.some((t) => t.includes(`Step 1 of 6: ${STAGE_TEXT.preprocess}`))).toBe(true);
    // Whichever steps were overtaken, the last one shown says the earlier ones are done.
    expect(
      message.history.some((t) => t.includes(`Step 6 of 6 (steps 1–5 done): ${STAGE_TEXT.profile}`)),
    ).toBe(true);

    const run = (await deps.runs.latestRun('C0TEST'))!;
    expect(run).toMatchObject({
      status: 'done',
      k: 3,
      userId: 'U0ALICE',
      datasetVersion: 1,
      params: { k: 3, seed: 7 },
    });
    expect(run.segments).toHaveLength(3);
    expect(message.text).toBe(
      `Run #${run.id}: 3 segments of 200 customers in customers.csv (v1): ${run.segments.map((s) => s.name).join(', ')}.`,
    );
    const body = JSON.stringify(message.blocks);
    for (const [i, s] of run.segments.entries()) {
      expect(body).toContain(`*${i + 1}. ${s.name}* — ${s.size} customers`);
      expect(body).toContain(s.actions[0]!.title);
    }
    expect(body).toContain('k=3 as requested');

    const [upload] = fake.callsOf('files.uploadV2') as unknown as UploadV2Args[];
    expect(upload!.channel_id).toBe('C0TEST');
    expect(upload!.initial_comment).toBe(`Charts for run #${run.id}`);
    expect(upload!.file_uploads.map((f) => f.filename)).toEqual([
      `segment-sizes-run-${run.id}.png`,
      `pca-scatter-run-${run.id}.png`,
      `profile-heatmap-run-${run.id}.png`,
    ]);
    expect(rendered).toHaveLength(3);
    expect((await deps.jobs!.listJobs('C0TEST'))[0]).toMatchObject({
      kind: 'segment',
      status: 'done',
      progressTs: message.ts,
    });
  });

  it('adds the silhouette/elbow chart when k is automatic', async () => {
    const { deps } = createTestDeps();
    await seedDataset(deps, 'C0TEST', 160);
    const { args, fake } = createCommandArgs({ text: 'segment' });
    await handleSlashCommand(args, deps);
    const run = (await deps.runs.latestRun('C0TEST'))!;
    expect(run.params.k).toBe('auto');
    expect(run.kSelection?.scores.length).toBeGreaterThan(1);
    expect(JSON.stringify(fake.messages[0]!.blocks)).toContain('chosen automatically');
    const [upload] = fake.callsOf('files.uploadV2') as unknown as UploadV2Args[];
    expect(upload!.file_uploads.map((f) => f.filename)).toContain(`k-selection-run-${run.id}.png`);
  });

  it('says how to upload when the channel has no data, privately and without a run', async () => {
    const { deps } = createTestDeps();
    await seedDataset(deps, 'C0OTHER');
    const { args, responses, fake } = createCommandArgs({ text: 'segment k=auto' });
    await handleSlashCommand(args, deps);
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(String(responses[0]!.text)).toMatch(
      /^There is no customer data in this channel yet\.\nTo upload, drag a .csv file into this channel/,
    );
    expect(fake.messages).toEqual([]);
    expect(await deps.runs.listRuns('C0TEST')).toEqual([]);
  });

  it('answers k=banana with the accepted values', async () => {
    const { deps } = createTestDeps();
    await seedDataset(deps);
    const { args, responses, fake } = createCommandArgs({ text: 'segment k=banana' });
    await handleSlashCommand(args, deps);
    expect(responses.map((r) => r.text)).toEqual([
      'k=banana is not valid. It is not a whole number.\nk should be auto or a whole number from 2 to 20, for example k=auto.',
    ]);
    expect(fake.calls.filter((c) => c.method !== 'ack' && c.method !== 'respond')).toEqual([]);
  });

  it('rejects unknown features before starting, suggesting the right column', async () => {
    const { deps } = createTestDeps();
    await seedDataset(deps);
    const { args, responses } = createCommandArgs({ text: 'segment features=BALANSE,CUST_ID' });
    await handleSlashCommand(args, deps);
    const text = String(responses[0]!.text);
    expect(text).toMatch(/BALANSE is not a column of customers.csv \(did you mean BALANCE\?\)/);
    expect(text).toMatch(/CUST_ID is not used for segments \(id: /);
    expect(text).toMatch(/Usable columns: BALANCE, BALANCE_FREQUENCY/);
    expect(await deps.runs.listRuns('C0TEST')).toEqual([]);
  });

  it('records a failed run and says why in the progress message when the engine refuses', async () => {
    const { deps } = createTestDeps({
      segmentCustomers: () => {
        throw new BadInputError('Cannot make 9 segments from 5 customers.', { hint: 'Use a smaller k.' });
      },
    });
    await seedDataset(deps);
    const { args, fake } = createCommandArgs({ text: 'segment k=9' });
    await handleSlashCommand(args, deps);
    const run = (await deps.runs.latestRun('C0TEST'))!;
    expect(run).toMatchObject({
      status: 'failed',
      // What and where only: hints can quote the data, so they are not stored.
      error: 'Cannot make 9 segments from 5 customers.',
    });
    expect(fake.messages[0]!.text).toBe(
      `:x: Segmentation run #${run.id} failed; nothing was changed.\nCannot make 9 segments from 5 customers.\nUse a smaller k.`,
    );
    expect(fake.callsOf('files.uploadV2')).toEqual([]);
  });

  it('shows a generic message for an unexpected failure and logs no customer data', async () => {
    const { deps, logger } = createTestDeps({
      segmentCustomers: () => {
        throw new RangeError('row C10042 broke the matrix');
      },
    });
    await seedDataset(deps);
    const { args, fake } = createCommandArgs({ text: 'segment k=3' });
    await handleSlashCommand(args, deps);
    expect(fake.messages[0]!.text).toMatch(/failed; nothing was changed\.\nSomething went wrong on our side/);
    expect(fake.messages[0]!.text).not.toContain('C10042');
    expect(JSON.stringify(logger.entries)).not.toContain('C10042');
    expect(
      logger.entries.some(
        (e) => e.level === 'error' && (e.obj as { errorName?: string }).errorName === 'RangeError',
      ),
    ).toBe(true);
  });

  it('still posts the text result when a chart fails to render, and names the missing chart', async () => {
    const { deps } = createTestDeps();
    let calls = 0;
    deps.renderChart = async () => {
      calls += 1;
      if (calls === 2) throw new Error('font missing');
      return Buffer.from('png');
    };
    await seedDataset(deps);
    const { args, fake } = createCommandArgs({ text: 'segment k=3' });
    await handleSlashCommand(args, deps);
    expect((await deps.runs.latestRun('C0TEST'))!.status).toBe('done');
    expect(fake.messages[0]!.text).toMatch(/^Run #\d+: 3 segments/);
    const [upload] = fake.callsOf('files.uploadV2') as unknown as UploadV2Args[];
    expect(upload!.file_uploads.map((f) => f.title)).toEqual([
      'Segment sizes',
      'What sets each segment apart',
    ]);
    expect(fake.messages[1]!.text).toMatch(
      /Could not post the chart: Segments on a map of customer behaviour\. The results above are complete/,
    );
  });

  it('keeps the summary when files.uploadV2 fails', async () => {
    const { deps } = createTestDeps();
    await seedDataset(deps);
    const fake = createFakeClient({
      fail: (method) => (method === 'files.uploadV2' ? slackPlatformError('missing_scope') : undefined),
    });
    const { args } = createCommandArgs({ text: 'segment k=3', fake });
    await handleSlashCommand(args, deps);
    expect(fake.messages[0]!.text).toMatch(/^Run #\d+: 3 segments/);
    expect(fake.messages[1]!.text).toMatch(
      /Could not post these charts: Segment sizes, Segments on a map of customer behaviour, What sets each segment apart/,
    );
  });

  it('tells the user how to invite the bot when it is not in the channel', async () => {
    const { deps } = createTestDeps();
    await seedDataset(deps);
    const fake = createFakeClient({
      fail: (method) => (method === 'chat.postMessage' ? slackPlatformError('not_in_channel') : undefined),
    });
    const { args, responses } = createCommandArgs({ text: 'segment k=3', fake });
    await handleSlashCommand(args, deps);
    expect(String(responses[0]!.text)).toMatch(
      /segbot is not a member of this channel.*\nInvite it with `\/invite @segbot`/,
    );
    expect(await deps.runs.listRuns('C0TEST')).toEqual([]);
  });

  it('runs after an upload queued before it in the same channel, on the new version', async () => {
    let releaseDownload!: () => void;
    const downloadGate = new Promise<void>((resolve) => {
      releaseDownload = resolve;
    });
    const server = createFileServer({
      'https://files.slack.test/F2/nov.csv': { body: sampleCustomersCsv(150, 5) },
    });
    const slowFetch = (async (input: string | URL | Request, init?: RequestInit) => {
      await downloadGate;
      return server.fetch(input, init);
    }) as typeof fetch;
    const order: string[] = [];
    const { deps } = createTestDeps({
      guard: allowAll(),
      fetch: slowFetch,
      segmentCustomers: (ingest, options) => {
        order.push(`segment ${ingest.table.rowCount}`);
        return segmentCustomers(ingest, options);
      },
    });
    await seedDataset(deps, 'C0TEST', 100);
    const save = deps.datasets.saveDataset.bind(deps.datasets);
    deps.datasets.saveDataset = async (input) => {
      const record = await save(input);
      order.push(`saved v${record.version}`);
      return record;
    };
    // Uploads save on a worker thread (inline for this in-memory database): record those too.
    deps.datasets.saveDatasetInBackground = async (input) => await deps.datasets.saveDataset(input);
    const fake = createFakeClient();
    const upload = handleMessageEvent(
      createMessageEventArgs(
        { files: [csvFile('F2', 'nov.csv', 'https://files.slack.test/F2/nov.csv')] },
        fake,
      ).args,
      deps,
    );
    // The upload checks first that its file was not imported before; then its job is queued.
    await new Promise((resolve) => setImmediate(resolve));
    const command = createCommandArgs({ text: 'segment k=2', fake });
    const segment = handleSlashCommand(command.args, deps);
    await new Promise((resolve) => setImmediate(resolve));
    expect(String(command.responses[0]?.text)).toMatch(/queued behind 1 earlier job/);
    releaseDownload();
    await Promise.all([upload, segment]);
    expect(order).toEqual(['saved v2', 'segment 150']);
    expect(await deps.runs.latestRun('C0TEST')).toMatchObject({ status: 'done', datasetVersion: 2 });
  });

  it('refuses new work during shutdown with a clear message and leaves no job queued', async () => {
    const { deps } = createTestDeps();
    await seedDataset(deps);
    await deps.queue.close();
    const { args, responses, fake } = createCommandArgs({ text: 'segment k=3' });
    await handleSlashCommand(args, deps);
    expect(String(responses[0]!.text)).toBe(
      'segbot is shutting down and did not start this request.\nTry again in a minute.',
    );
    expect(await deps.jobs!.listJobs('C0TEST')).toEqual([]);
    expect(fake.messages).toEqual([]);
  });

  it('keeps channels apart: a run in one channel is not visible in another', async () => {
    const { deps } = createTestDeps();
    await seedDataset(deps, 'C0TEST', 120, 1);
    await seedDataset(deps, 'C0OTHER', 140, 2);
    await handleSlashCommand(createCommandArgs({ text: 'segment k=2', channelId: 'C0OTHER' }).args, deps);
    expect(await deps.runs.listRuns('C0TEST')).toEqual([]);
    expect(await deps.runs.latestRun('C0OTHER')).toMatchObject({ datasetVersion: 1, status: 'done' });
    expect((await deps.runs.latestRun('C0OTHER'))!.segments.reduce((n, s) => n + s.size, 0)).toBe(140);
  });
});
