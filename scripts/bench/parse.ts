/**
 * Parse benchmark: the byte-level fast path against the general csv-parse path on the same
 * bytes. `benchParse` is called by the main bench; run this file directly with a CSV path to time
 * one file (`tsx scripts/bench/parse.ts customers.csv`).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseCsv } from '../../src/analytics/ingest/index.js';

/** One timed parse: wall-clock and CPU milliseconds (CPU time is steadier on a busy machine). */
export interface ParseTiming {
  path: string;
  ms: number;
  cpuMs: number;
  rows: number;
}

/** Times both parsers on `buffer` (fast path first), checking they agree on the row count. */
export async function benchParse(buffer: Buffer): Promise<ParseTiming[]> {
  const rows: ParseTiming[] = [];
  for (const parser of ['auto', 'general'] as const) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const parsed = await parseCsv(buffer, { fileName: 'bench.csv', parser });
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const rowCount = parsed.table.rowCount;
    if (rows.length > 0 && rows[0]!.rows !== rowCount) throw new Error('parsers disagree on the row count');
    const path = parsed.parser === 'fast' ? 'fast (byte scanner)' : 'general (csv-parse stream)';
    rows.push({ path, ms, cpuMs: (used.user + used.system) / 1000, rows: rowCount });
  }
  return rows;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) {
    console.error('usage: tsx scripts/bench/parse.ts <file.csv>');
    process.exitCode = 2;
    return;
  }
  const buffer = readFileSync(file);
  for (const row of await benchParse(buffer)) {
    const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
    console.log(
      `${row.path.padEnd(28)} ${row.rows} rows  wall ${row.ms.toFixed(0).padStart(6)} ms  cpu ${row.cpuMs.toFixed(0).padStart(6)} ms  rss ${rss} MB`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
