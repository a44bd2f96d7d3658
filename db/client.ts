/**
 * Opens segbot's SQLite database and brings its schema up to date.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

/** The drizzle handle the repositories use; `$client` is the raw better-sqlite3 connection. */
export type SegbotDrizzle = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** An open database: drizzle for typed queries, the raw connection for bulk work and pragmas. */
export interface SegbotDatabase {
  dialect: 'sqlite';
  db: SegbotDrizzle;
  sqlite: Database.Database;
  /** Closes the connection (idempotent); a WAL checkpoint happens on close. */
  close(): void;
}

/** What repository factories accept: the object from `openDatabase` or its `db`. */
export type DatabaseHandle = SegbotDatabase | SegbotDrizzle;

export interface OpenDatabaseOptions {
  /** Where the drizzle migrations live; found next to package.json by default. */
  migrationsFolder?: string;
  /** How long a statement waits for another connection's write lock before failing (ms). */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the database at `path`, applies pending migrations and returns it.
 * `':memory:'` gives a private in-memory database, for tests.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SegbotDatabase {
  // Column and label blobs are typed-array bytes in host order; refusing other hosts keeps a
  // database file readable wherever it is opened.
  if (endianness() !== 'LE') throw new Error('segbot needs a little-endian machine to read its database');
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  try {
    // Why these pragmas:
    // 1. WAL: readers never block the writer and a crash mid-transaction leaves the last commit intact.
    // 2. synchronous=FULL: in WAL mode NORMAL is already safe against a killed process, but a power
    //    cut could undo the last commits. segbot commits rarely (an upload, a run, a job update), so
    //    one fsync per commit is cheap, and an upload the bot has confirmed in Slack must not vanish.
    // 3. foreign_keys: SQLite leaves them off per connection unless asked.
    // 4. busy_timeout: a second connection (a CLI next to the bot) waits for the lock, not fails.
    if (!inMemory) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // `/segbot forget` must really forget: deleted rows are overwritten with zeros instead of lingering
    // in free pages of the file (and its write-ahead log) until they happen to be reused.
    sqlite.pragma('secure_delete = ON');
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    const db = drizzle({ client: sqlite, schema });
    migrate(db, { migrationsFolder: options.migrationsFolder ?? defaultMigrationsFolder() });
    let closed = false;
    return {
      dialect: 'sqlite',
      db,
      sqlite,
      close() {
        if (closed) return;
        closed = true;
        sqlite.close();
      },
    };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/** Returns the raw connection and drizzle handle behind either kind of handle. */
export function resolveHandle(handle: DatabaseHandle): { db: SegbotDrizzle; sqlite: Database.Database } {
  if ('sqlite' in handle && 'db' in handle) return { db: handle.db, sqlite: handle.sqlite };
  const db = handle as SegbotDrizzle;
  return { db, sqlite: db.$client };
}

/** How often a write that found the database locked tries again. */
const LOCKED_RETRY_MS = 10;

/**
 * Runs a small write without holding up the thread while another connection (the dataset-save
 * worker, a CLI) holds the write lock: the attempt does not wait inside SQLite, and a locked
 * database is tried again after a turn of the event loop, until the connection's own busy timeout
 * has passed, after which the busy error is thrown as a blocking write would have. Better-sqlite3
 * is synchronous, so with the usual busy_timeout a write on the bot's thread stops every
 * acknowledgement for as long as a million-row save holds the lock.
 */
export async function writeWhenUnlocked<T>(sqlite: Database.Database, write: () => T): Promise<T> {
  const busyTimeoutMs = Number(sqlite.pragma('busy_timeout', { simple: true }));
  const deadline = performance.now() + busyTimeoutMs;
  for (;;) {
    sqlite.pragma('busy_timeout = 0');
    try {
      return write();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || performance.now() >= deadline) throw error;
    } finally {
      sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, LOCKED_RETRY_MS));
  }
}

let cachedMigrationsFolder: string | undefined;

/**
 * db/migrations under the project root. The root is the nearest directory above this module that
 * holds package.json, which works both from db/client.ts (tsx, vitest) and dist/db/client.js.
 */
export function defaultMigrationsFolder(): string {
  if (cachedMigrationsFolder) return cachedMigrationsFolder;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      cachedMigrationsFolder = join(dir, 'db', 'migrations');
      return cachedMigrationsFolder;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find package.json above db/client to locate db/migrations');
    dir = parent;
  }
}
