/**
 * Weekly digest schedules, the ledger of sent digests (exactly once per period), alert thresholds
 * and the threads opened for segment changes.
 */
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { resolveHandle } from '../client.js';
import { isPostgres, type StorageHandle } from '../client-pg.js';
import { alertSettings, changeThreads, digestLedger, digestSchedules, type WeekdayName } from '../schema.js';
import { createPgScheduleStore } from './pg/schedule-store.js';

export type { WeekdayName } from '../schema.js';

/** Share change in percentage points that opens a change thread when a channel has set none. */
export const DEFAULT_ALERT_THRESHOLD_PP = 5;

/** The outcome of `claimDigest`. */
export type DigestClaim = 'claimed' | 'posted' | 'pending';

export interface DigestSchedule {
  channelId: string;
  day: WeekdayName;
  /** "HH:MM" in `timezone`. */
  time: string;
  timezone: string;
  /** The data source pulled before each digest, or null. */
  pullSource: string | null;
  createdBy: string;
  createdAt: Date;
}

export interface DigestLedgerEntry {
  channelId: string;
  periodKey: string;
  postedAt: Date;
  late: boolean;
  /** Null while the digest is claimed but its post is not confirmed. */
  messageTs: string | null;
}

export interface ChangeThreadRecord {
  id: number;
  channelId: string;
  runId: number;
  previousRunId: number | null;
  threadTs: string;
  createdAt: Date;
}

export interface ScheduleStoreOptions {
  now?: () => Date;
}

export interface ScheduleStore {
  /** Creates or replaces the channel's weekly schedule. */
  setSchedule(input: {
    channelId: string;
    day: WeekdayName;
    time: string;
    timezone: string;
    createdBy: string;
    /** A data source to pull before each digest (default: none). */
    pullSource?: string | null;
  }): Promise<DigestSchedule>;
  getSchedule(channelId: string): Promise<DigestSchedule | null>;
  /** Returns true if there was a schedule to remove. */
  removeSchedule(channelId: string): Promise<boolean>;
  /** Every channel's schedule (to arm timers at start-up). */
  listSchedules(): Promise<DigestSchedule[]>;

  /**
   * Claims the digest of one period for a channel (insert-if-absent): 'claimed' for exactly one
   * caller, who must post it and then `confirmDigest`; 'posted' if it was already sent; 'pending'
   * if it was claimed but never confirmed (the process died mid-post, or the post failed).
   */
  claimDigest(input: { channelId: string; periodKey: string; late?: boolean }): Promise<DigestClaim>;
  /** Records the Slack ts of the posted digest (and when it was posted). */
  confirmDigest(channelId: string, periodKey: string, messageTs: string): Promise<void>;
  /** Drops an unconfirmed claim after a failed post. Returns true if a claim was dropped. */
  releaseDigest(channelId: string, periodKey: string): Promise<boolean>;
  getLedgerEntry(channelId: string, periodKey: string): Promise<DigestLedgerEntry | null>;
  /** The channel's most recent digest, by post time. */
  lastDigest(channelId: string): Promise<DigestLedgerEntry | null>;
  /** Claims never confirmed (the process died between claim and post), oldest first. */
  unconfirmedDigests(): Promise<DigestLedgerEntry[]>;

  /** The channel's threshold in percentage points, or DEFAULT_ALERT_THRESHOLD_PP. */
  getAlertThreshold(channelId: string): Promise<number>;
  setAlertThreshold(channelId: string, thresholdPp: number, userId: string): Promise<void>;

  recordChangeThread(input: {
    channelId: string;
    runId: number;
    previousRunId: number | null;
    threadTs: string;
  }): Promise<ChangeThreadRecord>;
  /** The change thread with this ts in this channel, or null (a mention outside one). */
  findChangeThread(channelId: string, threadTs: string): Promise<ChangeThreadRecord | null>;
  /** The thread opened for a run, or null. */
  changeThreadForRun(channelId: string, runId: number): Promise<ChangeThreadRecord | null>;
}

/** Creates the schedule, ledger, alert and change-thread repository over an open database. */
export function createScheduleStore(
  handle: StorageHandle,
  options: ScheduleStoreOptions = {},
): ScheduleStore {
  if (isPostgres(handle)) return createPgScheduleStore(handle, options);
  const { db } = resolveHandle(handle);
  const now = options.now ?? (() => new Date());

  const getSchedule = async (channelId: string): Promise<DigestSchedule | null> =>
    db.select().from(digestSchedules).where(eq(digestSchedules.channelId, channelId)).get() ?? null;

  return {
    async setSchedule(input) {
      const values = { ...input, pullSource: input.pullSource ?? null, createdAt: now() };
      db.insert(digestSchedules)
        .values(values)
        .onConflictDoUpdate({ target: digestSchedules.channelId, set: values })
        .run();
      return (await getSchedule(input.channelId))!;
    },
    getSchedule,
    async removeSchedule(channelId) {
      return db.delete(digestSchedules).where(eq(digestSchedules.channelId, channelId)).run().changes > 0;
    },
    async listSchedules() {
      return db.select().from(digestSchedules).orderBy(asc(digestSchedules.channelId)).all();
    },

    async claimDigest({ channelId, periodKey, late = false }) {
      // The primary key (channel_id, period_key) makes the insert itself the arbiter: of any number
      // of attempts, across restarts and connections, exactly one inserts a row.
      const result = db
        .insert(digestLedger)
        .values({ channelId, periodKey, postedAt: now(), late })
        .onConflictDoNothing()
        .run();
      if (result.changes === 1) return 'claimed';
      const existing = db
        .select({ messageTs: digestLedger.messageTs })
        .from(digestLedger)
        .where(and(eq(digestLedger.channelId, channelId), eq(digestLedger.periodKey, periodKey)))
        .get();
      return existing?.messageTs ? 'posted' : 'pending';
    },
    async confirmDigest(channelId, periodKey, messageTs) {
      db.update(digestLedger)
        .set({ messageTs, postedAt: now() })
        .where(and(eq(digestLedger.channelId, channelId), eq(digestLedger.periodKey, periodKey)))
        .run();
    },
    async releaseDigest(channelId, periodKey) {
      return (
        db
          .delete(digestLedger)
          .where(
            and(
              eq(digestLedger.channelId, channelId),
              eq(digestLedger.periodKey, periodKey),
              isNull(digestLedger.messageTs),
            ),
          )
          .run().changes > 0
      );
    },
    async getLedgerEntry(channelId, periodKey) {
      return (
        db
          .select()
          .from(digestLedger)
          .where(and(eq(digestLedger.channelId, channelId), eq(digestLedger.periodKey, periodKey)))
          .get() ?? null
      );
    },
    async lastDigest(channelId) {
      return (
        db
          .select()
          .from(digestLedger)
          .where(eq(digestLedger.channelId, channelId))
          .orderBy(desc(digestLedger.postedAt))
          .limit(1)
          .get() ?? null
      );
    },
    async unconfirmedDigests() {
      return db
        .select()
        .from(digestLedger)
        .where(isNull(digestLedger.messageTs))
        .orderBy(asc(digestLedger.postedAt))
        .all();
    },

    async getAlertThreshold(channelId) {
      const row = db
        .select({ thresholdPp: alertSettings.thresholdPp })
        .from(alertSettings)
        .where(eq(alertSettings.channelId, channelId))
        .get();
      return row?.thresholdPp ?? DEFAULT_ALERT_THRESHOLD_PP;
    },
    async setAlertThreshold(channelId, thresholdPp, userId) {
      const values = { channelId, thresholdPp, updatedBy: userId, updatedAt: now() };
      db.insert(alertSettings)
        .values(values)
        .onConflictDoUpdate({ target: alertSettings.channelId, set: values })
        .run();
    },

    async recordChangeThread(input) {
      const [row] = db
        .insert(changeThreads)
        .values({ ...input, createdAt: now() })
        .returning()
        .all();
      return row!;
    },
    async findChangeThread(channelId, threadTs) {
      return (
        db
          .select()
          .from(changeThreads)
          .where(and(eq(changeThreads.channelId, channelId), eq(changeThreads.threadTs, threadTs)))
          .get() ?? null
      );
    },
    async changeThreadForRun(channelId, runId) {
      return (
        db
          .select()
          .from(changeThreads)
          .where(and(eq(changeThreads.channelId, channelId), eq(changeThreads.runId, runId)))
          .orderBy(desc(changeThreads.id))
          .limit(1)
          .get() ?? null
      );
    },
  };
}
