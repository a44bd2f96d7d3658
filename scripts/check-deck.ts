/**
 * Renders a full stakeholder deck and turns both files into PNG pages to look at: the PowerPoint
 * file through LibreOffice (as another viewer would lay it out) and the PDF through poppler.
 *
 *   npx tsx scripts/check-deck.ts [--out /tmp/segbot-deck] [--rows 3000]
 *
 * The deck comes from the real stored path: a generated CSV saved in a throwaway database, two
 * runs (so there is a changes slide), a product model (so segments show a likelihood), and two
 * campaigns measured against a later upload with planted conversions, one that worked and one
 * inconclusive (so the campaign results slide shows). Needs the Debian packages libreoffice-impress
 * and poppler-utils; they are used here only, never by segbot itself. Inter is copied into the
 * user's font folder so LibreOffice lays the slides out in the deck's own font.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { interFontFiles, renderChartPng } from '../charts/render-chart.js';
import { openDatabase } from '../db/client.js';
import { createCampaignStore } from '../db/repositories/campaign-store.js';
import { createDatasetStore } from '../db/repositories/dataset-store.js';
import { createModelStore } from '../db/repositories/model-store.js';
import { createRunStore } from '../db/repositories/run-store.js';
import { plantConversions } from '../src/analytics/campaign/plant-conversions.js';
import { generateCustomersCsv } from '../src/analytics/generate-customers.js';
import { ingestCsv } from '../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../src/analytics/segment/segment-customers.js';
import { inThreadPropensity } from '../src/jobs/propensity-in-worker.js';
import { renderReport, reportInputFromRun } from '../src/services/build-report.js';
import { createCampaign, measureCampaign } from '../src/services/campaigns.js';
import { predictProduct } from '../src/services/predict-product.js';
import { runSegmentation } from '../src/services/run-segmentation.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, rows: { type: 'string' } } });
const out = values.out ?? '/tmp/segbot-deck';
const rows = Number(values.rows ?? 3000);
mkdirSync(out, { recursive: true });

const channelId = 'CCHECK';
const database = openDatabase(':memory:');
const datasets = createDatasetStore(database);
const runs = createRunStore(database);
const models = createModelStore(database);
const campaigns = createCampaignStore(database);
const csv = generateCustomersCsv({ rows, seed: 5, products: true });
const ingest = await ingestCsv(new TextEncoder().encode(csv), { fileName: 'customers.csv' });
const dataset = await datasets.saveDataset({ channelId, userId: 'UCHECK', ingest });
for (const params of [
  { k: 4, seed: 7 },
  { k: 'auto' as const, seed: 42 },
]) {
  const outcome = await runSegmentation(
    { datasets, runs, segmentCustomers },
    { channelId, userId: 'UCHECK', dataset, params, failureText: String },
  );
  if (outcome.status === 'failed') throw outcome.error;
}
await predictProduct(
  { datasets, runs, models, propensity: inThreadPropensity },
  { channelId, dataset, product: 'has_personal_loan', seed: 1 },
);
const campaignDeps = {
  datasets,
  runs,
  models,
  propensity: inThreadPropensity,
  campaigns,
  now: () => new Date('2026-11-30T09:00:00Z'),
};
const [first, second] = (await runs.latestRun(channelId, { status: 'done' }))!.segments;
const planted = [
  { name: 'Loan top-up', segment: first!.name, rates: { treatment: 0.2, control: 0.05 } },
  { name: 'Loan reminder', segment: second!.name, rates: { treatment: 0.06, control: 0.05 } },
];
for (const plan of planted) {
  await createCampaign(campaignDeps, {
    channelId,
    userId: 'UCHECK',
    name: plan.name,
    segments: [plan.segment],
    rfm: [],
    product: 'has_personal_loan',
    cut: null,
    holdout: 0.2,
    exclude: [],
    seed: 3,
  });
}
// The same customers exported again after both campaigns ran.
let later = csv;
for (const [i, plan] of planted.entries()) {
  const campaign = (await campaigns.findCampaign(channelId, plan.name))!;
  later = plantConversions({
    csv: later,
    idColumn: 'CUST_ID',
    product: 'has_personal_loan',
    members: await campaigns.members(campaign.id),
    rates: plan.rates,
    seed: 10 + i,
  });
}
await datasets.saveDataset({
  channelId,
  userId: 'UCHECK',
  ingest: await ingestCsv(new TextEncoder().encode(later), { fileName: 'customers.csv' }),
});
for (const plan of planted) {
  const { lift } = await measureCampaign(campaignDeps, { channelId, name: plan.name });
  console.log(`${plan.name}: ${lift.verdictText}`);
}
const input = await reportInputFromRun(
  { datasets, runs, models, propensity: inThreadPropensity, campaigns },
  { channelId, runId: null, nameOf: async () => 'Dana Whitfield' },
);
const files = await renderReport({ renderChart: (spec) => renderChartPng(spec) }, input);
database.close();
const pptx = join(out, 'deck.pptx');
writeFileSync(pptx, files.pptx);
writeFileSync(join(out, 'deck.pdf'), files.pdf);
console.log(
  `deck: ${files.deck.slides.length} slides; pptx ${files.pptx.byteLength} bytes, pdf ${files.pdf.byteLength} bytes`,
);

const fonts = join(homedir(), '.local', 'share', 'fonts');
mkdirSync(fonts, { recursive: true });
for (const face of interFontFiles()) copyFileSync(face.path, join(fonts, basename(face.path)));
execFileSync('fc-cache', ['-f', fonts]);
const office = join(out, 'libreoffice');
mkdirSync(office, { recursive: true });
execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', office, pptx], {
  stdio: 'ignore',
  timeout: 300_000,
});
execFileSync('pdftoppm', ['-png', '-r', '72', join(office, 'deck.pdf'), join(office, 'slide')]);
execFileSync('pdftoppm', ['-png', '-r', '72', join(out, 'deck.pdf'), join(out, 'slide')]);
const pngs = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.png')).length;
console.log(`PDF pages as PNG: ${out}/slide-*.png (${pngs(out)})`);
console.log(`PowerPoint through LibreOffice as PNG: ${office}/slide-*.png (${pngs(office)})`);
