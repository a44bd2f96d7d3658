/**
 * Segmentation benchmark: for each size a seeded synthetic CC GENERAL table is generated and pushed
 * through every stage (parse, preprocess, PCA, k-means per k, silhouette, automatic k, the whole
 * segmentation), then the ml-kmeans / ml-pca baselines where they finish in reasonable time, the
 * scikit-learn side-by-side on the same matrix, and the `segbot segment --k auto` command end to end.
 *
 * Each size runs in its own child process so the peak RSS printed is that size's alone. Run
 * `tsx scripts/bench/segmentation.ts --size 100000` to time one size directly.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { PCA } from 'ml-pca';
import { chooseK } from '../../src/analytics/cluster/choose-k.js';
import { kmeans } from '../../src/analytics/cluster/kmeans.js';
import { matrixToRows } from '../../src/analytics/cluster/matrix.js';
import { fitPca, projectPca } from '../../src/analytics/cluster/pca.js';
import { silhouetteScore } from '../../src/analytics/cluster/silhouette.js';
import { generateCustomerCsvChunks } from '../../src/analytics/generate-customers.js';
import { ingestCsv } from '../../src/analytics/ingest/ingest-csv.js';
import { applyTransform, fitTransform } from '../../src/analytics/segment/preprocess.js';
import { segmentCustomers } from '../../src/analytics/segment/segment-customers.js';
import type { Matrix } from '../../src/analytics/types.js';
import { benchVersusSklearn } from './segment-versus-sklearn.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SELF = fileURLToPath(import.meta.url);
const SEED = 42;
const PYTHON = '/usr/bin/python3';
const SKLEARN_SCRIPT = join(ROOT, 'scripts/sklearn/bench_segmentation.py');
const CC_GENERAL = resolve(ROOT, '../shared/data/cc-general.csv');
/** scikit-learn 1.2, KMeans(k=4, n_init=10), median imputation and standardization (data README). */
const CC_GENERAL_K4_INERTIA = 99_062;
const CC_GENERAL_REFERENCE: Record<number, number> = {
  2: 127_784,
  3: 111_974,
  4: 99_062,
  5: 91_491,
  6: 84_825,
};
/** ml-kmeans and ml-pca hold rows as arrays of arrays: past this size they take tens of seconds. */
const BASELINE_MAX_ROWS = 100_000;

export interface SegmentationBenchOptions {
  sizes?: number[];
  /** Include the ml-kmeans / ml-pca baselines (default true). */
  baselines?: boolean;
  /** Include the scikit-learn side-by-side (default true; skipped with a note when absent). */
  sklearn?: boolean;
  /** Include `segbot segment --k auto` end to end (default true). */
  cli?: boolean;
  /** Start with segbot against scikit-learn's pipeline at 1,000,000 customers (default true). */
  versus?: boolean;
  /** Run only that head-to-head (`--versus-only`). */
  versusOnly?: boolean;
}

/** Customers in the head-to-head against scikit-learn's pipeline. */
const VERSUS_ROWS = 1_000_000;

/**
 * Peak RSS of this process in MB. Linux's VmHWM belongs to the current address space, so a size's
 * child process does not inherit the parent's high-water mark the way getrusage's maxRSS does.
 */
function peakMb(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Math.round(Number(match[1]) / 1024);
  } catch {
    // Not Linux: fall back to getrusage below.
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;
}

export function header(): void {
  console.log(
    `${'stage'.padEnd(44)} ${'rows'.padStart(10)} ${'wall'.padStart(9)} ${'cpu'.padStart(9)} ${'peak RSS'.padStart(9)}  note`,
  );
}

export function line(
  stage: string,
  rows: number,
  ms: number | null,
  cpuMs: number | null,
  note = '',
  rss = peakMb(),
): void {
  console.log(
    `${stage.padEnd(44)} ${rows.toLocaleString('en-US').padStart(10)} ${(ms === null ? '-' : formatMs(ms)).padStart(9)} ${(
      cpuMs === null ? '-' : formatMs(cpuMs)
    ).padStart(9)} ${`${rss} MB`.padStart(9)}  ${note}`,
  );
}

export async function timed<T>(run: () => Promise<T> | T): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await run();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (used.user + used.system) / 1000 };
}

let csvDir: string | null = null;
const csvFiles = new Map<number, string>();

/**
 * Path of the seeded synthetic CSV with `rows` customers, generated once per bench run into a
 * temporary folder (removed when the process exits) so every section and size process reads the
 * same bytes without paying for generation again.
 */
export function syntheticCsvFile(rows: number): string {
  const known = csvFiles.get(rows);
  if (known !== undefined) return known;
  if (csvDir === null) {
    const dir = mkdtempSync(join(tmpdir(), 'segbot-bench-csv-'));
    csvDir = dir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const path = join(csvDir, `customers-${rows}.csv`);
  const fd = openSync(path, 'w');
  try {
    for (const chunk of generateCustomerCsvChunks({ rows, seed: SEED, chunkRows: 20_000 }))
      writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  csvFiles.set(rows, path);
  return path;
}

function hasSklearn(): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
}

/** Runs the scikit-learn script on a raw float64 dump of `X` and prints its lines. */
function runSklearn(X: Matrix, dir: string, mode: 'size' | 'cc', extra: string[] = []): void {
  if (!hasSklearn()) {
    console.log(
      `  (scikit-learn side-by-side skipped: ${PYTHON} with sklearn not found; apt-get install python3-sklearn)`,
    );
    return;
  }
  const path = join(dir, `matrix-${X.rows}.f64`);
  writeFileSync(path, new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
  const result = spawnSync(PYTHON, [SKLEARN_SCRIPT, mode, path, String(X.rows), String(X.cols), ...extra], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONWARNINGS: 'ignore' },
  });
  process.stdout.write(result.stdout);
  if (result.status !== 0)
    console.log(`  (scikit-learn run failed: ${result.stderr.trim().split('\n').pop()})`);
  rmSync(path, { force: true });
}

/** One size, all stages, in this process, on the CSV at `csvPath`. */
async function runSize(rows: number, csvPath: string, options: SegmentationBenchOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'segbot-bench-'));
  try {
    console.log(`\n--- ${rows.toLocaleString('en-US')} customers x 17 behaviour columns (seed ${SEED}) ---`);
    header();
    const bytes = readFileSync(csvPath);
    line('read CSV file (synthetic CC GENERAL)', rows, null, null, `${(bytes.length / 1e6).toFixed(0)} MB`);

    const parsed = await timed(() => ingestCsv(bytes, { fileName: 'bench.csv' }));
    line('parse (ingestCsv: parse + schema + quality)', rows, parsed.ms, parsed.cpuMs);
    const ingest = parsed.value;

    const pre = await timed(() => {
      const transform = fitTransform(ingest.table, ingest.schema, { log: 'auto' });
      return applyTransform(transform, ingest.table);
    });
    const X = pre.value;
    line(
      'preprocess (fitTransform + applyTransform)',
      rows,
      pre.ms,
      pre.cpuMs,
      `${X.cols} features, log auto`,
    );

    const pca = await timed(() => {
      const model = fitPca(X);
      projectPca(model, X, 2);
      return model;
    });
    const ratios = Array.from(pca.value.explainedVarianceRatio.slice(0, 2), (r) => r.toFixed(3)).join(', ');
    line('PCA (covariance + Jacobi, 2-D projection)', rows, pca.ms, pca.cpuMs, `explained ${ratios}`);

    const single = await timed(() =>
      kmeans(X, { k: 6, seed: SEED, nInit: 1, restartSampleSize: Number.POSITIVE_INFINITY }),
    );
    line(
      'k-means k=6, 1 init, all rows',
      rows,
      single.ms,
      single.cpuMs,
      `inertia ${single.value.inertia.toFixed(0)}, ${single.value.iterations} iterations`,
    );
    if (rows <= BASELINE_MAX_ROWS) {
      const full = await timed(() =>
        kmeans(X, { k: 6, seed: SEED, nInit: 10, restartSampleSize: Number.POSITIVE_INFINITY }),
      );
      line(
        'k-means k=6, 10 inits, all rows',
        rows,
        full.ms,
        full.cpuMs,
        `inertia ${full.value.inertia.toFixed(0)}`,
      );
    }
    let k6 = single.value;
    // At a million rows three k show the trend; the automatic choice below fits all of 2..10.
    const ks = rows > BASELINE_MAX_ROWS ? [4, 6, 8] : [2, 3, 4, 5, 6, 7, 8, 9, 10];
    for (const k of ks) {
      const fit = await timed(() => kmeans(X, { k, seed: SEED }));
      if (k === 6) k6 = fit.value;
      const how = rows > 20_000 ? '10 inits on 20k sample + refine' : '10 inits';
      line(
        `k-means k=${k} (default: ${how})`,
        rows,
        fit.ms,
        fit.cpuMs,
        `inertia ${fit.value.inertia.toFixed(0)}, ${fit.value.iterations} it`,
      );
    }

    const sil = await timed(() => silhouetteScore(X, k6.labels, 6, { seed: SEED }));
    line(
      'silhouette k=6',
      rows,
      sil.ms,
      sil.cpuMs,
      `${sil.value.score.toFixed(3)} (${sil.value.exact ? 'exact' : `sample of ${sil.value.size}`})`,
    );

    const auto = await timed(() => chooseK(X, { seed: SEED }));
    line('choose k (k=2..10, silhouette + elbow)', rows, auto.ms, auto.cpuMs, `k=${auto.value.selection.k}`);
    console.log(`  reason: ${auto.value.selection.reason}`);

    const whole = await timed(() => segmentCustomers(ingest, { k: 'auto', seed: SEED }));
    line(
      'segmentCustomers k=auto (after parse)',
      rows,
      whole.ms,
      whole.cpuMs,
      `k=${whole.value.k}, silhouette ${whole.value.silhouette.toFixed(3)}`,
    );
    const afterPipeline = peakMb();

    if (options.baselines !== false) {
      if (rows <= BASELINE_MAX_ROWS) {
        const base = await timed(() => {
          const data = matrixToRows(X);
          return mlKmeans(data, 6, { seed: SEED, initialization: 'kmeans++' });
        });
        line(
          'baseline ml-kmeans k=6, 1 init',
          rows,
          base.ms,
          base.cpuMs,
          `${base.value.iterations} iterations (max 100)`,
        );
        const basePca = await timed(() => new PCA(matrixToRows(X), { method: 'covarianceMatrix' }));
        line('baseline ml-pca (covarianceMatrix)', rows, basePca.ms, basePca.cpuMs);
      } else {
        console.log(
          `  (ml-kmeans / ml-pca baselines skipped above ${BASELINE_MAX_ROWS.toLocaleString('en-US')} rows: ml-kmeans took 16.9 s / 1.1 GB at 1M and ml-pca 3 s / 0.9 GB at 200k on this machine)`,
        );
      }
    }

    if (options.sklearn !== false) runSklearn(X, dir, 'size');

    if (options.cli !== false) runCli(csvPath, join(dir, 'out.json'), rows);
    console.log(
      `  peak RSS of this size's process: ${afterPipeline} MB through the pipeline stages, ${peakMb()} MB with baselines`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `segbot segment <csv> --k auto --json out.json` in a fresh process, timed with /usr/bin/time. */
function runCli(csvPath: string, jsonPath: string, rows: number): void {
  const cli = join(ROOT, 'src/cli.ts');
  if (!existsSync(cli)) {
    console.log('  (CLI end to end skipped: src/cli.ts not found)');
    return;
  }
  const timeBin = '/usr/bin/time';
  const args = [
    '--import',
    'tsx',
    cli,
    'segment',
    csvPath,
    '--k',
    'auto',
    '--seed',
    String(SEED),
    '--json',
    jsonPath,
  ];
  const useTime = existsSync(timeBin);
  const result = useTime
    ? spawnSync(timeBin, ['-f', 'TIME %e %M', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8' })
    : spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const timing = /TIME ([\d.]+) (\d+)/.exec(result.stderr ?? '');
  if (result.status !== 0) {
    const reason =
      (result.stderr ?? '')
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('TIME'))[0] ?? 'unknown error';
    console.log(`  (CLI end to end failed, exit ${result.status}: ${reason.slice(0, 200)})`);
    return;
  }
  if (timing) {
    line(
      'segbot segment --k auto --json (CLI, end to end)',
      rows,
      Number(timing[1]) * 1000,
      null,
      'fresh process incl. tsx start, JSON written',
      Math.round(Number(timing[2]) / 1024),
    );
  } else {
    console.log('  (CLI ran; /usr/bin/time not available for its timing)');
  }
}

/** The quality bar on the real CC GENERAL file: k=4, 10 inits, median imputation, standardization. */
async function checkQuality(options: SegmentationBenchOptions): Promise<void> {
  console.log('\n--- quality: CC GENERAL (8,950 customers), median imputation + standardization, no log ---');
  if (!existsSync(CC_GENERAL)) {
    console.log(`  (skipped: ${CC_GENERAL} not found; this check needs the shared data folder)`);
    return;
  }
  const ingest = await ingestCsv(readFileSync(CC_GENERAL), { fileName: 'cc-general.csv' });
  const transform = fitTransform(ingest.table, ingest.schema, { log: 'none' });
  const X = applyTransform(transform, ingest.table);
  console.log(
    `${'k'.padStart(3)} ${'segbot inertia'.padStart(15)} ${'scikit-learn'.padStart(13)} ${'time'.padStart(9)}  sizes`,
  );
  for (let k = 2; k <= 6; k++) {
    const fit = await timed(() => kmeans(X, { k, seed: SEED, nInit: 10 }));
    const sizes = new Array<number>(k).fill(0);
    for (const label of fit.value.labels) sizes[label]!++;
    sizes.sort((a, b) => b - a);
    console.log(
      `${String(k).padStart(3)} ${fit.value.inertia.toFixed(1).padStart(15)} ${CC_GENERAL_REFERENCE[k]!.toLocaleString('en-US').padStart(13)} ${formatMs(fit.ms).padStart(9)}  ${sizes.join(' / ')}`,
    );
    if (k === 4) {
      const ok = fit.value.inertia <= CC_GENERAL_K4_INERTIA;
      console.log(
        `    k=4 target inertia <= ${CC_GENERAL_K4_INERTIA.toLocaleString('en-US')}: ${ok ? 'PASS' : 'FAIL'} (${fit.value.inertia.toFixed(1)})`,
      );
    }
  }
  if (options.sklearn !== false) {
    const dir = mkdtempSync(join(tmpdir(), 'segbot-bench-'));
    try {
      runSklearn(X, dir, 'cc');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Prints the segmentation benchmark: the CC GENERAL quality check, then every size in its own child
 * process (default 10k, 100k and 1M customers).
 */
export async function benchSegmentation(options: SegmentationBenchOptions = {}): Promise<void> {
  const sizes = options.sizes ?? [10_000, 100_000, 1_000_000];
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(
    `\nsegmentation: ${cpus().length} cores, load average ${load} at start. Timings are wall clock and CPU time of one` +
      ' process; on a shared machine wall time swings with other jobs, CPU time less so.',
  );
  if (options.versus !== false)
    benchVersusSklearn({
      root: ROOT,
      csvPath: syntheticCsvFile(VERSUS_ROWS),
      rows: VERSUS_ROWS,
      k: 4,
      seed: SEED,
    });
  if (options.versusOnly) return;
  await checkQuality(options);
  for (const rows of sizes) {
    const generated = await timed(() => syntheticCsvFile(rows));
    console.log(
      `\n(generated ${rows.toLocaleString('en-US')} synthetic customers in ${formatMs(generated.ms)}; not part of the pipeline)`,
    );
    await new Promise<void>((resolvePromise, reject) => {
      const flags = [
        '--size',
        String(rows),
        '--csv',
        generated.value,
        ...(options.baselines === false ? ['--no-baselines'] : []),
        ...(options.sklearn === false ? ['--no-sklearn'] : []),
        ...(options.cli === false ? ['--no-cli'] : []),
      ];
      const child = spawn(process.execPath, [...process.execArgv, SELF, ...flags], {
        cwd: ROOT,
        stdio: 'inherit',
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code !== 0) console.log(`  (size ${rows} exited with code ${code})`);
        resolvePromise();
      });
    });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sizeIndex = args.indexOf('--size');
  const options: SegmentationBenchOptions = {
    baselines: !args.includes('--no-baselines'),
    sklearn: !args.includes('--no-sklearn'),
    cli: !args.includes('--no-cli'),
    versus: !args.includes('--no-versus'),
    versusOnly: args.includes('--versus-only'),
  };
  if (sizeIndex >= 0) {
    const rows = Number(args[sizeIndex + 1]);
    if (!Number.isInteger(rows) || rows < 100)
      throw new Error('--size needs a whole number of rows (at least 100)');
    const csvIndex = args.indexOf('--csv');
    const csvPath = csvIndex >= 0 ? args[csvIndex + 1]! : syntheticCsvFile(rows);
    await runSize(rows, csvPath, options);
  } else {
    await benchSegmentation(options);
  }
}

if (process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
