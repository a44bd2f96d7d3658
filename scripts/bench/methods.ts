/**
 * Clustering-methods benchmark: the Gaussian mixture (EM on a seeded 20,000-row sample, then every
 * customer scored), the choice of k by BIC, density clustering on three PCA components, and
 * `method=gmm` / `method=density` end to end, at 100k and 1M synthetic CC GENERAL customers, with
 * scikit-learn's GaussianMixture fitted on the very same sample rows in the same run.
 *
 * Each size runs in its own child process so its peak RSS is its own. `tsx scripts/bench/methods.ts
 * --size 100000` times one size directly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { densityCluster } from '../../src/analytics/cluster/density.js';
import { assignGmm, chooseGmmK, fitGmm } from '../../src/analytics/cluster/gmm.js';
import { selectRows } from '../../src/analytics/cluster/matrix.js';
import { fitPca, projectPca } from '../../src/analytics/cluster/pca.js';
import { sampleIndices } from '../../src/analytics/cluster/sample-rows.js';
import { ingestCsv } from '../../src/analytics/ingest/ingest-csv.js';
import { applyTransform, fitTransform } from '../../src/analytics/segment/preprocess.js';
import { segmentCustomers } from '../../src/analytics/segment/segment-customers.js';
import type { CovarianceType } from '../../src/analytics/types.js';
import { header, line, syntheticCsvFile, timed } from './segmentation.js';

const SELF = fileURLToPath(import.meta.url);
const PYTHON = '/usr/bin/python3';
const SKLEARN_SCRIPT = fileURLToPath(new URL('../sklearn/bench_gmm.py', import.meta.url));
const SEED = 42;
const K = 5;
const FIT_SAMPLE = 20_000;

async function runSize(rows: number, csvPath: string): Promise<void> {
  console.log(`\n--- ${rows.toLocaleString('en-US')} customers x 17 behaviour columns (seed ${SEED}) ---`);
  header();
  const ingest = await ingestCsv(readFileSync(csvPath), { fileName: 'bench.csv' });
  const X = applyTransform(fitTransform(ingest.table, ingest.schema, { log: 'auto' }), ingest.table);
  const indices = sampleIndices(X.rows, FIT_SAMPLE, SEED);
  const sample = selectRows(X, indices);

  for (const covariance of ['full', 'diag'] as CovarianceType[]) {
    const em = await timed(() =>
      fitGmm(sample, { k: K, seed: SEED, covariance, fitSampleSize: Number.POSITIVE_INFINITY }),
    );
    line(
      `segbot GMM ${covariance} k=${K} EM`,
      sample.rows,
      em.ms,
      em.cpuMs,
      `LL/row ${em.value.logLikelihood.toFixed(3)}, ${em.value.iterations} iterations`,
    );
    const assigned = await timed(() => assignGmm(em.value, X));
    line(`segbot GMM assign all rows (${covariance})`, rows, assigned.ms, assigned.cpuMs);
  }
  const bic = await timed(() => chooseGmmK(X, [3, 4, 5, 6, 7, 8], { seed: SEED }));
  line(
    'segbot GMM full, k 3..8 by BIC',
    Math.min(rows, FIT_SAMPLE),
    bic.ms,
    bic.cpuMs,
    `k=${bic.value.model.k}`,
  );
  runSklearn(X, indices);

  const pca = fitPca(X);
  const points = projectPca(pca, X, 3);
  const density = await timed(() => densityCluster(points, { seed: SEED }));
  line(
    'segbot density (DBSCAN, 3 PCA components)',
    rows,
    density.ms,
    density.cpuMs,
    `${density.value.clusters} dense groups, ${density.value.outliers.toLocaleString('en-US')} unusual, eps ${density.value.eps.toFixed(3)}`,
  );
  for (const method of ['gmm', 'density'] as const) {
    const whole = await timed(() => segmentCustomers(ingest, { k: 'auto', seed: SEED, method }));
    line(
      `segmentCustomers method=${method} (whole)`,
      rows,
      whole.ms,
      whole.cpuMs,
      `k=${whole.value.k}, silhouette ${whole.value.silhouette.toFixed(3)}`,
    );
  }
}

function runSklearn(X: { data: Float64Array; rows: number; cols: number }, indices: Int32Array): void {
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' }).status !== 0) {
    console.log('  (scikit-learn side-by-side skipped: /usr/bin/python3 with sklearn not found)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'segbot-bench-gmm-'));
  try {
    const matrix = join(dir, 'X.f64');
    const sample = join(dir, 'sample.i32');
    writeFileSync(matrix, new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
    writeFileSync(sample, new Uint8Array(indices.buffer, indices.byteOffset, indices.byteLength));
    const result = spawnSync(
      PYTHON,
      [SKLEARN_SCRIPT, matrix, String(X.rows), String(X.cols), sample, String(K)],
      { encoding: 'utf8', env: { ...process.env, PYTHONWARNINGS: 'ignore' } },
    );
    process.stdout.write(result.stdout);
    if (result.status !== 0)
      console.log(`  (scikit-learn run failed: ${result.stderr.trim().split('\n').pop()})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every size in its own child process. */
export async function benchMethods(sizes: number[] = [100_000, 1_000_000]): Promise<void> {
  console.log(
    `\nmethods: Gaussian mixture and density clustering; EM on a seeded ${FIT_SAMPLE.toLocaleString('en-US')}-row sample, scikit-learn on the same rows`,
  );
  for (const rows of sizes) {
    const csv = syntheticCsvFile(rows);
    await new Promise<void>((resolvePromise, reject) => {
      const child = spawn(
        process.execPath,
        [...process.execArgv, SELF, '--size', String(rows), '--csv', csv],
        {
          stdio: 'inherit',
        },
      );
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code !== 0) console.log(`  (size ${rows} exited with code ${code})`);
        resolvePromise();
      });
    });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === SELF) {
  const at = (flag: string) => process.argv[process.argv.indexOf(flag) + 1];
  const size = process.argv.includes('--size') ? Number(at('--size')) : null;
  if (size !== null && process.argv.includes('--csv')) await runSize(size, at('--csv')!);
  else await benchMethods(size === null ? undefined : [size]);
}
