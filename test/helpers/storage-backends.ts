/**
 * The storage back ends the repository tests run against. `npm test` runs them on SQLite (in
 * memory); `npm run test:pg` sets SEGBOT_TEST_BACKENDS=postgres and runs the same tests on
 * PostgreSQL, each in a schema of its own (test-postgres.ts).
 */
import { openDatabase } from '../../db/client.js';
import { isPostgres, type StorageDatabase } from '../../db/client-pg.js';
import { openTestPostgres } from './test-postgres.js';

export interface StorageBackend {
  name: 'sqlite' | 'postgres';
  open(): Promise<StorageDatabase>;
}

const BACKENDS: Record<StorageBackend['name'], StorageBackend> = {
  sqlite: { name: 'sqlite', open: async () => openDatabase(':memory:') },
  postgres: { name: 'postgres', open: () => openTestPostgres() },
};

/** The back ends named in SEGBOT_TEST_BACKENDS (comma-separated), SQLite when unset. */
export function storageBackends(): StorageBackend[] {
  const names = (process.env.SEGBOT_TEST_BACKENDS ?? 'sqlite').split(',').map((name) => name.trim());
  return names.map((name) => {
    const backend = BACKENDS[name as StorageBackend['name']];
    if (!backend) throw new Error(`SEGBOT_TEST_BACKENDS: unknown back end "${name}" (sqlite, postgres)`);
    return backend;
  });
}

/** Rows in a table, on either back end. */
export async function countRows(database: StorageDatabase, table: string): Promise<number> {
  if (isPostgres(database)) {
    const result = await database.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(result.rows[0]!.n);
  }
  return (database.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** Runs one SQL statement directly, on either back end (for checks the repositories do not offer). */
export async function execute(database: StorageDatabase, statement: string): Promise<void> {
  if (isPostgres(database)) await database.pool.query(statement);
  else database.sqlite.prepare(statement).run();
}
