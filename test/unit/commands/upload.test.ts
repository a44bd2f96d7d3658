import { describe, expect, it } from 'vitest';
import { handleMessageEvent, handleSlashCommand } from '../../../commands/index.js';
import {
  createCommandArgs,
  createFakeClient,
  createFileServer,
  createMessageEventArgs,
  csvFile,
  sampleCustomersCsv,
} from '../../helpers/command-args.js';
import { allowAll, createTestDeps } from '../../helpers/test-deps.js';

const URL_A = 'https://files.slack.test/F1/customers.csv';
const URL_B = 'https://files.slack.test/F2/customers-nov.csv';

function setup(files: Parameters<typeof createFileServer>[0]) {
  const server = createFileServer(files);
  const test = createTestDeps({ fetch: server.fetch, guard: allowAll() });
  return { ...test, server };
}

describe('upload through a file_share event', () => {
  it('downloads with the bot token, stores a dataset version and replies in the file’s thread', async () => {
    const csv = sampleCustomersCsv(120);
    const { deps, server } = setup({ [URL_A]: { body: csv } });
    const { args, fake } = createMessageEventArgs({
      ts: '1700.0001',
      files: [csvFile('F1', 'customers.csv', URL_A, csv.length)],
    });

    await handleMessageEvent(args, deps);

    expect(server.requests).toEqual([{ url: URL_A, authorization: 'Bearer xoxb-test-token' }]);
    const stored = await deps.datasets.latestDataset('C0TEST');
    expect(stored).toMatchObject({
      version: 1,
      fileName: 'customers.csv',
      rowCount: 120,
      uploadedBy: 'U0ALICE',
    });
    expect(fake.messages).toHaveLength(1);
    const reply = fake.messages[0]!;
    expect(reply.thread_ts).toBe('1700.0001');
    expect(reply.history[0]).toMatch(/^:hourglass_flowing_sand: Importing customers.csv/);
    expect(reply.text).toBe('Imported customers.csv as dataset v1: 120 rows, 18 columns.');
    const body = JSON.stringify(reply.blocks);
    expect(body).toContain('• Customer id (1): CUST_ID');
    expect(body).toContain('Numeric (used for segments) (17)');
    expect(body).toContain('/segbot segment k=auto');
  });

  it('stores each upload as the next version of that channel only', async () => {
    const { deps } = setup({
      [URL_A]: { body: sampleCustomersCsv(60, 1) },
      [URL_B]: { body: sampleCustomersCsv(80, 2) },
    });
    await handleMessageEvent(
      createMessageEventArgs({ files: [csvFile('F1', 'customers.csv', URL_A)] }).args,
      deps,
    );
    await handleMessageEvent(
      createMessageEventArgs({ files: [csvFile('F2', 'customers-nov.csv', URL_B)] }).args,
      deps,
    );
    await handleMessageEvent(
      createMessageEventArgs({ channel: 'C0OTHER', files: [csvFile('F1', 'customers.csv', URL_A)] }).args,
      deps,
    );
    expect(
      (await deps.datasets.listDatasets('C0TEST')).map((d) => [d.version, d.fileName, d.rowCount]),
    ).toEqual([
      [2, 'customers-nov.csv', 80],
      [1, 'customers.csv', 60],
    ]);
    expect((await deps.datasets.listDatasets('C0OTHER')).map((d) => d.version)).toEqual([1]);
  });

  it('says an identical file is unchanged and makes no new version', async () => {
    const same = sampleCustomersCsv(60, 1);
    const { deps } = setup({
      [URL_A]: { body: same },
      [URL_B]: { body: same },
      'https://files.slack.test/F3/customers-dec.csv': { body: sampleCustomersCsv(60, 2) },
    });
    await handleMessageEvent(
      createMessageEventArgs({ files: [csvFile('F1', 'customers.csv', URL_A)] }).args,
      deps,
    );
    const again = createMessageEventArgs({
      ts: '1700.0002',
      files: [csvFile('F2', 'customers-nov.csv', URL_B)],
    });
    await handleMessageEvent(again.args, deps);
    expect((await deps.datasets.listDatasets('C0TEST')).map((d) => d.version)).toEqual([1]);
    const reply = again.fake.messages[0]!;
    expect(reply.thread_ts).toBe('1700.0002');
    expect(reply.text).toBe(
      ':information_source: customers-nov.csv is unchanged: it holds the same data as dataset v1 (customers.csv), so no new version was made. Share the updated file to import new data.',
    );
    // A file with other contents is the next version, as always.
    await handleMessageEvent(
      createMessageEventArgs({
        files: [csvFile('F3', 'customers-dec.csv', 'https://files.slack.test/F3/customers-dec.csv')],
      }).args,
      deps,
    );
    expect((await deps.datasets.listDatasets('C0TEST')).map((d) => d.version)).toEqual([2, 1]);
  });

  it('imports a Slack file shared again only once, but again after a failed attempt', async () => {
    let body = '<!DOCTYPE html><html>Sign in</html>';
    const served = (async () =>
      new Response(body, { headers: { 'content-type': 'text/csv' } })) as typeof fetch;
    const { deps } = createTestDeps({ fetch: served, guard: allowAll() });
    const share = () =>
      handleMessageEvent(
        createMessageEventArgs({ files: [csvFile('F1', 'customers.csv', URL_A)] }).args,
        deps,
      );
    await share();
    expect(await deps.datasets.latestDataset('C0TEST')).toBeNull();
    body = sampleCustomersCsv(60, 1);
    await share();
    expect((await deps.datasets.latestDataset('C0TEST'))?.version).toBe(1);
    const again = createMessageEventArgs({ files: [csvFile('F1', 'customers.csv', URL_A)] });
    await handleMessageEvent(again.args, deps);
    expect((await deps.datasets.listDatasets('C0TEST')).map((d) => d.version)).toEqual([1]);
    const [notice] = again.fake.callsOf('chat.postEphemeral');
    expect(String(notice?.text)).toMatch(/customers.csv was already imported in this channel/);
    expect(String(notice?.text)).toMatch(/\/segbot upload/);
  });

  it('replaces the progress message with the reason when Slack sends a sign-in page', async () => {
    const { deps } = setup({
      [URL_A]: { body: '<!DOCTYPE html><html>Sign in</html>', contentType: 'text/html' },
    });
    const { args, fake } = createMessageEventArgs({ files: [csvFile('F1', 'customers.csv', URL_A)] });
    await handleMessageEvent(args, deps);
    expect(await deps.datasets.latestDataset('C0TEST')).toBeNull();
    expect(fake.messages[0]!.text).toMatch(
      /^:x: Could not import customers.csv; the channel’s data is unchanged\./,
    );
    expect(fake.messages[0]!.text).toMatch(/files:read/);
    expect((await deps.jobs!.listJobs('C0TEST'))[0]).toMatchObject({ kind: 'upload', status: 'failed' });
  });

  it('reports a broken row with its line, and stores nothing', async () => {
    const { deps } = setup({ [URL_A]: { body: 'CUST_ID,BALANCE,PURCHASES\nC1,1,2\nC2,3\nC3,4,5\n' } });
    const { args, fake } = createMessageEventArgs({ files: [csvFile('F1', 'broken.csv', URL_A)] });
    await handleMessageEvent(args, deps);
    expect(fake.messages[0]!.text).toMatch(
      /broken.csv, line 3: Line 3 has 2 values but the header has 3 columns/,
    );
    expect(await deps.datasets.latestDataset('C0TEST')).toBeNull();
  });

  it('reports an empty file', async () => {
    const { deps } = setup({ [URL_A]: { body: '' } });
    const { args, fake } = createMessageEventArgs({ files: [csvFile('F1', 'empty.csv', URL_A)] });
    await handleMessageEvent(args, deps);
    expect(fake.messages[0]!.text).toMatch(/empty.csv: The file is empty\./);
  });

  it('refuses a file above the size cap before downloading it, privately', async () => {
    const { deps, server } = setup({ [URL_A]: { body: 'a,b\n1,2\n' } });
    const { args, fake } = createMessageEventArgs({
      ts: '1700.0002',
      files: [csvFile('F1', 'huge.csv', URL_A, 300 * 1024 * 1024)],
    });
    await handleMessageEvent(args, deps);
    expect(server.requests).toEqual([]);
    expect(fake.messages).toEqual([]);
    const [ephemeral] = fake.callsOf('chat.postEphemeral');
    expect(ephemeral).toMatchObject({ channel: 'C0TEST', user: 'U0ALICE', thread_ts: '1700.0002' });
    expect(String(ephemeral!.text)).toMatch(/huge.csv is 300.0 MB, more than the 5.0 MB segbot accepts/);
  });

  it('explains the CSV requirement for a spreadsheet and ignores pictures', async () => {
    const { deps } = setup({});
    const xlsx = createMessageEventArgs({
      files: [{ id: 'F9', name: 'customers.xlsx', filetype: 'xlsx', mimetype: 'application/vnd.ms-excel' }],
    });
    await handleMessageEvent(xlsx.args, deps);
    const [note] = xlsx.fake.callsOf('chat.postEphemeral');
    expect(String(note!.text)).toMatch(/customers.xlsx is not a CSV file, so segbot did not import it\./);
    expect(String(note!.text)).toMatch(/export the sheet as CSV/i);

    const png = createMessageEventArgs({
      files: [{ id: 'F8', name: 'team.png', filetype: 'png', mimetype: 'image/png' }],
    });
    await handleMessageEvent(png.args, deps);
    expect(png.fake.calls).toEqual([]);
  });

  it('ignores files the bot posted itself and plain messages', async () => {
    const { deps, server } = setup({ [URL_A]: { body: sampleCustomersCsv(20) } });
    const own = createMessageEventArgs({
      bot_id: 'B1',
      user: 'U0SEGBOT',
      files: [csvFile('F1', 'scores.csv', URL_A)],
    });
    await handleMessageEvent(own.args, deps);
    const plain = createMessageEventArgs({ subtype: undefined, text: 'hello' });
    await handleMessageEvent(plain.args, deps);
    expect(server.requests).toEqual([]);
    expect(own.fake.calls).toEqual([]);
    expect(plain.fake.calls).toEqual([]);
  });

  it('looks up the download link with files.info when the event has none', async () => {
    const { deps } = setup({ [URL_A]: { body: sampleCustomersCsv(30) } });
    const fake = createFakeClient({ fileInfo: { F1: csvFile('F1', 'customers.csv', URL_A) } });
    const { args } = createMessageEventArgs(
      { files: [{ id: 'F1', name: 'customers.csv', filetype: 'csv', file_access: 'check_file_info' }] },
      fake,
    );
    await handleMessageEvent(args, deps);
    expect(fake.callsOf('files.info')).toEqual([{ file: 'F1' }]);
    expect((await deps.datasets.latestDataset('C0TEST'))?.rowCount).toBe(30);
  });
});

describe('/segbot upload', () => {
  it('imports the newest CSV a person shared, replying in its thread', async () => {
    const { deps } = setup({ [URL_B]: { body: sampleCustomersCsv(40) } });
    const fake = createFakeClient({
      history: [
        {
          ts: '1700.0009',
          bot_id: 'B1',
          files: [csvFile('F7', 'scores.csv', 'https://files.slack.test/F7')],
        },
        { ts: '1700.0008', user: 'U0BOB', files: [{ id: 'F3', name: 'chart.png', filetype: 'png' }] },
        { ts: '1700.0007', user: 'U0BOB', files: [csvFile('F2', 'customers-nov.csv', URL_B)] },
        { ts: '1700.0006', user: 'U0BOB', files: [csvFile('F1', 'customers.csv', URL_A)] },
      ],
    });
    const { args, acks } = createCommandArgs({ text: 'upload', fake });
    await handleSlashCommand(args, deps);
    expect(acks).toHaveLength(1);
    expect(fake.callsOf('conversations.history')[0]).toMatchObject({ channel: 'C0TEST' });
    expect(await deps.datasets.latestDataset('C0TEST')).toMatchObject({
      fileName: 'customers-nov.csv',
      uploadedBy: 'U0ALICE',
    });
    expect(fake.messages[0]).toMatchObject({
      thread_ts: '1700.0007',
      text: 'Imported customers-nov.csv as dataset v1: 40 rows, 18 columns.',
    });
  });

  it('says how to upload when no CSV was shared', async () => {
    const { deps } = setup({});
    const { args, responses, fake } = createCommandArgs({
      text: 'upload',
      fake: createFakeClient({ history: [] }),
    });
    await handleSlashCommand(args, deps);
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ response_type: 'ephemeral' });
    expect(String(responses[0]!.text)).toMatch(
      /^No CSV file was shared in the last 200 messages of this channel\./,
    );
    expect(String(responses[0]!.text)).toMatch(/Drag the .csv file into this channel/);
    expect(fake.messages).toEqual([]);
  });
});
