/**
 * Storage benchmark: 1,000,000 generated customers (CC GENERAL schema, 18 columns) stored as a
 * dataset version, loaded back and forgotten, on each back end:
 *
 * - SQLite: a temporary file opened as the bot opens it (WAL);
 * - PostgreSQL: the database at SEGBOT_BENCH_DATABASE_URL, or else a throwaway PostgreSQL 15 cluster
 *   started here in a temporary directory on a free local port (as `.ci/run` does) and removed at
 *   the end. Without either, the PostgreSQL rows say why they were not measured.
 *
 * The load is checked against what was stored (row count, a column's sum, the ids), so a fast
 * but wrong back end cannot pass. Store is the repository's `saveDataset` on the calling thread
 * (the bot's SQLite path runs the same code on a worker thread).
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../db/client.js';
import { openPostgresDatabase, type StorageDatabase } from '../../db/client-pg.js';
import { createDatasetStore } from '../../db/repositories/dataset-store.js';
import { forgetChannel } from '../../db/repositories/forget-channel.js';
import { ingestCsv } from '../../src/analytics/ingest/ingest-csv.js';
import type { IngestResult, Table } from '../../src/analytics/types.js';
import { timed } from './forest.js';
import { syntheticCsvFile } from './segmentation.js';

const ROWS = 1_000_000;
const CHANNEL = 'CBENCHSTORE';
const PG_BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** What a load must give back: the row count, one numeric column's sum and the first and last ids. */
function digest(table: Table): string {
  const numeric = table.columns.find((c) => c.kind === 'numeric');
  const text = table.columns.find((c) => c.kind === 'text');
  let sum = 0;
  if (numeric?.kind === 'numeric') for (const v of numeric.values) if (!Number.isNaN(v)) sum += v;
  const ids = text?.kind === 'text' ? `${text.values[0]}…${text.values[text.values.length - 1]}` : '';
  return `${table.rowCount} rows, sum ${sum.toFixed(2)}, ${ids}`;
}

async function measure(name: string, database: StorageDatabase, ingest: IngestResult): Promise<void> {
  const datasets = createDatasetStore(database);
  const expected = digest(ingest.table);
  const store = await timed(() => datasets.saveDataset({ channelId: CHANNEL, userId: 'UBENCH', ingest }));
  const load = await timed(() => datasets.loadTable(store.value.id));
  const loaded = digest(load.value);
  if (loaded !== expected)
    throw new Error(`${name}: the loaded table differs (${loaded}; stored ${expected})`);
  const forget = await timed(() => forgetChannel(database, CHANNEL));
  if (forget.value.customers !== ROWS) {
    throw new Error(`${name}: forget removed ${forget.value.customers} customers, not ${ROWS}`);
  }
  console.log(
    `${name.padEnd(38)} store ${seconds(store.ms).padStart(8)}   load ${seconds(load.ms).padStart(8)}   forget ${seconds(forget.ms).padStart(8)}   (load checked: ${loaded})`,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway cluster, as `.ci/run` starts one: trust auth on loopback, fsync off. */
async function startThrowawayPostgres(): Promise<{ url: string; stop: () => void } | string> {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    return `no PostgreSQL server in ${PG_BIN} and SEGBOT_BENCH_DATABASE_URL not set`;
  }
  const dir = mkdtempSync(join(tmpdir(), 'segbot-bench-pg-'));
  const root = process.getuid?.() === 0;
  // initdb and postgres refuse to run as root: as root, the server runs as the postgres user.
  const run = (command: string, args: string[]) =>
    root
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args], { encoding: 'utf8' })
      : spawnSync(join(PG_BIN, command), args, { encoding: 'utf8' });
  if (root) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(ids.stdout.trim()), Number(gid.stdout.trim()));
  }
  const data = join(dir, 'data');
  const stop = () => {
    run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  const init = run('initdb', ['-D', data, '-U', 'segbot', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  if (init.status !== 0) {
    stop();
    return `initdb failed: ${(init.stderr || init.stdout).trim().split('\n')[0]}`;
  }
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const started = run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', options, 'start']);
  if (started.status !== 0) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
    stop();
    return `the server did not start: ${log.trim().split('\n').at(-1) ?? ''}`;
  }
  return { url: `postgres://segbot@127.0.0.1:${port}/postgres`, stop };
}

/** Prints store, load and forget times of a million customers on SQLite and on PostgreSQL. */
export async function benchStorage(): Promise<void> {
  const csv = readFileSync(syntheticCsvFile(ROWS));
  const ingest = await ingestCsv(csv, { fileName: 'customers.csv' });
  console.log(
    `\nstorage: ${ROWS.toLocaleString('en-US')} customers × ${ingest.table.columns.length} columns (${(csv.length / 1e6).toFixed(0)} MB of CSV), stored as one dataset version, loaded back, forgotten`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'segbot-bench-sqlite-'));
  const sqlite = openDatabase(join(dir, 'segbot.db'));
  try {
    await measure('SQLite (file, WAL)', sqlite, ingest);
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const given = process.env['SEGBOT_BENCH_DATABASE_URL'];
  const server = given ? { url: given, stop: () => {} } : await startThrowawayPostgres();
  if (typeof server === 'string') {
    console.log(`PostgreSQL                             not measured: ${server}`);
    return;
  }
  try {
    // Its own schema, so an existing database's tables are never touched; dropped afterwards.
    const schema = `segbot_bench_${process.pid}`;
    const pg = await openPostgresDatabase(server.url, { schema });
    try {
      await measure(
        given ? 'PostgreSQL (SEGBOT_BENCH_DATABASE_URL)' : 'PostgreSQL 15 (throwaway, fsync off)',
        pg,
        ingest,
      );
      await pg.pool.query(`DROP SCHEMA ${schema} CASCADE`);
    } finally {
      await pg.close();
    }
  } finally {
    server.stop();
  }
}
