/**
 * The deck's campaign results slide, fed from a channel's measured campaigns over the real stores:
 * a campaign built from a run, a later upload with planted conversions, the measured lift, and the
 * PowerPoint's slide holding those numbers. Also the size cap that keeps a deck postable.
 */
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderChartPng } from '../../../charts/render-chart.js';
import { openDatabase } from '../../../db/client.js';
import { createCampaignStore } from '../../../db/repositories/campaign-store.js';
import { createDatasetStore } from '../../../db/repositories/dataset-store.js';
import { createModelStore } from '../../../db/repositories/model-store.js';
import { createRunStore } from '../../../db/repositories/run-store.js';
import { wilsonInterval } from '../../../src/analytics/campaign/lift.js';
import { plantConversions } from '../../../src/analytics/campaign/plant-conversions.js';
import { generateCustomersCsv } from '../../../src/analytics/generate-customers.js';
import { ingestCsv } from '../../../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../../../src/analytics/segment/segment-customers.js';
import { TooLargeError } from '../../../src/errors.js';
import { inThreadPropensity } from '../../../src/jobs/propensity-in-worker.js';
import type { ReportInput } from '../../../src/report/deck-model.js';
import {
  MAX_REPORT_BYTES,
  type ReportFiles,
  renderReport,
  reportInputFromRun,
} from '../../../src/services/build-report.js';
import { createCampaign, measureCampaign } from '../../../src/services/campaigns.js';
import { runSegmentation } from '../../../src/services/run-segmentation.js';
import { pdfPageTexts } from '../../helpers/pdf-text.js';
import { readZip, slideTexts } from '../../helpers/read-zip.js';

const CHANNEL = 'CDECK';
const PLANS = [
  { name: 'Loan top-up', rates: { treatment: 0.3, control: 0.04 } },
  { name: 'Loan reminder', rates: { treatment: 0.05, control: 0.05 } },
];

let input: ReportInput;
let files: ReportFiles;
let measured: Awaited<ReturnType<typeof measureCampaign>>[];

beforeAll(async () => {
  const database = openDatabase(':memory:');
  const datasets = createDatasetStore(database);
  const runs = createRunStore(database);
  const models = createModelStore(database);
  const campaigns = createCampaignStore(database);
  const csv = generateCustomersCsv({ rows: 600, seed: 5, products: true });
  const ingest = (text: string) => ingestCsv(new TextEncoder().encode(text), { fileName: 'customers.csv' });
  const dataset = await datasets.saveDataset({ channelId: CHANNEL, userId: 'U1', ingest: await ingest(csv) });
  const outcome = await runSegmentation(
    { datasets, runs, segmentCustomers },
    { channelId: CHANNEL, userId: 'U1', dataset, params: { k: 3, seed: 7 }, failureText: String },
  );
  if (outcome.status === 'failed') throw outcome.error;
  const deps = {
    datasets,
    runs,
    models,
    propensity: inThreadPropensity,
    campaigns,
    now: () => new Date('2026-11-30T09:00:00Z'),
  };
  let later = csv;
  for (const [i, plan] of PLANS.entries()) {
    const { campaign } = await createCampaign(deps, {
      channelId: CHANNEL,
      userId: 'U1',
      name: plan.name,
      segments: [String(i + 1)],
      rfm: [],
      product: 'has_personal_loan',
      cut: null,
      holdout: 0.2,
      exclude: [],
      seed: 3,
    });
    later = plantConversions({
      csv: later,
      idColumn: 'CUST_ID',
      product: 'has_personal_loan',
      members: await campaigns.members(campaign.id),
      rates: plan.rates,
      seed: 20 + i,
    });
  }
  await datasets.saveDataset({ channelId: CHANNEL, userId: 'U1', ingest: await ingest(later) });
  measured = await Promise.all(
    PLANS.map((plan) => measureCampaign(deps, { channelId: CHANNEL, name: plan.name })),
  );
  input = await reportInputFromRun(
    { datasets, runs, models, propensity: inThreadPropensity, campaigns },
    { channelId: CHANNEL, runId: null, nameOf: async () => 'Dana' },
  );
  files = await renderReport({ renderChart: (spec) => renderChartPng(spec) }, input);
  database.close();
}, 120_000);

const pct = (conversions: number, customers: number) => `${((conversions / customers) * 100).toFixed(1)}%`;
const pts = (p: number) => {
  const v = Math.round(p * 1000) / 10;
  return v === 0 ? '0.0' : `${v > 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}`;
};

describe('the campaign results slide', () => {
  it('planted one campaign that worked and one that did not', () => {
    expect(measured.map((m) => m.lift.verdict)).toEqual(['worked', 'inconclusive']);
  });

  it('holds each measured campaign’s rates, group sizes, lift interval and verdict in the PowerPoint', () => {
    const zip = readZip(files.pptx);
    const index = files.deck.slides.findIndex((s) => s.kind === 'campaigns');
    expect(index).toBeGreaterThan(0);
    const xml = zip.get(`ppt/slides/slide${index + 1}.xml`)!.toString('utf8');
    expect(xml).toContain('<a:tbl>');
    const texts = slideTexts(xml).join('\n');
    expect(texts).toContain('Campaign results');
    for (const { campaign, record } of measured) {
      expect(texts).toContain(campaign.name);
      const { treatment, control } = record;
      expect(texts).toContain(`${pct(treatment.conversions, treatment.customers)} (${treatment.customers})`);
      expect(texts).toContain(`${pct(control.conversions, control.customers)} (${control.customers})`);
      expect(texts).toContain(`${pts(record.absoluteLift)} (${pts(record.lower)} to ${pts(record.upper)})`);
    }
    expect(texts).toContain('Worked');
    expect(texts).toContain('Inconclusive');
    expect(texts).toMatch(/Loan top-up lifted conversion by \+\d+\.\d points/);
    // The chart is a picture in the slide, with its alt text.
    expect(xml).toContain('descr="Conversion of contacted and held-back customers with 95% intervals');
    const pdf = pdfPageTexts(files.pdf)[index]!;
    expect(pdf).toContain('Inconclusive');
  });

  it('draws each group’s rate with its Wilson interval', () => {
    const slide = files.deck.slides.find((s) => s.kind === 'campaigns')!;
    const chart = slide.left.find((b) => b.type === 'chart');
    if (chart?.type !== 'chart') throw new Error('no chart');
    const values = (chart.chart.spec as { data: { values: { lower: number; upper: number }[] } }).data.values;
    const expected = measured.flatMap(({ record }) =>
      [record.treatment, record.control].map((g) => wilsonInterval(g.conversions, g.customers)),
    );
    expect(values.map((v) => [v.lower, v.upper])).toEqual(expected.map((i) => [i.lower, i.upper]));
  });
});

/** A PNG of random pixels: it does not compress, so a deck of them is as large as it looks. */
function noisePng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let state = 12345;
  for (let i = 0; i < raw.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    raw[i] = i % (width * 3 + 1) === 0 ? 0 : state >>> 24;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('the deck size cap', () => {
  it('keeps a real deck with campaigns far below the cap', () => {
    expect(files.pptx.byteLength).toBeLessThan(MAX_REPORT_BYTES / 10);
    expect(files.pdf.byteLength).toBeLessThan(MAX_REPORT_BYTES / 10);
  });

  it('refuses a deck above the cap with what to do, instead of posting it', async () => {
    // Each chart an 8.7 MB picture: the deck's six charts pass the 40 MB cap.
    const png = noisePng(1700, 1700);
    expect(png.byteLength).toBeGreaterThan(8_500_000);
    const error = await renderReport({ renderChart: async () => png }, input).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TooLargeError);
    expect((error as TooLargeError).message).toMatch(
      /^The deck came out at \d+ MB, above the 40 MB that segbot posts\.$/,
    );
    expect((error as TooLargeError).hint).toMatch(/fewer segments/);
  }, 120_000);
});
