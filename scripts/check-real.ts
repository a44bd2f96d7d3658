/**
 * `npm run check:real`: segments the real CC GENERAL credit-card file (8,950 customers) twice, with
 * k chosen automatically and with k = 4 without log transform, then the real churn-modelling table
 * (10,000 customers of a European bank: row numbers, surnames, yes/no columns, an outcome, gaps)
 * with k chosen automatically. Prints the summaries and checks what is known for these files, and
 * the agreement (normalized mutual information) between segments and each categorical column.
 * Exits non-zero when a check fails or a file is missing.
 *
 * Usage: npm run check:real [-- path/to/cc-general.csv [path/to/churn-modelling.csv]]
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ingestCsv } from '../src/analytics/ingest/ingest-csv.js';
import { segmentCustomers } from '../src/analytics/segment/segment-customers.js';
import type { SegmentationResult } from '../src/analytics/types.js';
import { formatSummary } from '../src/cli/format-summary.js';
import { userMessage } from '../src/errors.js';

const DEFAULT_PATH = fileURLToPath(new URL('../../shared/data/cc-general.csv', import.meta.url));
const DEFAULT_CHURN_PATH = fileURLToPath(new URL('../../shared/data/churn-modelling.csv', import.meta.url));
/** Columns of the churn table that must never be clustered on by default, and why. */
const CHURN_NOT_FEATURES = ['RowNumber', 'CustomerId', 'Surname', 'HasCrCard', 'IsActiveMember', 'Exited'];
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
  // BALANCE on a card is money owed: no segment is offered savings on it.
  const savings = result.segments.filter((s) =>
    s.actions.some((a) => /savings or investment/i.test(a.title)),
  );
  check(
    savings.length === 0,
    `${label}: no savings play on a card balance (${savings.map((s) => s.name).join(', ') || 'none offered'})`,
  );
  check(imputedCount(result, 'MINIMUM_PAYMENTS') === 313, `${label}: 313 MINIMUM_PAYMENTS imputed`);
  check(imputedCount(result, 'CREDIT_LIMIT') === 1, `${label}: 1 CREDIT_LIMIT imputed`);
}

async function readTable(path: string, what: string): Promise<Uint8Array | null> {
  try {
    return await readFile(path);
  } catch {
    console.error(
      `Cannot read ${path}.\nThe real-data check needs the ${what} file there (or pass its path: npm run check:real -- cc-general.csv churn-modelling.csv).`,
    );
    return null;
  }
}

/** The churn table: roles that hold on a schema segbot was not built around. */
async function checkChurn(bytes: Uint8Array): Promise<void> {
  console.log('\n=== churn-modelling.csv, k = auto ===\n');
  const started = performance.now();
  const ingest = await ingestCsv(bytes, { fileName: 'churn-modelling.csv' });
  const result = segmentCustomers(ingest, { k: 'auto', seed: 42 });
  console.log(formatSummary(result));
  console.log(`ingest + segment (k auto): ${Math.round(performance.now() - started)} ms`);
  check(result.k >= 3 && result.k <= 8, `churn: auto k in 3..8 (got ${result.k})`);
  const used = CHURN_NOT_FEATURES.filter((column) => result.params.features.includes(column));
  check(
    used.length === 0,
    `churn: ids, row numbers, names and yes/no columns are not features (${used.join(', ') || 'none used'})`,
  );
  const names = result.segments.map((s) => s.name);
  check(new Set(names).size === names.length, `churn: segment names are unique (${names.join(', ')})`);
  check(!names.includes('Revolvers'), 'churn: no credit-card persona on a deposit balance');
  for (const { column, nmi } of result.params.categoryAgreement) {
    check(
      nmi <= 0.5,
      `churn: segments do not reproduce ${column} (normalized mutual information ${nmi.toFixed(2)} <= 0.5)`,
    );
  }
  check(result.params.categoryAgreement.length > 0, 'churn: agreement measured for the categorical columns');
  const notes = result.quality.notes.join('\n');
  const dropped = result.quality.dropped.map((d) => d.name);
  check(
    dropped.includes('RowNumber') && dropped.includes('Surname'),
    'churn: the quality report lists the row number and the surname as dropped, with the reason',
  );
  check(/missing/.test(notes), 'churn: the quality notes name the missing values');
  // A group that left well above the overall rate is offered retention before anything else, and
  // no segment is told "no product in the playbook targets this group" while its numbers say more.
  for (const segment of result.segments) {
    const exited = segment.traits.find((t) => t.feature === 'Exited' && t.flag !== undefined);
    const leaves = exited?.flag !== undefined && exited.flag.share >= 1.25 * exited.flag.overall;
    const first = segment.actions[0]?.title ?? '';
    check(
      leaves === (first === 'Retention contact before they leave'),
      `churn: ${segment.name} ${leaves ? 'leaves more and is offered retention first' : 'is not offered retention'} (${first})`,
    );
  }
  const broad = result.segments.filter((s) => /no product in the playbook/.test(s.actions[0]?.reason ?? ''));
  check(
    broad.length === 0,
    `churn: every segment's first action rests on its own numbers (${broad.length} broad)`,
  );
}

async function main(): Promise<number> {
  const path = process.argv[2] ?? DEFAULT_PATH;
  const churnPath = process.argv[3] ?? DEFAULT_CHURN_PATH;
  const bytes = await readTable(path, 'Kaggle "CC GENERAL"');
  const churnBytes = await readTable(churnPath, 'churn-modelling');
  if (!bytes || !churnBytes) return 2;

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
  check(auto.k >= 3 && auto.k <= 8, `auto k in 3..8 (got ${auto.k})`);
  check(auto.kSelection?.scores.length === 6, 'auto: a silhouette and inertia for each k in 3..8');
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

  await checkChurn(churnBytes);

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
