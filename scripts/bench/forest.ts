/**
 * Forest benchmark: segbot's binned random forest on planted-uptake customers (200,000 x 40, 100
 * trees), scoring 1,000,000 customers, the logistic baseline, ml-random-forest at a size where it
 * finishes, and scikit-learn's RandomForestClassifier on the same split when python3-sklearn is
 * installed. `benchForest` is called by the main bench; run this file directly for this part only
 * (`tsx scripts/bench/forest.ts [rows] [scoreRows] [sklearn|no-sklearn]`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RandomForestClassifier } from 'ml-random-forest';
import {
  binFeatures,
  type FeatureColumn,
  fitBinner,
  selectRows,
} from '../../src/analytics/predict/bin-features.js';
import { rocAuc, stratifiedSplit } from '../../src/analytics/predict/evaluate.js';
import { generateUptake, type UptakeData } from '../../src/analytics/predict/generate-uptake.js';
import { fitLogistic, predictLogistic } from '../../src/analytics/predict/logistic-regression.js';
import { explainTrees, reasonsFor } from '../../src/analytics/predict/model-explanation.js';
import { type ForestOptions, predictForest, trainForest } from '../../src/analytics/predict/random-forest.js';
import { PROPENSITY_FOREST } from '../../src/analytics/predict/train-propensity.js';
import { predictForestWith, trainForestWith } from '../../src/analytics/predict/tree-runner.js';
import { createForestPool } from '../../src/jobs/forest-pool.js';

export interface ForestBenchOptions {
  rows?: number;
  scoreRows?: number;
  threads?: number;
  /**
   * Run the scikit-learn side-by-side (default: only when SEGBOT_BENCH_SKLEARN=1). It takes over two
   * minutes at 150,000 training rows even with n_jobs=2, longer than the rest of this section.
   */
  sklearn?: boolean;
}

const NUMERIC = 36;
const CATEGORICAL = 4;
const SEED = 7;

const peakMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

const duration = (ms: number | null | undefined): string =>
  ms === null || ms === undefined
    ? '-'
    : ms >= 10_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${ms.toFixed(0)} ms`;

/** One result line; `cpuMs` is this process's CPU time over the step (all threads), when known. */
function row(
  name: string,
  size: string,
  trees: string,
  ms: number | null,
  auc: number | null,
  note = '',
  cpuMs?: number,
): void {
  console.log(
    `${name.padEnd(34)} ${size.padStart(12)} ${trees.padStart(6)} ${duration(ms).padStart(9)} ${duration(cpuMs).padStart(9)} ${`${peakMb()} MB`.padStart(9)} ${
      auc === null ? '    -' : auc.toFixed(4)
    }  ${note}`,
  );
}

function pick(column: FeatureColumn, rows: ArrayLike<number>): FeatureColumn {
  return column.kind === 'numeric'
    ? { ...column, values: Float64Array.from(rows, (i) => column.values[i]!) }
    : { ...column, values: Array.from(rows, (i) => column.values[i]!) };
}

/** The data as a numeric CSV for scikit-learn: categories as integer codes, then label and is_test. */
function numericCsv(data: UptakeData, testRows: Uint32Array): string {
  const isTest = new Uint8Array(data.labels.length);
  for (const i of testRows) isTest[i] = 1;
  const codes = data.columns.map((c) => (c.kind === 'categorical' ? new Map<string, number>() : null));
  const lines = [[...data.columns.map((c) => c.name), 'label', 'is_test'].join(',')];
  for (let i = 0; i < data.labels.length; i++) {
    const cells = data.columns.map((column, j) => {
      const v = column.values[i]!;
      if (typeof v === 'number') return Number.isNaN(v) ? '' : String(v);
      const map = codes[j]!;
      if (!map.has(v)) map.set(v, map.size);
      return String(map.get(v));
    });
    lines.push(`${cells.join(',')},${data.labels[i]},${isTest[i]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Wall and CPU time (this process, every thread) of `run`. */
export async function timed<T>(run: () => Promise<T> | T): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

/** Prints one row per measurement: what ran, size, trees, wall time, peak RSS so far, held-out AUC. */
export async function benchForest(options: ForestBenchOptions = {}): Promise<void> {
  const rows = options.rows ?? 200_000;
  const scoreRows = options.scoreRows ?? 1_000_000;
  const threads = options.threads ?? 2;
  const size = `${rows.toLocaleString('en-US')}x${NUMERIC + CATEGORICAL}`;
  console.log(`\nforest: planted uptake, ${size}, base rate 10%, 75/25 stratified split, ${threads} threads`);
  console.log(
    `${'step'.padEnd(34)} ${'rows x cols'.padStart(12)} ${'trees'.padStart(6)} ${'wall'.padStart(9)} ${'cpu'.padStart(9)} ${'peak RSS'.padStart(9)} AUC`,
  );

  // How fast this machine is right now: on shared machines every number below scales with this.
  const calibration = await timed(() => {
    let sum = 0;
    for (let i = 0; i < 100_000_000; i++) sum += i & 7;
    return sum;
  });
  row(
    'calibration: 1e8-step JS loop',
    '',
    '',
    calibration.ms,
    null,
    'about 100 ms on an idle 3 GHz core',
    calibration.cpuMs,
  );
  const generated = await timed(() =>
    generateUptake({ rows, numeric: NUMERIC, categorical: CATEGORICAL, seed: SEED }),
  );
  const data = generated.value;
  const split = stratifiedSplit(data.labels, { testFraction: 0.25, seed: SEED });
  const testLabels = Uint8Array.from(split.test, (i) => data.labels[i]!);
  const trainLabels = Uint8Array.from(split.train, (i) => data.labels[i]!);
  const truth = Float64Array.from(split.test, (i) => data.probabilities[i]!);
  row(
    'generate (true probabilities)',
    size,
    '',
    generated.ms,
    rocAuc(truth, testLabels),
    'best achievable AUC',
    generated.cpuMs,
  );

  const binned = await timed(() => {
    const binner = fitBinner(data.columns);
    return { binner, matrix: binFeatures(binner, data.columns) };
  });
  row('bin features (fit + apply)', size, '', binned.ms, null, '', binned.cpuMs);
  const train = selectRows(binned.value.matrix, split.train);
  const test = selectRows(binned.value.matrix, split.test);

  const configs: { name: string; forest: ForestOptions }[] = [
    { name: 'segbot forest (leaf 20, balanced)', forest: { ...PROPENSITY_FOREST, seed: 1 } },
    {
      name: 'segbot forest (sklearn settings)',
      forest: { nTrees: 100, minSamplesLeaf: 1, classWeight: 'none', seed: 1 },
    },
  ];
  let used = 0;
  const pool = createForestPool({ threads, onThreads: (n) => (used = n) });
  let defaultModel: Awaited<ReturnType<typeof trainForestWith>> | null = null;
  for (const config of configs) {
    const trained = await timed(() => trainForestWith(pool, train, trainLabels, config.forest));
    const threadsUsed = used;
    const scored = await timed(() => predictForestWith(pool, trained.value, test));
    row(
      `${config.name} train`,
      `${split.train.length.toLocaleString('en-US')}x40`,
      '100',
      trained.ms,
      rocAuc(scored.value, testLabels),
      `${threadsUsed} worker threads, ${trained.value.feature.length.toLocaleString('en-US')} nodes`,
      trained.cpuMs,
    );
    defaultModel ??= trained.value;
  }

  const logistic = await timed(() => fitLogistic(data.columns, data.labels, {}, split.train));
  const logisticAuc = rocAuc(
    predictLogistic(
      logistic.value,
      data.columns.map((c) => pick(c, split.test)),
    ),
    testLabels,
  );
  row(
    'logistic regression (IRLS, L2)',
    size,
    '',
    logistic.ms,
    logisticAuc,
    'fit on <= 50,000 rows',
    logistic.cpuMs,
  );

  // Scoring a million customers: binning with the fitted binner, then the forest.
  const big = generateUptake({ rows: scoreRows, numeric: NUMERIC, categorical: CATEGORICAL, seed: SEED + 1 });
  const bigBinned = await timed(() => binFeatures(binned.value.binner, big.columns));
  const bigSize = `${scoreRows.toLocaleString('en-US')}x40`;
  row('score: bin with fitted binner', bigSize, '', bigBinned.ms, null, '', bigBinned.cpuMs);
  const bigScored = await timed(() => predictForestWith(pool, defaultModel!, bigBinned.value));
  await pool.close();
  row(
    'score: forest',
    bigSize,
    '100',
    bigScored.ms,
    rocAuc(bigScored.value, big.labels),
    'AUC on these new customers',
    bigScored.cpuMs,
  );
  row(
    'score: bin + forest',
    bigSize,
    '100',
    bigBinned.ms + bigScored.ms,
    null,
    '',
    bigBinned.cpuMs + bigScored.cpuMs,
  );

  // Why: exact tree paths of 20,000 customers give the drivers and each feature's points per value
  // bin; every customer's three reasons are then read from that table.
  const names = data.columns.map((c) => ({ name: c.name, label: c.name.toLowerCase(), flag: false }));
  const explained = await timed(() =>
    explainTrees({
      model: { trees: defaultModel!, scale: 1 / (defaultModel!.treeStart.length - 1), toPoints: 100 },
      binned: binned.value.matrix,
      binner: binned.value.binner,
      names,
      rows: split.train,
      importances: names.map((n, f) => ({ feature: n.name, importance: defaultModel!.importances[f]! })),
      baseRate: trainLabels.reduce((sum, y) => sum + y, 0) / trainLabels.length,
    }),
  );
  row(
    'explain: paths of 20,000 customers',
    size,
    '100',
    explained.ms,
    null,
    'drivers + reason table',
    explained.cpuMs,
  );
  const reasons = await timed(() =>
    reasonsFor(
      { table: explained.value.reasons, binner: binned.value.binner, names },
      bigBinned.value,
      Uint32Array.from({ length: bigBinned.value.rows }, (_, i) => i),
    ),
  );
  row('score: top 3 reasons per customer', bigSize, '', reasons.ms, null, '', reasons.cpuMs);
  row(
    'score: bin + forest + reasons',
    bigSize,
    '100',
    bigBinned.ms + bigScored.ms + reasons.ms,
    null,
    '',
    bigBinned.cpuMs + bigScored.cpuMs + reasons.cpuMs,
  );

  // ml-random-forest stores rows as arrays of arrays and sorts at every node: measured where it finishes.
  const small = generateUptake({ rows: 2_000, numeric: 20, categorical: 0, seed: SEED });
  const smallSplit = stratifiedSplit(small.labels, { testFraction: 0.25, seed: SEED });
  const dense = (r: Uint32Array): number[][] =>
    Array.from(r, (i) => small.columns.map((c) => c.values[i] as number));
  const smallTrain = dense(smallSplit.train).map((values) => values.map((v) => (Number.isNaN(v) ? -1 : v)));
  const smallTest = dense(smallSplit.test).map((values) => values.map((v) => (Number.isNaN(v) ? -1 : v)));
  const smallLabels = Uint8Array.from(smallSplit.test, (i) => small.labels[i]!);
  const mlTrees = 10;
  const oracle = new RandomForestClassifier({ nEstimators: mlTrees, maxFeatures: 0.3, seed: 3, noOOB: true });
  const ml = await timed(() =>
    oracle.train(
      smallTrain,
      Array.from(smallSplit.train, (i) => small.labels[i]!),
    ),
  );
  row(
    'ml-random-forest train',
    `${smallSplit.train.length.toLocaleString('en-US')}x20`,
    String(mlTrees),
    ml.ms,
    rocAuc(oracle.predictProbability(smallTest, 1), smallLabels),
    `~${((ml.ms * (100 / mlTrees)) / 1000).toFixed(0)} s for 100 trees at this rate`,
    ml.cpuMs,
  );
  const smallBinner = fitBinner(small.columns);
  const smallBinned = binFeatures(smallBinner, small.columns);
  const ours = await timed(() =>
    trainForest(
      selectRows(smallBinned, smallSplit.train),
      Uint8Array.from(smallSplit.train, (i) => small.labels[i]!),
      {
        ...PROPENSITY_FOREST,
        seed: 1,
      },
    ),
  );
  row(
    'segbot forest, same data',
    `${smallSplit.train.length.toLocaleString('en-US')}x20`,
    '100',
    ours.ms,
    rocAuc(predictForest(ours.value, selectRows(smallBinned, smallSplit.test)), smallLabels),
    'one thread',
    ours.cpuMs,
  );

  if (!(options.sklearn ?? process.env.SEGBOT_BENCH_SKLEARN === '1')) {
    row(
      'scikit-learn RandomForestClassifier',
      `${split.train.length.toLocaleString('en-US')}x40`,
      '100',
      null,
      null,
      'not run: set SEGBOT_BENCH_SKLEARN=1 (over 2 min to train with n_jobs=2)',
    );
    return;
  }
  const python = '/usr/bin/python3';
  const script = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'sklearn', 'forest.py');
  const dir = mkdtempSync(join(tmpdir(), 'segbot-forest-'));
  try {
    const csv = join(dir, 'uptake.csv');
    writeFileSync(csv, numericCsv(data, split.test));
    const run = spawnSync(python, [script, csv, '100', String(threads), '1'], { encoding: 'utf8' });
    if (run.status !== 0) {
      row(
        'scikit-learn RandomForestClassifier',
        size,
        '100',
        null,
        null,
        `skipped: ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}`,
      );
      return;
    }
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      trainSeconds: number;
      scoreSeconds: number;
      auc: number;
    };
    row(
      'scikit-learn RF train (leaf 1)',
      `${split.train.length.toLocaleString('en-US')}x40`,
      '100',
      result.trainSeconds * 1000,
      result.auc,
      `n_jobs=${threads}; scoring the test rows took ${(result.scoreSeconds * 1000).toFixed(0)} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = process.argv[2] ? Number(process.argv[2]) : undefined;
  const scoreRows = process.argv[3] ? Number(process.argv[3]) : undefined;
  const flag = process.argv[4];
  await benchForest({
    rows,
    scoreRows,
    sklearn: flag === 'sklearn' ? true : flag === 'no-sklearn' ? false : undefined,
  });
}
