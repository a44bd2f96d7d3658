/**
 * Opens segbot's PostgreSQL database (SEGBOT_DATABASE_URL) and brings its schema up to date, the
 * PostgreSQL twin of client.ts. Several segbot processes may share one database, so migrations run
 * under an advisory lock: the first process applies them and the others wait, then find nothing to do.
 */
import { dirname, join } from 'node:path';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { type DatabaseHandle, defaultMigrationsFolder, type SegbotDatabase } from './client.js';
import * as schema from './schema-pg.js';

/** The drizzle handle of the PostgreSQL repositories; `$client` is the node-postgres pool. */
export type SegbotPgDrizzle = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** An open PostgreSQL database: drizzle for typed queries, the pool for bulk work and transactions. */
export interface SegbotPgDatabase {
  dialect: 'postgres';
  db: SegbotPgDrizzle;
  pool: pg.Pool;
  /** The schema segbot's tables live in ('public' unless chosen). */
  schema: string;
  /** Ends the pool's connections (idempotent). */
  close(): Promise<void>;
}

export interface OpenPostgresOptions {
  /** The schema for segbot's tables, created if missing (tests give each run its own). */
  schema?: string;
  /** Where the PostgreSQL migrations live; db/migrations-pg under the project root by default. */
  migrationsFolder?: string;
  /** Connections in the pool (default 10). */
  maxConnections?: number;
}

/** An arbitrary constant: the advisory lock key migrations run under. */
const MIGRATION_LOCK = 727_170_001;

/** True for a PostgreSQL connection URL (postgres:// or postgresql://). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Connects to `url`, applies pending migrations and returns the database. Fails with the server's
 * own reason (unreachable, authentication) when it cannot connect; the URL, which may hold a
 * password, is not part of any message.
 */
export async function openPostgresDatabase(
  url: string,
  options: OpenPostgresOptions = {},
): Promise<SegbotPgDatabase> {
  const schemaName = options.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schemaName)) throw new Error(`not a plain schema name: ${schemaName}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // Unqualified table names resolve to segbot's schema on every connection of the pool.
    options: `-c search_path=${schemaName}`,
  });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schemaName}`);
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await migrate(drizzle({ client, schema }), {
          migrationsFolder: options.migrationsFolder ?? defaultPgMigrationsFolder(),
          migrationsSchema: schemaName,
        });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = drizzle({ client: pool, schema }) as SegbotPgDrizzle;
  let closed: Promise<void> | null = null;
  return {
    dialect: 'postgres',
    db,
    pool,
    schema: schemaName,
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}

/** db/migrations-pg, next to db/migrations. */
export function defaultPgMigrationsFolder(): string {
  return join(dirname(defaultMigrationsFolder()), 'migrations-pg');
}

/**
 * Runs `work` in one transaction on one connection of the pool, with drizzle and the raw client
 * (for bulk statements) over that connection: committed if it resolves, rolled back if it throws.
 */
export async function inTransaction<T>(
  database: SegbotPgDatabase,
  work: (tx: NodePgDatabase<typeof schema>, client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    const value = await work(drizzle({ client, schema }), client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** What repository factories accept: a SQLite handle (client.ts) or an open PostgreSQL database. */
export type StorageHandle = DatabaseHandle | SegbotPgDatabase;

/** An open database of either kind, as the app holds it. */
export type StorageDatabase = SegbotDatabase | SegbotPgDatabase;

export function isPostgres(handle: StorageHandle): handle is SegbotPgDatabase {
  return 'dialect' in handle && handle.dialect === 'postgres';
}
