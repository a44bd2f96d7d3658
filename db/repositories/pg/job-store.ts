/**
 * The jobs table on PostgreSQL (see ../job-store.ts for what each method means). Instances claim
 * with `SELECT … FOR UPDATE SKIP LOCKED` on each channel's oldest unfinished job: a head another
 * instance is claiming right now is skipped rather than waited for, and since only heads are
 * candidates, a channel's later job can never be taken while an earlier one waits or runs.
 */
import { and, count, desc, eq, inArray, isNotNull, lt, min, sql } from 'drizzle-orm';
import type { SegbotPgDatabase } from '../../client-pg.js';
import { jobs } from '../../schema-pg.js';
import {
  type ClaimResult,
  decideClaim,
  INTERRUPTED_MESSAGE,
  type JobRecord,
  type JobStore,
  type JobStoreOptions,
  UNFINISHED,
} from '../job-store.js';

export function createPgJobStore(database: SegbotPgDatabase, options: JobStoreOptions = {}): JobStore {
  const { db } = database;
  const now = options.now ?? (() => new Date());

  const headIds = () =>
    db
      .select({ id: min(jobs.id) })
      .from(jobs)
      .where(inArray(jobs.status, UNFINISHED))
      .groupBy(jobs.channelId);

  return {
    async enqueue({ channelId, kind, userId = null, request = null, owner, leaseUntil }) {
      const [row] = await db
        .insert(jobs)
        .values({ channelId, kind, userId, request, owner, leaseUntil, status: 'queued', createdAt: now() })
        .returning();
      return row!;
    },
    async claimNext(input) {
      const at = now();
      // A plain read first: most polls find nothing to do and take no locks.
      const seen: JobRecord[] = await db.select().from(jobs).where(inArray(jobs.id, headIds()));
      if (!seen.some((head) => decideClaim(head, input, at) !== null))
        return { claimed: null, interrupted: [] };
      return db.transaction(async (tx): Promise<ClaimResult> => {
        const heads: JobRecord[] = await tx
          .select()
          .from(jobs)
          .where(and(inArray(jobs.status, UNFINISHED), inArray(jobs.id, headIds())))
          .orderBy(jobs.id)
          .for('update', { skipLocked: true });
        const interrupted: JobRecord[] = [];
        for (const head of heads) {
          const decision = decideClaim(head, input, at);
          if (decision === null) continue;
          if (decision === 'interrupt') {
            const [row] = await tx
              .update(jobs)
              .set({ status: 'interrupted', error: INTERRUPTED_MESSAGE, finishedAt: at })
              .where(eq(jobs.id, head.id))
              .returning();
            interrupted.push(row!);
            continue;
          }
          const [row] = await tx
            .update(jobs)
            .set({
              status: 'running',
              owner: input.owner,
              leaseUntil: new Date(at.getTime() + input.leaseMs),
              // The first attempt's start stays: what a stopped attempt committed is found from it.
              startedAt: sql`coalesce(${jobs.startedAt}, ${at.toISOString()}::timestamptz)`,
              attempts: sql`${jobs.attempts} + 1`,
            })
            .where(eq(jobs.id, head.id))
            .returning();
          return { claimed: { job: row!, how: decision }, interrupted };
        }
        return { claimed: null, interrupted };
      });
    },
    async heartbeat(owner, leaseMs) {
      const rows = await db
        .update(jobs)
        .set({ leaseUntil: new Date(now().getTime() + leaseMs) })
        .where(and(eq(jobs.owner, owner), inArray(jobs.status, UNFINISHED)))
        .returning({ id: jobs.id });
      return rows.length;
    },
    async release(owner) {
      const rows = await db
        .update(jobs)
        .set({ leaseUntil: new Date(0) })
        .where(and(eq(jobs.owner, owner), eq(jobs.status, 'queued'), isNotNull(jobs.request)))
        .returning({ id: jobs.id });
      return rows.length;
    },
    async setProgressTs(jobId, progressTs) {
      await db.update(jobs).set({ progressTs }).where(eq(jobs.id, jobId));
    },
    async finish(jobId) {
      await db
        .update(jobs)
        .set({ status: 'done', finishedAt: now() })
        .where(and(eq(jobs.id, jobId), eq(jobs.status, 'running')));
    },
    async fail(jobId, message) {
      await db
        .update(jobs)
        .set({ status: 'failed', error: message, finishedAt: now() })
        .where(eq(jobs.id, jobId));
    },
    async countAhead(channelId, jobId) {
      const [row] = await db
        .select({ n: count() })
        .from(jobs)
        .where(and(eq(jobs.channelId, channelId), inArray(jobs.status, UNFINISHED), lt(jobs.id, jobId)));
      return Number(row?.n ?? 0);
    },
    async getJob(jobId) {
      const [row] = await db.select().from(jobs).where(eq(jobs.id, jobId));
      return row ?? null;
    },
    async listJobs(channelId, limit = 50) {
      return db
        .select()
        .from(jobs)
        .where(eq(jobs.channelId, channelId))
        .orderBy(desc(jobs.id))
        .limit(Math.max(1, Math.floor(limit)));
    },
  };
}
