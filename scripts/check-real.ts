/**
 * `npm run check:real`: segments the real CC GENERAL credit-card file (8,950 customers) twice, with
 * k chosen automatically and with k = 4 without log transform, prints both summaries and checks the
 * numbers that are known for this file. Exits non-zero when a check fails or the file is missing.
 *
 * Usage: npm run check:real [-- path/to/cc-general.csv]
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ingestCsv } from '../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../src/analytics/segment/segment-customers.js';
import type { SegmentationResult } from '../src/analytics/types.js';
import { formatSummary } from '../src/cli/format-summary.js';
import { userMessage } from '../src/errors.js';

const DEFAULT_PATH = fileURLToPath(new URL('../../shared/data/cc-general.csv', import.meta.url));
/** scikit-learn 1.2 KMeans(n_clusters=4, n_init=10) on the same preprocessing reaches this inertia. */
const SKLEARN_K4_INERTIA = 99_062;

const failures: string[] = [];

function check(condition: boolean, description: string): void {
  console.log(`${condition ? 'ok  ' : 'FAIL'}  ${description}`);
  if (!condition) failures.push(description);
}

function imputedCount(result: SegmentationResult, column: string): number {
  const spec = result.transform.features.find((f) => f.kind === 'numeric' && f.column === column);
  return spec?.kind === 'numeric' ? spec.imputed : -1;
}

function checkCommon(result: SegmentationResult, label: string): void {
  const names = result.segments.map((s) => s.name);
  check(result.labels.length === 8950 && result.customerIds.length === 8950, `${label}: 8,950 assignments`);
  check(new Set(names).size === names.length, `${label}: segment names are unique (${names.join(', ')})`);
  check(
    result.segments.every((s) => s.actions.length >= 1 && s.actions.length <= 3 && s.traits.length >= 3),
    `${label}: every segment has 3+ traits and 1-3 actions`,
  );
  check(imputedCount(result, 'MINIMUM_PAYMENTS') === 313, `${label}: 313 MINIMUM_PAYMENTS imputed`);
  check(imputedCount(result, 'CREDIT_LIMIT') === 1, `${label}: 1 CREDIT_LIMIT imputed`);
}

async function main(): Promise<number> {
  const path = process.argv[2] ?? DEFAULT_PATH;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    console.error(
      `Cannot read ${path}.\nThe real-data check needs the Kaggle "CC GENERAL" file there (or pass its path: npm run check:real -- file.csv).`,
    );
    return 2;
  }

  let started = performance.now();
  const ingest = await ingestCsv(bytes, { fileName: 'cc-general.csv' });
  console.log(`ingest: ${Math.round(performance.now() - started)} ms`);
  check(ingest.table.rowCount === 8950, `8,950 rows (got ${ingest.table.rowCount})`);
  check(ingest.schema.idColumn === 'CUST_ID', `CUST_ID is the id column (got ${ingest.schema.idColumn})`);
  check(
    ingest.schema.columns.filter((c) => c.role === 'numeric').length === 17,
    '17 numeric behaviour columns',
  );

  console.log('\n=== k = auto, log auto ===\n');
  started = performance.now();
  const auto = segmentCustomers(ingest, { k: 'auto', seed: 42, log: 'auto' });
  console.log(formatSummary(auto));
  console.log(`segment (k auto): ${Math.round(performance.now() - started)} ms`);
  check(auto.k >= 2 && auto.k <= 10, `auto k in 2..10 (got ${auto.k})`);
  check(auto.kSelection?.scores.length === 9, 'auto: a silhouette and inertia for each k in 2..10');
  checkCommon(auto, 'auto');

  console.log('\n=== k = 4, log none, 10 restarts ===\n');
  started = performance.now();
  const four = segmentCustomers(ingest, { k: 4, seed: 42, log: 'none', nInit: 10 });
  console.log(formatSummary(four));
  console.log(`segment (k 4): ${Math.round(performance.now() - started)} ms`);
  check(
    four.inertia <= SKLEARN_K4_INERTIA,
    `k=4 inertia ${four.inertia.toFixed(1)} <= ${SKLEARN_K4_INERTIA.toLocaleString('en-US')} (scikit-learn)`,
  );
  check(
    four.transform.features.every((f) => f.kind !== 'numeric' || !f.log1p),
    'k=4: no log transform',
  );
  checkCommon(four, 'k=4');

  console.log(failures.length === 0 ? '\nAll checks passed.' : `\n${failures.length} check(s) failed.`);
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(userMessage(error));
    process.exitCode = 1;
  },
);
