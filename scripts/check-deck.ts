/**
 * Renders a full stakeholder deck and turns both files into PNG pages to look at: the PowerPoint
 * file through LibreOffice (as another viewer would lay it out) and the PDF through poppler.
 *
 *   npx tsx scripts/check-deck.ts [--out /tmp/segbot-deck] [--rows 3000]
 *
 * The deck comes from the real stored path: a generated CSV saved in a throwaway database, two
 * runs (so there is a changes slide), a product model (so segments show a likelihood), and sample
 * campaign results (so the campaign section shows). Needs the Debian packages libreoffice-impress
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
import { createDatasetStore } from '../db/repositories/dataset-store.js';
import { createModelStore } from '../db/repositories/model-store.js';
import { createRunStore } from '../db/repositories/run-store.js';
import { generateCustomersCsv } from '../src/analytics/generate-customers.js';
import { ingestCsv } from '../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../src/analytics/segment/segment-customers.js';
import { inThreadPropensity } from '../src/jobs/propensity-in-worker.js';
import { renderReport, reportInputFromRun } from '../src/services/build-report.js';
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
const ingest = await ingestCsv(
  new TextEncoder().encode(generateCustomersCsv({ rows, seed: 5, products: true })),
  {
    fileName: 'customers.csv',
  },
);
const dataset = datasets.saveDataset({ channelId, userId: 'UCHECK', ingest });
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
const input = await reportInputFromRun(
  { datasets, runs, models, propensity: inThreadPropensity },
  { channelId, runId: null, nameOf: async () => 'Dana Whitfield' },
);
const [first, second] = input.segments;
const files = await renderReport(
  { renderChart: (spec) => renderChartPng(spec) },
  {
    ...input,
    campaigns: {
      note: 'Sample campaign results, to preview the campaign section.',
      campaigns: [
        {
          name: 'Loan top-up',
          segment: first!.name,
          contacted: 1200,
          responded: 102,
          rate: 0.085,
          interval: { low: 0.07, high: 0.102, level: 0.95 },
          controlRate: 0.041,
        },
        {
          name: 'Card upgrade',
          segment: second!.name,
          contacted: 800,
          responded: 38,
          rate: 0.0475,
          interval: { low: 0.034, high: 0.064, level: 0.95 },
        },
      ],
    },
  },
);
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
