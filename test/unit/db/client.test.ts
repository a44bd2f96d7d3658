import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMigrationsFolder, openDatabase } from '../../../db/client.js';
import { createDatasetStore } from '../../../db/repositories/dataset-store.js';
import { buildIngest } from './build-ingest.js';

const TABLES = [
  'admins',
  'alert_settings',
  'allowed_channels',
  'assignments',
  'campaign_members',
  'campaigns',
  'change_threads',
  'customers',
  'dataset_columns',
  'datasets',
  'digest_ledger',
  'digest_schedules',
  'jobs',
  'models',
  'request_ledger',
  'run_segments',
  'runs',
  'suppression_entries',
];

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'segbot-db-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tableNames(sqlite: { prepare(sql: string): { all(): unknown[] } }): string[] {
  return (
    sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[]
  )
    .map((r) => r.name)
    .filter((name) => !name.startsWith('__drizzle'));
}

describe('openDatabase', () => {
  it('finds the migrations folder next to package.json', () => {
    const folder = defaultMigrationsFolder();
    expect(folder.endsWith(join('db', 'migrations'))).toBe(true);
    expect(existsSync(join(folder, 'meta', '_journal.json'))).toBe(true);
  });

  it('creates every table on a fresh file database, in a directory it creates', () => {
    const path = join(tempDir(), 'nested', 'deeper', 'segbot.sqlite');
    const database = openDatabase(path);
    try {
      expect(existsSync(path)).toBe(true);
      expect(tableNames(database.sqlite)).toEqual(TABLES);
      expect(database.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(database.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      // 2 = FULL
      expect(database.sqlite.pragma('synchronous', { simple: true })).toBe(2);
      expect(database.sqlite.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    } finally {
      database.close();
    }
  });

  it('reopens an existing database with its data and without re-running migrations', async () => {
    const path = join(tempDir(), 'segbot.sqlite');
    const first = openDatabase(path);
    const saved = await createDatasetStore(first).saveDataset({
      channelId: 'C1',
      userId: 'U1',
      ingest: buildIngest({ rows: 50 }),
    });
    const applied = first.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as {
      n: number;
    };
    first.close();
    first.close(); // idempotent

    const second = openDatabase(path);
    try {
      const again = second.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as {
        n: number;
      };
      expect(again.n).toBe(applied.n);
      expect(applied.n).toBeGreaterThan(0);
      const store = createDatasetStore(second);
      expect(await store.latestDataset('C1')).toEqual(saved);
      expect((await store.loadTable(saved.id)).rowCount).toBe(50);
    } finally {
      second.close();
    }
  });

  it('gives an in-memory database for tests', () => {
    const database = openDatabase(':memory:');
    try {
      expect(tableNames(database.sqlite)).toEqual(TABLES);
      expect(database.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      database.close();
    }
  });

  it('fails clearly when the migrations folder is missing, and leaves no open handle', () => {
    expect(() => openDatabase(':memory:', { migrationsFolder: join(tempDir(), 'nowhere') })).toThrow();
  });
});
