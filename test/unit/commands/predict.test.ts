import { describe, expect, it } from 'vitest';
import type { CommandDeps } from '../../../commands/deps.js';
import { handleSlashCommand } from '../../../commands/index.js';
import { looksLikeCustomerList, parsePredictArgs } from '../../../commands/predict.js';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { generateUptake, uptakeCsv } from '../../../src/analytics/predict/generate-uptake.js';
import {
  createCommandArgs,
  createFakeClient,
  createFileServer,
  csvFile,
} from '../../helpers/command-args.js';
import { createTestDeps } from '../../helpers/test-deps.js';

const CSV = uptakeCsv(generateUptake({ rows: 800, numeric: 6, categorical: 1, seed: 4, baseRate: 0.2 }), {
  productColumn: 'has_personal_loan',
});

type UploadArgs = { filename?: string; file?: Buffer; file_uploads?: { filename: string }[] };

async function setup(options: { allowed?: boolean; csv?: string } = {}) {
  const test = createTestDeps();
  const { deps } = test;
  await deps.access.seedAdmins(['U0ADMIN']);
  if (options.allowed ?? true) await deps.access.allowChannel('C0TEST', 'U0ADMIN');
  const { models } = deps;
  const ingest = await ingestCsv(new TextEncoder().encode(options.csv ?? CSV), { fileName: 'customers.csv' });
  await deps.datasets.saveDataset({ channelId: 'C0TEST', userId: 'U0ADMIN', ingest });
  return { deps, models, test };
}

async function run(deps: CommandDeps, text: string, fake = createFakeClient()) {
  const command = createCommandArgs({ text, fake });
  await handleSlashCommand(command.args, deps);
  return command;
}

describe('/segbot predict', () => {
  it('posts the held-out quality, the top customers, two charts and the scored CSV', async () => {
    const { deps, test } = await setup();
    const { fake, responses } = await run(deps, 'predict personal loan top=3');
    expect(responses).toEqual([]);
    const message = fake.messages[0]!;
    expect(message.text).toMatch(
      /^personal loan: On customers it never saw, the top 10% it picks hold personal loan/,
    );
    const body = JSON.stringify(message.blocks);
    expect(body).toContain('Who is likely to take up personal loan');
    expect(body).toMatch(/Held-out check:\*? 200 customers the model never saw/);
    expect(body).toMatch(
      /Chosen by validation: (boosting|forest|logistic)\. On held-out customers: boosting 0\.\d{3} · forest 0\.\d{3} · logistic 0\.\d{3}\./,
    );
    expect(body).toMatch(/Top 3 of [\d,]+ customers without personal loan/);
    const uploads = fake.callsOf('files.uploadV2') as unknown as UploadArgs[];
    expect(uploads[0]!.file_uploads!.map((f) => f.filename)).toEqual([
      'gains-has_personal_loan.png',
      'drivers-has_personal_loan.png',
    ]);
    expect(test.rendered).toHaveLength(2);
    const csv = uploads[1]!;
    expect(csv.filename).toBe('has_personal_loan-scores.csv');
    const lines = csv.file!.toString('utf8').trim().split('\n');
    expect(lines[0]).toBe('customer_id,probability,decile,reason_1,reason_2,reason_3');
    expect(lines[1]).toMatch(/^U1\d{5},0\.\d+,1,[^,]+ \(\+[\d.]+ pts\),/);
  });

  it('keeps customer ids out of a channel that may not receive them', async () => {
    const { deps } = await setup({ allowed: false });
    const { fake } = await run(deps, 'predict has_personal_loan');
    const body = JSON.stringify(fake.messages[0]!.blocks);
    expect(body).toContain('the scored CSV were withheld');
    expect(body).not.toMatch(/U1\d{5}/);
    const uploads = fake.callsOf('files.uploadV2') as unknown as UploadArgs[];
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.file_uploads).toBeDefined();
    const refused = await run(deps, 'predict has_personal_loan list');
    expect(String(refused.responses[0]!.text)).toMatch(/not allowed to receive scores for a customer list/);
  });

  it('scores the ids of the newest shared CSV and reports unknown and duplicate ids', async () => {
    const { deps } = await setup();
    const url = 'https://files.slack.test/ids.csv';
    const withFiles = {
      ...deps,
      fetch: createFileServer({ [url]: { body: 'CUST_ID\nU100001\nU100002\nU100002\nNOBODY\n' } }).fetch,
    };
    const fake = createFakeClient({
      history: [{ ts: '1700000000.000001', user: 'U0ADMIN', files: [csvFile('F1', 'ids.csv', url)] }],
    });
    const { responses } = await run(withFiles, 'predict personal loan list', fake);
    expect(responses).toEqual([]);
    const body = JSON.stringify(fake.messages[0]!.blocks);
    expect(body).toContain('2 of 3 ids found');
    expect(body).toContain('NOBODY');
    expect(body).toContain('listed more than once (scored once): U100002');
    const csv = (fake.callsOf('files.uploadV2') as unknown as UploadArgs[])[1]!.file!.toString('utf8');
    expect(csv.trim().split('\n')).toHaveLength(3);
  });

  it('stores the model and reuses it while the dataset is unchanged', async () => {
    const { deps, models } = await setup();
    const first = await run(deps, 'predict has_personal_loan top=2');
    expect(await models.listModels('C0TEST')).toHaveLength(1);
    const second = await run(deps, 'predict has_personal_loan top=2');
    expect(await models.listModels('C0TEST')).toHaveLength(1);
    expect(JSON.stringify(second.fake.messages[0]!.blocks)).toContain('model reused');
    const auc = (text: string) => /AUC (0\.\d\d)/.exec(text)?.[1];
    expect(auc(JSON.stringify(second.fake.messages[0]!.blocks))).toBe(
      auc(JSON.stringify(first.fake.messages[0]!.blocks)),
    );
  });

  it('answers bad input privately with a way forward', async () => {
    const { deps } = await setup();
    const cases: [string, RegExp][] = [
      ['predict', /Say which product to predict/],
      ['predict persnal loan', /no product called "persnal loan"[\s\S]*Did you mean personal loan/],
      ['predict X01', /X01 is not a product-holding flag/],
      ['predict personal loan top=500', /top[\s\S]*a whole number from 0 to 50/],
      ['predict personal loan segment=revolvers', /no segmentation of the latest data/i],
    ];
    for (const [text, message] of cases) {
      const { responses, fake } = await run(deps, text);
      const all = [
        ...responses.map((r) => String(r.text)),
        ...fake.messages.map((m) => m.history.join('\n')),
      ].join('\n');
      expect(all).toMatch(message);
    }
    const empty = createTestDeps();
    const none = await run(empty.deps, 'predict loan');
    expect(String(none.responses[0]!.text)).toMatch(/^There is no customer data in this channel yet\./);
  });

  it('reads the product, list and options from the words', () => {
    expect(parsePredictArgs(['credit', 'card', 'top=5', 'list'])).toEqual({
      product: 'credit card',
      selection: { features: null, exclude: [] },
      segment: undefined,
      top: 5,
      seed: 42,
      list: true,
    });
    expect(
      parsePredictArgs(['y', 'exclude=duration,pdays', 'features=age, balance,duration']).selection,
    ).toEqual({
      features: ['age', 'balance', 'duration'],
      exclude: ['duration', 'pdays'],
    });
    expect(() => parsePredictArgs(['y', 'exclude=,'])).toThrow(/exclude/);
    const attrition = parsePredictArgs(['Attrition_Flag=Attrited', 'Customer', 'top=3', 'exclude=score']);
    expect(attrition.product).toBe('Attrition_Flag=Attrited Customer');
    expect(attrition.top).toBe(3);
    expect(attrition.selection.exclude).toEqual(['score']);
    // A misspelt option is still an option, with its suggestion.
    expect(() => parsePredictArgs(['loan', 'tpo=3'])).toThrow(/Unknown option "tpo"/);
  });
});

describe('/segbot products', () => {
  it('lists the product columns with holding rates and trained models', async () => {
    const { deps } = await setup();
    await run(deps, 'predict has_personal_loan top=0');
    const { responses } = await run(deps, 'products');
    const text = JSON.stringify(responses[0]);
    expect(text).toContain('1 product in customers.csv v1.');
    expect(text).toMatch(
      /personal loan\*? \(`has_personal_loan`\): \d+ of 800 hold it \(\d+%\) · model trained \(AUC 0\.\d\d\)/,
    );
  });

  it('says when the data has no products', async () => {
    const csv = uptakeCsv(generateUptake({ rows: 50, numeric: 5, categorical: 0, seed: 1 }));
    const { deps } = await setup({ csv });
    const { responses } = await run(deps, 'products');
    expect(String(responses[0]!.text)).toMatch(/has no product columns/);
  });
});

describe('looksLikeCustomerList', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('takes a one-column CSV (with or without a header, BOM or blank lines) for a list of ids', () => {
    expect(looksLikeCustomerList(bytes('CUST_ID\nC1\nC2\n'))).toBe(true);
    expect(looksLikeCustomerList(bytes('\uFEFF\n\ncustomer_id\r\n1\r\n'))).toBe(true);
    expect(looksLikeCustomerList(bytes('C10001\nC10002'))).toBe(true);
    expect(looksLikeCustomerList(bytes('CUST_ID,\nC1,\n'))).toBe(true);
  });

  it('leaves tables with behaviour columns, and empty files, to the importer', () => {
    expect(looksLikeCustomerList(bytes('CUST_ID,BALANCE\nC1,10\n'))).toBe(false);
    expect(looksLikeCustomerList(bytes('CUST_ID;BALANCE\nC1;10\n'))).toBe(false);
    expect(looksLikeCustomerList(bytes('CUST_ID\tBALANCE\nC1\t10\n'))).toBe(false);
    expect(looksLikeCustomerList(bytes(''))).toBe(false);
  });
});
