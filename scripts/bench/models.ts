/**
 * Model benchmark: `segbot predict`'s own pipeline (boosting, forest and logistic regression, the
 * choice by validation) beside scikit-learn's HistGradientBoostingClassifier and
 * RandomForestClassifier, on exactly the same features and the same train/test split, for planted
 * uptake and for the churn-modelling table when it is present (../shared/data or
 * SEGBOT_CHURN_CSV). Then the speed check: boosting and the forest trained on 150,000 of 200,000
 * × 40 customers, and 1,000,000 customers scored. Run directly: `tsx scripts/bench/models.ts`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ingestCsv } from '../../src/analytics/ingest/ingest-csv.js';
import { binFeatures, fitBinner, selectRows } from '../../src/analytics/predict/bin-features.js';
import { rocAuc, stratifiedSplit } from '../../src/analytics/predict/evaluate.js';
import { generateUptake, uptakeCsv } from '../../src/analytics/predict/generate-uptake.js';
import {
  chooseFeatures,
  extractFeatures,
  type FeatureSelection,
  normalizeSelection,
  outcomeLabels,
  PROPENSITY_FOREST,
  trainPropensity,
} from '../../src/analytics/predict/train-propensity.js';
import {
  predictBoostingWith,
  predictForestWith,
  trainForestWith,
} from '../../src/analytics/predict/tree-runner.js';
import type { IngestResult } from '../../src/analytics/types.js';
import { createForestPool } from '../../src/jobs/forest-pool.js';
import { timed } from './forest.js';

const SEED = 42;
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * The data set as scikit-learn reads it: the features segbot trained on (categories as integer
 * codes), the label, and whether the row is one of segbot's held-out test customers.
 */
function sklearnCsv(
  ingest: IngestResult,
  product: string,
  selection: FeatureSelection,
): {
  csv: string;
  categorical: number[];
  testCount: number;
} {
  const refs = chooseFeatures(ingest, product, normalizeSelection(ingest, product, selection));
  const columns = extractFeatures(ingest.table, refs);
  const { labels: all } = outcomeLabels(ingest.table, product, null);
  const labelled: number[] = [];
  for (let i = 0; i < all.length; i++) if (all[i] !== 255) labelled.push(i);
  const labels = Uint8Array.from(labelled, (i) => all[i]!);
  // trainPropensity's split: the same function, labels and seed.
  const split = stratifiedSplit(labels, { testFraction: 0.25, seed: SEED });
  const isTest = new Uint8Array(labelled.length);
  for (const k of split.test) isTest[k] = 1;
  const codes = columns.map(() => new Map<string, number>());
  const lines = [[...columns.map((c) => c.name.replace(/,/g, ' ')), 'label', 'is_test'].join(',')];
  labelled.forEach((row, k) => {
    const cells = columns.map((column, j) => {
      if (column.kind === 'numeric') {
        const v = column.values[row]!;
        return Number.isNaN(v) ? '' : String(v);
      }
      const v = column.values[row]!;
      if (v === '') return '';
      const map = codes[j]!;
      if (!map.has(v)) map.set(v, map.size);
      return String(map.get(v));
    });
    lines.push(`${cells.join(',')},${labels[k]},${isTest[k]}`);
  });
  const categorical = columns.flatMap((c, j) => (c.kind === 'categorical' ? [j] : []));
  return { csv: `${lines.join('\n')}\n`, categorical, testCount: split.test.length };
}

interface Sklearn {
  hgbAuc: number;
  hgbSeconds: number;
  hgbIterations: number;
  rfAuc: number;
  rfSeconds: number;
}

function runSklearn(csv: string, categorical: number[]): Sklearn | string {
  const script = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'sklearn', 'models.py');
  const dir = mkdtempSync(join(tmpdir(), 'segbot-models-'));
  try {
    const file = join(dir, 'data.csv');
    writeFileSync(file, csv);
    const run = spawnSync('/usr/bin/python3', [script, file, categorical.join(',') || '-', '2'], {
      encoding: 'utf8',
    });
    if (run.status !== 0) return (run.stderr || run.error?.message || 'failed').trim().split('\n').pop()!;
    return JSON.parse(run.stdout.trim().split('\n').pop()!) as Sklearn;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One data set: segbot's predict against scikit-learn on the same split; returns whether it passed. */
async function compare(
  name: string,
  ingest: IngestResult,
  product: string,
  selection: FeatureSelection,
): Promise<boolean> {
  const pool = createForestPool({ threads: 2 });
  const trained = await timed(() => trainPropensity(ingest, { product, selection, seed: SEED }, pool));
  await pool.close();
  const { result } = trained.value;
  const { csv, categorical, testCount } = sklearnCsv(ingest, product, selection);
  if (result.heldOut?.customers !== testCount) throw new Error(`${name}: the splits differ`);
  const sk = runSklearn(csv, categorical);
  const auc = (kind: string): string =>
    (result.models.find((m) => m.model === kind)?.testAuc ?? Number.NaN).toFixed(4);
  const validation = result.models
    .map((m) => `${m.model} ${(m.validationAuc ?? Number.NaN).toFixed(4)}`)
    .join(', ');
  console.log(
    `\n${name}: ${result.customers.toLocaleString('en-US')} customers, ${result.features.length} features, ${testCount.toLocaleString('en-US')} held out (${(result.baseRate * 100).toFixed(1)}% positive)`,
  );
  console.log(`| model | held-out AUC | train |`);
  console.log(`| --- | --- | --- |`);
  console.log(
    `| segbot chosen (${result.model}; validation AUCs ${validation}) | ${(result.auc ?? Number.NaN).toFixed(4)} | whole predict ${seconds(trained.ms)} wall, ${seconds(trained.cpuMs)} CPU |`,
  );
  console.log(`| segbot boosting | ${auc('boosting')} | |`);
  console.log(`| segbot forest | ${auc('forest')} | |`);
  console.log(`| segbot logistic | ${auc('logistic')} | |`);
  if (typeof sk === 'string') {
    console.log(`| scikit-learn | not run: ${sk} | |`);
    return true;
  }
  console.log(
    `| scikit-learn HistGradientBoostingClassifier | ${sk.hgbAuc.toFixed(4)} | ${sk.hgbSeconds.toFixed(1)} s, ${sk.hgbIterations} iterations |`,
  );
  console.log(
    `| scikit-learn RandomForestClassifier (100 trees) | ${sk.rfAuc.toFixed(4)} | ${sk.rfSeconds.toFixed(1)} s |`,
  );
  const best = Math.max(sk.hgbAuc, sk.rfAuc);
  const passed = (result.auc ?? 0) >= best - 0.005;
  console.log(
    `segbot chosen ${(result.auc ?? Number.NaN).toFixed(4)} vs scikit-learn best ${best.toFixed(4)} − 0.005 = ${(best - 0.005).toFixed(4)}: ${passed ? 'met' : 'NOT met'}`,
  );
  return passed;
}

/** Boosting and the forest on 150,000 × 40 training customers, the whole predict on 200,000, and 1,000,000 customers scored. */
async function speed(): Promise<void> {
  const rows = 200_000;
  const data = generateUptake({ rows, numeric: 36, categorical: 4, seed: 7 });
  const binner = fitBinner(data.columns);
  const binned = binFeatures(binner, data.columns);
  const split = stratifiedSplit(data.labels, { testFraction: 0.25, seed: 7 });
  const train = selectRows(binned, split.train);
  const test = selectRows(binned, split.test);
  const trainLabels = Uint8Array.from(split.train, (i) => data.labels[i]!);
  const testLabels = Uint8Array.from(split.test, (i) => data.labels[i]!);
  const pool = createForestPool({ threads: 2 });
  console.log(
    `\nspeed: planted uptake ${rows.toLocaleString('en-US')} × 40, training on 150,000, 2 worker threads; load average before: ${load()}`,
  );
  const boost = await timed(() => pool.boost({ data: train, labels: trainLabels, options: { seed: 1 } }));
  const boostAuc = rocAuc(await predictBoostingWith(pool, boost.value, test), testLabels);
  console.log(
    `boosting train: ${seconds(boost.ms)} wall, ${seconds(boost.cpuMs)} CPU (one worker thread; its rounds are sequential), ${boost.value.iterations} rounds, AUC ${boostAuc.toFixed(4)}`,
  );
  const forest = await timed(() =>
    trainForestWith(pool, train, trainLabels, { ...PROPENSITY_FOREST, seed: 1 }),
  );
  const forestAuc = rocAuc(await predictForestWith(pool, forest.value, test), testLabels);
  console.log(
    `forest train:   ${seconds(forest.ms)} wall, ${seconds(forest.cpuMs)} CPU (2 worker threads), AUC ${forestAuc.toFixed(4)}`,
  );
  const both = await timed(() =>
    Promise.all([
      pool.boost({ data: train, labels: trainLabels, options: { seed: 1 } }),
      trainForestWith(pool, train, trainLabels, { ...PROPENSITY_FOREST, seed: 1 }),
    ]),
  );
  console.log(
    `boosting and forest side by side (as predict trains them): ${seconds(both.ms)} wall, ${seconds(both.cpuMs)} CPU`,
  );
  // The whole of `segbot predict` on the same 200,000 customers: binning, leakage guard, the three
  // models and the choice, held-out scores, rules, and every non-holder scored with reasons.
  const table = await ingestCsv(new TextEncoder().encode(uptakeCsv(data, { productColumn: 'has_product' })), {
    fileName: 'uptake-200k.csv',
  });
  const whole = await timed(() => trainPropensity(table, { product: 'has_product', seed: SEED }, pool));
  console.log(
    `whole predict (${rows.toLocaleString('en-US')} customers, model ${whole.value.result.model}, AUC ${(whole.value.result.auc ?? Number.NaN).toFixed(4)}, ${whole.value.result.scores.length.toLocaleString('en-US')} scored with reasons): ${seconds(whole.ms)} wall, ${seconds(whole.cpuMs)} CPU`,
  );
  const big = generateUptake({ rows: 1_000_000, numeric: 36, categorical: 4, seed: 8 });
  const bigBinned = await timed(() => binFeatures(binner, big.columns));
  const boostScore = await timed(() => predictBoostingWith(pool, boost.value, bigBinned.value));
  const forestScore = await timed(() => predictForestWith(pool, forest.value, bigBinned.value));
  console.log(
    `score 1,000,000: bin ${seconds(bigBinned.ms)} + boosting ${seconds(boostScore.ms)} = ${seconds(bigBinned.ms + boostScore.ms)} wall (${seconds(bigBinned.cpuMs + boostScore.cpuMs)} CPU); forest ${seconds(forestScore.ms)} (${seconds(forestScore.cpuMs)} CPU)`,
  );
  console.log(`load average after: ${load()}`);
  await pool.close();
}

export async function benchModels(): Promise<void> {
  console.log(
    `\nmodels: segbot predict beside scikit-learn, same features and split; load average ${load()}`,
  );
  let passed = true;
  const uptake = generateUptake({ rows: 50_000, numeric: 36, categorical: 4, seed: 7 });
  const uptakeIngest = await ingestCsv(
    new TextEncoder().encode(uptakeCsv(uptake, { productColumn: 'has_product' })),
    {
      fileName: 'uptake.csv',
    },
  );
  passed =
    (await compare('planted uptake (generate-uptake, 50,000 × 40)', uptakeIngest, 'has_product', {
      features: null,
      exclude: [],
    })) && passed;
  // Beside the repository, as on the development machine, unless SEGBOT_CHURN_CSV says where.
  const churnPath =
    process.env.SEGBOT_CHURN_CSV ?? join(process.cwd(), '..', 'shared', 'data', 'churn-modelling.csv');
  if (existsSync(churnPath)) {
    const churn = await ingestCsv(readFileSync(churnPath), { fileName: 'churn-modelling.csv' });
    const leftOut = ['RowNumber', 'CustomerId', 'Surname'];
    const usable = chooseFeatures(churn, 'Exited').map((r) => r.name);
    passed =
      (await compare('churn-modelling.csv, target Exited', churn, 'Exited', {
        features: usable.filter((name) => !leftOut.includes(name)),
        exclude: [],
      })) && passed;
  } else console.log(`\nchurn-modelling.csv not found at ${churnPath} (set SEGBOT_CHURN_CSV): skipped`);
  await speed();
  if (!passed) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchModels();
