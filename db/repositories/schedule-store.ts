/**
 * Weekly digest schedules, the ledger of sent digests (exactly once per period), alert thresholds
 * and the threads opened for segment changes.
 */
import { and, asc, desc, eq, isNull, lte, or } from 'drizzle-orm';
import { resolveHandle } from '../client.js';
import { isPostgres, type StorageHandle } from '../client-pg.js';
import { alertSettings, changeThreads, digestLedger, digestSchedules, type WeekdayName } from '../schema.js';
import { createPgScheduleStore } from './pg/schedule-store.js';

export type { WeekdayName } from '../schema.js';

/** Share change in percentage points that opens a change thread when a channel has set none. */
export const DEFAULT_ALERT_THRESHOLD_PP = 5;

/**
 * The outcome of `claimDigest`: 'claimed' (new: post it), 'pending' (claimed before and never
 * confirmed, now this caller's: look in Slack before posting), 'posted' (done), or 'busy' (another
 * instance holds it under a live lease and is posting it now).
 */
export type DigestClaim = 'claimed' | 'posted' | 'pending' | 'busy';

/** Who claims a digest and for how long, when several instances share the ledger. */
export interface DigestClaimant {
  /** The instance's name (the same one it uses in the jobs table). */
  owner: string;
  /** How long the claim holds without renewal. */
  leaseMs: number;
}

/** One process on its own: its claims never lapse while it lives. */
export const SOLE_CLAIMANT: DigestClaimant = { owner: 'segbot', leaseMs: 0 };

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
  /** The instance that claimed it last, and until when (null before leases were kept). */
  claimedBy: string | null;
  leaseUntil: Date | null;
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
   * Claims the digest of one period for a channel: the insert of the (channel, period) row is the
   * arbiter, so 'claimed' goes to exactly one caller, who must post it and then `confirmDigest`.
   * An unconfirmed row is taken over ('pending') by its own claimant (a failed post tried again) or
   * by anyone once its lease has run out (the claimant died mid-post); while the lease holds,
   * others get 'busy'. 'posted' once confirmed. Without `claimant`, one process owns every claim.
   */
  claimDigest(input: {
    channelId: string;
    periodKey: string;
    late?: boolean;
    claimant?: DigestClaimant;
  }): Promise<DigestClaim>;
  /** Extends the claimant's lease on an unconfirmed digest while it is being posted. */
  renewDigest(channelId: string, periodKey: string, claimant: DigestClaimant): Promise<void>;
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

    async claimDigest({ channelId, periodKey, late = false, claimant = SOLE_CLAIMANT }) {
      const leaseUntil = new Date(now().getTime() + claimant.leaseMs);
      // The primary key (channel_id, period_key) makes the insert itself the arbiter: of any number
      // of attempts, across restarts and connections, exactly one inserts a row.
      const result = db
        .insert(digestLedger)
        .values({ channelId, periodKey, postedAt: now(), late, claimedBy: claimant.owner, leaseUntil })
        .onConflictDoNothing()
        .run();
      if (result.changes === 1) return 'claimed';
      // One conditional update takes an unconfirmed claim over: of two instances whose leases both
      // saw it lapse, only the first changes the row.
      const takenOver = db
        .update(digestLedger)
        .set({ claimedBy: claimant.owner, leaseUntil })
        .where(
          and(
            eq(digestLedger.channelId, channelId),
            eq(digestLedger.periodKey, periodKey),
            isNull(digestLedger.messageTs),
            or(
              eq(digestLedger.claimedBy, claimant.owner),
              isNull(digestLedger.leaseUntil),
              lte(digestLedger.leaseUntil, now()),
            ),
          ),
        )
        .run();
      if (takenOver.changes === 1) return 'pending';
      const existing = db
        .select({ messageTs: digestLedger.messageTs })
        .from(digestLedger)
        .where(and(eq(digestLedger.channelId, channelId), eq(digestLedger.periodKey, periodKey)))
        .get();
      return existing?.messageTs ? 'posted' : 'busy';
    },
    async renewDigest(channelId, periodKey, claimant) {
      db.update(digestLedger)
        .set({ leaseUntil: new Date(now().getTime() + claimant.leaseMs) })
        .where(
          and(
            eq(digestLedger.channelId, channelId),
            eq(digestLedger.periodKey, periodKey),
            eq(digestLedger.claimedBy, claimant.owner),
            isNull(digestLedger.messageTs),
          ),
        )
        .run();
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
