/**
 * Transaction aggregation benchmark: a seeded file of about 5,000,000 transaction rows is streamed
 * through segbot's aggregation (in a child process, so its peak RSS is its own) and, when pandas is
 * installed for /usr/bin/python3, through pandas' read_csv + groupby on the same file.
 *
 * `tsx scripts/bench/transactions.ts --child <file>` runs the segbot side alone.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  aggregateTransactions,
  sniffTransactions,
} from '../../src/analytics/transactions/aggregate-transactions.js';
import { generateTransactionCsvChunks } from '../../src/analytics/transactions/generate-transactions.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SELF = fileURLToPath(import.meta.url);
const PYTHON = '/usr/bin/python3';
const PANDAS_SCRIPT = join(ROOT, 'scripts/pandas/aggregate_transactions.py');
/** About 15 transactions per generated customer: this many customers give just over 5,000,000 rows. */
const CUSTOMERS = 332_000;
const SEED = 42;

function writeFile(): { path: string; rows: number } {
  const dir = mkdtempSync(join(tmpdir(), 'segbot-bench-tx-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'transactions.csv');
  const fd = openSync(path, 'w');
  let rows = -1;
  try {
    for (const chunk of generateTransactionCsvChunks({ customers: CUSTOMERS, seed: SEED })) {
      writeSync(fd, chunk);
      for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) rows++;
    }
  } finally {
    closeSync(fd);
  }
  return { path, rows };
}

/** The segbot side, in this process: stream the file, aggregate, print timing and peak RSS. */
async function child(path: string): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const head = await new Promise<Buffer>((resolveHead, reject) => {
    const stream = createReadStream(path, { start: 0, end: 64 * 1024 - 1 });
    const parts: Buffer[] = [];
    stream.on('data', (chunk) => parts.push(chunk as Buffer));
    stream.on('end', () => resolveHead(Buffer.concat(parts)));
    stream.on('error', reject);
  });
  const sniff = sniffTransactions(head);
  if (sniff === null) throw new Error('the generated file was not recognised as transactions');
  const agg = await aggregateTransactions(createReadStream(path, { highWaterMark: 1 << 20 }), sniff, {
    fileName: 'transactions.csv',
  });
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    `RESULT ${ms.toFixed(0)} ${((used.user + used.system) / 1000).toFixed(0)} ${rssMb.toFixed(0)} ${agg.rows} ${agg.customerIds.length}`,
  );
}

function line(name: string, rows: number, ms: number, rssMb: number, note: string): void {
  const perSecond = rows / (ms / 1000);
  console.log(
    `${name.padEnd(40)} ${rows.toLocaleString('en-US').padStart(10)} rows ${(ms / 1000).toFixed(2).padStart(7)} s ${(perSecond / 1e6).toFixed(2).padStart(5)} M rows/s  peak RSS ${String(Math.round(rssMb)).padStart(5)} MB  ${note}`,
  );
}

/** Prints the transaction rows of the bench. */
export async function benchTransactions(): Promise<void> {
  const started = performance.now();
  const { path, rows } = writeFile();
  const mb = statSync(path).size / 1e6;
  console.log(
    `\ntransactions: ${rows.toLocaleString('en-US')} rows of ${CUSTOMERS.toLocaleString('en-US')} customers, ${mb.toFixed(0)} MB (generated in ${((performance.now() - started) / 1000).toFixed(1)} s; not timed below)`,
  );
  const ours = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', path], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const result = /RESULT (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(ours.stdout ?? '');
  if (ours.status !== 0 || !result) {
    console.log(`  (segbot aggregation failed: ${(ours.stderr ?? '').trim().split('\n')[0]?.slice(0, 200)})`);
  } else {
    line(
      'segbot aggregateTransactions (streamed)',
      Number(result[4]),
      Number(result[1]),
      Number(result[3]),
      `${Number(result[5]).toLocaleString('en-US')} customers, cpu ${(Number(result[2]) / 1000).toFixed(1)} s, all 7 features + channel, categories, merchants`,
    );
  }
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import pandas'], { stdio: 'ignore' }).status !== 0) {
    console.log(
      `  (pandas side-by-side skipped: ${PYTHON} with pandas not found; apt-get install python3-pandas)`,
    );
    return;
  }
  const pandas = spawnSync(PYTHON, [PANDAS_SCRIPT, path], { encoding: 'utf8' });
  const p = /TIME ([\d.]+) RSS (\d+) CUSTOMERS (\d+)/.exec(pandas.stdout ?? '');
  if (pandas.status !== 0 || !p) {
    console.log(`  (pandas failed: ${(pandas.stderr ?? '').trim().split('\n').pop()?.slice(0, 200)})`);
    return;
  }
  line(
    'pandas read_csv + groupby.agg',
    rows,
    Number(p[1]) * 1000,
    Number(p[2]),
    `${Number(p[3]).toLocaleString('en-US')} customers, first/last date, count, sum, merchants, recency, tenure, ticket`,
  );
}

if (process.argv[1] === SELF) {
  const at = process.argv.indexOf('--child');
  if (at >= 0) await child(process.argv[at + 1]!);
  else await benchTransactions();
}
