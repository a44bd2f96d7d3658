/**
 * A durable record of the work the bot accepted, so that after a crash it knows which jobs never
 * finished and can tell their channels.
 */
import { desc, eq, inArray } from 'drizzle-orm';
import { resolveHandle } from '../client.js';
import { isPostgres, type StorageHandle } from '../client-pg.js';
import { jobs } from '../schema.js';
import { createPgJobStore } from './pg/job-store.js';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'interrupted';

export interface JobRecord {
  id: number;
  channelId: string;
  kind: string;
  status: JobStatus;
  userId: string | null;
  /** Slack ts of the job's progress message, if one was posted. */
  progressTs: string | null;
  createdAt: Date;
  /** Null if the job never started (it was still queued). */
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

export interface JobStoreOptions {
  now?: () => Date;
}

/** The message stored on jobs found unfinished at start-up. */
export const INTERRUPTED_MESSAGE = 'The bot restarted before this job finished.';

export interface JobStore {
  enqueue(input: { channelId: string; kind: string; userId?: string | null }): Promise<JobRecord>;
  /** Marks a job running; `progressTs` is the progress message's ts when already posted. */
  start(jobId: number, progressTs?: string | null): Promise<void>;
  setProgressTs(jobId: number, progressTs: string): Promise<void>;
  finish(jobId: number): Promise<void>;
  /** Marks a job failed with a message a user may read. */
  fail(jobId: number, message: string): Promise<void>;
  /**
   * At start-up: marks every job left queued or running by a previous process as 'interrupted' and
   * returns them (as they are now), oldest first, so the bot can tell each channel. Running jobs
   * have `startedAt` set; queued ones never started.
   */
  markInterrupted(): Promise<JobRecord[]>;
  getJob(jobId: number): Promise<JobRecord | null>;
  /** The channel's jobs, newest first. */
  listJobs(channelId: string, limit?: number): Promise<JobRecord[]>;
}

/** Creates the job repository over an open database. */
export function createJobStore(handle: StorageHandle, options: JobStoreOptions = {}): JobStore {
  if (isPostgres(handle)) return createPgJobStore(handle, options);
  const { db, sqlite } = resolveHandle(handle);
  const now = options.now ?? (() => new Date());

  const getJob = async (jobId: number): Promise<JobRecord | null> =>
    db.select().from(jobs).where(eq(jobs.id, jobId)).get() ?? null;

  const interrupt = sqlite.transaction((): JobRecord[] => {
    const open = db
      .select({ id: jobs.id })
      .from(jobs)
      .where(inArray(jobs.status, ['queued', 'running']))
      .all()
      .map((r) => r.id);
    if (open.length === 0) return [];
    db.update(jobs)
      .set({ status: 'interrupted', error: INTERRUPTED_MESSAGE, finishedAt: now() })
      .where(inArray(jobs.id, open))
      .run();
    return db.select().from(jobs).where(inArray(jobs.id, open)).orderBy(jobs.id).all();
  });

  return {
    async enqueue({ channelId, kind, userId = null }) {
      const [row] = db
        .insert(jobs)
        .values({ channelId, kind, userId, status: 'queued', createdAt: now() })
        .returning()
        .all();
      return row!;
    },
    async start(jobId, progressTs) {
      db.update(jobs)
        .set(
          progressTs === undefined
            ? { status: 'running', startedAt: now() }
            : { status: 'running', startedAt: now(), progressTs },
        )
        .where(eq(jobs.id, jobId))
        .run();
    },
    async setProgressTs(jobId, progressTs) {
      db.update(jobs).set({ progressTs }).where(eq(jobs.id, jobId)).run();
    },
    async finish(jobId) {
      db.update(jobs).set({ status: 'done', finishedAt: now() }).where(eq(jobs.id, jobId)).run();
    },
    async fail(jobId, message) {
      db.update(jobs)
        .set({ status: 'failed', error: message, finishedAt: now() })
        .where(eq(jobs.id, jobId))
        .run();
    },
    async markInterrupted() {
      return interrupt.immediate();
    },
    getJob,
    async listJobs(channelId, limit = 50) {
      return db
        .select()
        .from(jobs)
        .where(eq(jobs.channelId, channelId))
        .orderBy(desc(jobs.id))
        .limit(Math.max(1, Math.floor(limit)))
        .all();
    },
  };
}
