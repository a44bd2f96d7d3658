/** The schedule, ledger, alert and change-thread repository on PostgreSQL (see ../schedule-store.ts). */
import { and, asc, desc, eq, isNull, lte, or } from 'drizzle-orm';
import type { SegbotPgDatabase } from '../../client-pg.js';
import { alertSettings, changeThreads, digestLedger, digestSchedules } from '../../schema-pg.js';
import {
  DEFAULT_ALERT_THRESHOLD_PP,
  type DigestSchedule,
  type ScheduleStore,
  type ScheduleStoreOptions,
  SOLE_CLAIMANT,
} from '../schedule-store.js';

export function createPgScheduleStore(
  database: SegbotPgDatabase,
  options: ScheduleStoreOptions = {},
): ScheduleStore {
  const { db } = database;
  const now = options.now ?? (() => new Date());
  const first = <T>(rows: T[]): T | null => rows[0] ?? null;
  const ledgerKey = (channelId: string, periodKey: string) =>
    and(eq(digestLedger.channelId, channelId), eq(digestLedger.periodKey, periodKey));

  const getSchedule = async (channelId: string): Promise<DigestSchedule | null> =>
    first(await db.select().from(digestSchedules).where(eq(digestSchedules.channelId, channelId)));

  return {
    async setSchedule(input) {
      const values = { ...input, pullSource: input.pullSource ?? null, createdAt: now() };
      const [row] = await db
        .insert(digestSchedules)
        .values(values)
        .onConflictDoUpdate({ target: digestSchedules.channelId, set: values })
        .returning();
      return row!;
    },
    getSchedule,
    async removeSchedule(channelId) {
      return (
        (await db.delete(digestSchedules).where(eq(digestSchedules.channelId, channelId)).returning())
          .length > 0
      );
    },
    async listSchedules() {
      return db.select().from(digestSchedules).orderBy(asc(digestSchedules.channelId));
    },

    async claimDigest({ channelId, periodKey, late = false, claimant = SOLE_CLAIMANT }) {
      const leaseUntil = new Date(now().getTime() + claimant.leaseMs);
      // The primary key (channel_id, period_key) is the arbiter across instances: one insert wins.
      const inserted = await db
        .insert(digestLedger)
        .values({ channelId, periodKey, postedAt: now(), late, claimedBy: claimant.owner, leaseUntil })
        .onConflictDoNothing()
        .returning({ channelId: digestLedger.channelId });
      if (inserted.length === 1) return 'claimed';
      // One conditional UPDATE takes a lapsed claim over: the row lock lets only the first through.
      const takenOver = await db
        .update(digestLedger)
        .set({ claimedBy: claimant.owner, leaseUntil })
        .where(
          and(
            ledgerKey(channelId, periodKey),
            isNull(digestLedger.messageTs),
            or(
              eq(digestLedger.claimedBy, claimant.owner),
              isNull(digestLedger.leaseUntil),
              lte(digestLedger.leaseUntil, now()),
            ),
          ),
        )
        .returning({ channelId: digestLedger.channelId });
      if (takenOver.length === 1) return 'pending';
      const existing = first(
        await db
          .select({ messageTs: digestLedger.messageTs })
          .from(digestLedger)
          .where(ledgerKey(channelId, periodKey)),
      );
      return existing?.messageTs ? 'posted' : 'busy';
    },
    async renewDigest(channelId, periodKey, claimant) {
      await db
        .update(digestLedger)
        .set({ leaseUntil: new Date(now().getTime() + claimant.leaseMs) })
        .where(
          and(
            ledgerKey(channelId, periodKey),
            eq(digestLedger.claimedBy, claimant.owner),
            isNull(digestLedger.messageTs),
          ),
        );
    },
    async confirmDigest(channelId, periodKey, messageTs) {
      await db
        .update(digestLedger)
        .set({ messageTs, postedAt: now() })
        .where(ledgerKey(channelId, periodKey));
    },
    async releaseDigest(channelId, periodKey) {
      const released = await db
        .delete(digestLedger)
        .where(and(ledgerKey(channelId, periodKey), isNull(digestLedger.messageTs)))
        .returning();
      return released.length > 0;
    },
    async getLedgerEntry(channelId, periodKey) {
      return first(await db.select().from(digestLedger).where(ledgerKey(channelId, periodKey)));
    },
    async lastDigest(channelId) {
      return first(
        await db
          .select()
          .from(digestLedger)
          .where(eq(digestLedger.channelId, channelId))
          .orderBy(desc(digestLedger.postedAt))
          .limit(1),
      );
    },
    async unconfirmedDigests() {
      return db
        .select()
        .from(digestLedger)
        .where(isNull(digestLedger.messageTs))
        .orderBy(asc(digestLedger.postedAt));
    },

    async getAlertThreshold(channelId) {
      const row = first(
        await db
          .select({ thresholdPp: alertSettings.thresholdPp })
          .from(alertSettings)
          .where(eq(alertSettings.channelId, channelId)),
      );
      return row?.thresholdPp ?? DEFAULT_ALERT_THRESHOLD_PP;
    },
    async setAlertThreshold(channelId, thresholdPp, userId) {
      const values = { channelId, thresholdPp, updatedBy: userId, updatedAt: now() };
      await db
        .insert(alertSettings)
        .values(values)
        .onConflictDoUpdate({ target: alertSettings.channelId, set: values });
    },

    async recordChangeThread(input) {
      const [row] = await db
        .insert(changeThreads)
        .values({ ...input, createdAt: now() })
        .returning();
      return row!;
    },
    async findChangeThread(channelId, threadTs) {
      return first(
        await db
          .select()
          .from(changeThreads)
          .where(and(eq(changeThreads.channelId, channelId), eq(changeThreads.threadTs, threadTs))),
      );
    },
    async changeThreadForRun(channelId, runId) {
      return first(
        await db
          .select()
          .from(changeThreads)
          .where(and(eq(changeThreads.channelId, channelId), eq(changeThreads.runId, runId)))
          .orderBy(desc(changeThreads.id))
          .limit(1),
      );
    },
  };
}
