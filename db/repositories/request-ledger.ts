/**
 * The request ledger: which deliveries segbot has already accepted, so a retried event, a replayed
 * signed request or a file shared again is not worked on twice.
 *
 * The interface is asynchronous although SQLite answers at once, so a PostgreSQL ledger shared by
 * several instances (INSERT … ON CONFLICT on the same table) can implement it unchanged.
 */
import { eq, lte } from 'drizzle-orm';
import { type DatabaseHandle, resolveHandle, writeWhenUnlocked } from '../client.js';
import { isPostgres, type SegbotPgDatabase, type StorageDatabase } from '../client-pg.js';
import { requestLedger } from '../schema.js';
import { requestLedger as pgRequestLedger } from '../schema-pg.js';

export interface RequestLedger {
  /**
   * Records `key` until `expiresAt` and resolves true, or resolves false when the key is already
   * recorded and not yet expired. Atomic: of two concurrent claims of one key, exactly one wins.
   */
  claim(key: string, expiresAt: Date): Promise<boolean>;
  /** Frees a key early (work that failed may be tried again). */
  release(key: string): Promise<void>;
  /** Deletes expired keys; resolves with how many. */
  prune(): Promise<number>;
}

export interface RequestLedgerOptions {
  /** Real time, not the app's movable clock: the windows follow Slack's retries and signatures. */
  now?: () => Date;
  /** Expired keys are deleted at most this often, by the first claim after it (default one minute). */
  pruneEveryMs?: number;
}

/** The ledger in segbot's SQLite database (table `request_ledger`). */
export function createSqliteRequestLedger(
  handle: DatabaseHandle,
  options: RequestLedgerOptions = {},
): RequestLedger {
  const { db, sqlite } = resolveHandle(handle);
  const now = options.now ?? (() => new Date());
  const pruneEveryMs = options.pruneEveryMs ?? 60_000;
  let lastPrune = Number.NEGATIVE_INFINITY;

  const prune = (): number => {
    lastPrune = now().getTime();
    return db.delete(requestLedger).where(lte(requestLedger.expiresAt, now())).run().changes;
  };

  return {
    // Every signed request is claimed here: a write lock held by the save worker must not block them.
    claim(key, expiresAt) {
      return writeWhenUnlocked(sqlite, () => claimNow(key, expiresAt));
    },
    async release(key) {
      await writeWhenUnlocked(sqlite, () => db.delete(requestLedger).where(eq(requestLedger.key, key)).run());
    },
    prune() {
      return writeWhenUnlocked(sqlite, prune);
    },
  };

  function claimNow(key: string, expiresAt: Date): boolean {
    if (now().getTime() - lastPrune >= pruneEveryMs) prune();
    // One statement: a new key is inserted; an expired one is taken over; a live one is left as it
    // is and no row changes, which is the "already claimed" answer.
    const changes = db
      .insert(requestLedger)
      .values({ key, expiresAt })
      .onConflictDoUpdate({
        target: requestLedger.key,
        set: { expiresAt },
        where: lte(requestLedger.expiresAt, now()),
      })
      .run().changes;
    return changes > 0;
  }
}

/** A ledger in memory, for tests and tools that have no database. */
export function createMemoryRequestLedger(options: Pick<RequestLedgerOptions, 'now'> = {}): RequestLedger {
  const now = options.now ?? (() => new Date());
  const keys = new Map<string, number>();
  const prune = (): number => {
    let removed = 0;
    for (const [key, expires] of keys) {
      if (expires <= now().getTime()) {
        keys.delete(key);
        removed += 1;
      }
    }
    return removed;
  };
  return {
    async claim(key, expiresAt) {
      const expires = keys.get(key);
      if (expires !== undefined && expires > now().getTime()) return false;
      keys.set(key, expiresAt.getTime());
      return true;
    },
    async release(key) {
      keys.delete(key);
    },
    async prune() {
      return prune();
    },
  };
}

/** The ledger in PostgreSQL (table `request_ledger`), shared by every instance on the database. */
export function createPgRequestLedger(
  database: SegbotPgDatabase,
  options: RequestLedgerOptions = {},
): RequestLedger {
  const { db } = database;
  const now = options.now ?? (() => new Date());
  const pruneEveryMs = options.pruneEveryMs ?? 60_000;
  let lastPrune = Number.NEGATIVE_INFINITY;

  const prune = async (): Promise<number> => {
    lastPrune = now().getTime();
    return (await db.delete(pgRequestLedger).where(lte(pgRequestLedger.expiresAt, now())).returning()).length;
  };

  return {
    async claim(key, expiresAt) {
      if (now().getTime() - lastPrune >= pruneEveryMs) await prune();
      // As on SQLite, one statement decides: of concurrent claims, across instances, one changes a row.
      const claimed = await db
        .insert(pgRequestLedger)
        .values({ key, expiresAt })
        .onConflictDoUpdate({
          target: pgRequestLedger.key,
          set: { expiresAt },
          where: lte(pgRequestLedger.expiresAt, now()),
        })
        .returning({ key: pgRequestLedger.key });
      return claimed.length > 0;
    },
    async release(key) {
      await db.delete(pgRequestLedger).where(eq(pgRequestLedger.key, key));
    },
    prune,
  };
}

/** The request ledger of whichever database the app opened. */
export function createRequestLedger(
  database: StorageDatabase,
  options: RequestLedgerOptions = {},
): RequestLedger {
  return isPostgres(database)
    ? createPgRequestLedger(database, options)
    : createSqliteRequestLedger(database, options);
}
