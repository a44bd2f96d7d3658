/** The job repository on PostgreSQL (see ../job-store.ts for what each method means). */
import { desc, eq, inArray } from 'drizzle-orm';
import type { SegbotPgDatabase } from '../../client-pg.js';
import { jobs } from '../../schema-pg.js';
import { INTERRUPTED_MESSAGE, type JobRecord, type JobStore, type JobStoreOptions } from '../job-store.js';

export function createPgJobStore(database: SegbotPgDatabase, options: JobStoreOptions = {}): JobStore {
  const { db } = database;
  const now = options.now ?? (() => new Date());

  return {
    async enqueue({ channelId, kind, userId = null }) {
      const [row] = await db
        .insert(jobs)
        .values({ channelId, kind, userId, status: 'queued', createdAt: now() })
        .returning();
      return row!;
    },
    async start(jobId, progressTs) {
      await db
        .update(jobs)
        .set(
          progressTs === undefined
            ? { status: 'running', startedAt: now() }
            : { status: 'running', startedAt: now(), progressTs },
        )
        .where(eq(jobs.id, jobId));
    },
    async setProgressTs(jobId, progressTs) {
      await db.update(jobs).set({ progressTs }).where(eq(jobs.id, jobId));
    },
    async finish(jobId) {
      await db.update(jobs).set({ status: 'done', finishedAt: now() }).where(eq(jobs.id, jobId));
    },
    async fail(jobId, message) {
      await db
        .update(jobs)
        .set({ status: 'failed', error: message, finishedAt: now() })
        .where(eq(jobs.id, jobId));
    },
    async markInterrupted() {
      // One UPDATE … RETURNING: the rows it changed are exactly the ones reported.
      const rows: JobRecord[] = await db
        .update(jobs)
        .set({ status: 'interrupted', error: INTERRUPTED_MESSAGE, finishedAt: now() })
        .where(inArray(jobs.status, ['queued', 'running']))
        .returning();
      return rows.sort((a, b) => a.id - b.id);
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
