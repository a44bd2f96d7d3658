/**
 * The jobs table: the work segbot accepted, shared by every instance on one database. A job row
 * holds what is needed to run it again (its request), who runs it and until when (owner and
 * lease), and how it ended. Instances claim jobs here; one channel's jobs run one after another
 * whichever instance runs them, and a job whose instance stopped renewing its lease is taken over.
 */
import { and, count, desc, eq, inArray, lt, min, sql } from 'drizzle-orm';
import { resolveHandle, writeWhenUnlocked } from '../client.js';
import { isPostgres, type StorageHandle } from '../client-pg.js';
import type { JobRequest } from '../json-formats.js';
import { jobs } from '../schema.js';
import { createPgJobStore } from './pg/job-store.js';

export type { JobRequest } from '../json-formats.js';

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
  /** What any instance needs to run it again; null when only its own instance could. */
  request: JobRequest | null;
  owner: string | null;
  leaseUntil: Date | null;
  attempts: number;
}

export interface JobStoreOptions {
  /** Real time, not the app's movable clock: leases are about processes, not about the schedule. */
  now?: () => Date;
}

/** The message stored on jobs whose instance stopped and that no other instance can run. */
export const INTERRUPTED_MESSAGE = 'The bot restarted before this job finished.';

/**
 * How a claimed job came to this instance: queued by it ('own'), or taken over from an instance
 * whose lease ran out, before the job started ('waiting') or while it ran ('started').
 */
export type ClaimKind = 'own' | 'waiting' | 'started';

export interface ClaimResult {
  /** The job this instance now runs (status running, owner this instance), or null. */
  claimed: { job: JobRecord; how: ClaimKind } | null;
  /**
   * Jobs of stopped instances that no other instance can run (no request), now 'interrupted',
   * so their channels can be told.
   */
  interrupted: JobRecord[];
}

export interface JobStore {
  /** Records a queued job owned by `owner` until `leaseUntil` (renewed by heartbeats). */
  enqueue(input: {
    channelId: string;
    kind: string;
    userId?: string | null;
    request?: JobRequest | null;
    owner: string;
    leaseUntil: Date;
  }): Promise<JobRecord>;
  /**
   * Claims one job for `owner`, atomically across instances: only the oldest unfinished job of a
   * channel is a candidate, so a channel's jobs run in order. A candidate is claimed when `owner`
   * queued it, or (with `takeOver`) when its owner's lease has run out and it has a request; without
   * a request it is marked interrupted instead. A running job with a live lease keeps its channel
   * waiting. Oldest candidates first, so channels take turns.
   */
  claimNext(input: { owner: string; leaseMs: number; takeOver: boolean }): Promise<ClaimResult>;
  /** Renews the lease of every queued or running job of `owner`; resolves with how many. */
  heartbeat(owner: string, leaseMs: number): Promise<number>;
  /**
   * Hands `owner`'s queued jobs (those with a request) to whichever instance claims them next, at
   * once (a stopping instance). Resolves with how many.
   */
  release(owner: string): Promise<number>;
  setProgressTs(jobId: number, progressTs: string): Promise<void>;
  /** Marks a running job done (a job already marked failed stays failed). */
  finish(jobId: number): Promise<void>;
  /** Marks a job failed with a message a user may read. */
  fail(jobId: number, message: string): Promise<void>;
  /** How many unfinished jobs of the channel were queued before `jobId`. */
  countAhead(channelId: string, jobId: number): Promise<number>;
  getJob(jobId: number): Promise<JobRecord | null>;
  /** The channel's jobs, newest first. */
  listJobs(channelId: string, limit?: number): Promise<JobRecord[]>;
}

/** The statuses of jobs still to run or running. */
export const UNFINISHED: JobStatus[] = ['queued', 'running'];

/**
 * What `owner` may do now with a channel's oldest unfinished job: run it ('own': it queued it),
 * take it over from an instance whose lease ran out ('started' or 'waiting'), mark it interrupted
 * (no request, so only its stopped instance could have run it), or nothing (null).
 */
export function decideClaim(
  head: Pick<JobRecord, 'owner' | 'status' | 'leaseUntil' | 'request'>,
  input: { owner: string; takeOver: boolean },
  at: Date,
): ClaimKind | 'interrupt' | null {
  const expired = head.leaseUntil === null || head.leaseUntil.getTime() <= at.getTime();
  if (head.owner === input.owner) return head.status === 'queued' ? 'own' : null;
  if (!expired || !input.takeOver) return null;
  if (head.request === null) return 'interrupt';
  return head.status === 'running' ? 'started' : 'waiting';
}

/** Creates the job repository over an open database. */
export function createJobStore(handle: StorageHandle, options: JobStoreOptions = {}): JobStore {
  if (isPostgres(handle)) return createPgJobStore(handle, options);
  const { db, sqlite } = resolveHandle(handle);
  const now = options.now ?? (() => new Date());

  const getJob = (jobId: number): JobRecord | null =>
    db.select().from(jobs).where(eq(jobs.id, jobId)).get() ?? null;

  /** Each channel's oldest unfinished job, oldest first. */
  const heads = (): JobRecord[] =>
    db
      .select()
      .from(jobs)
      .where(
        inArray(
          jobs.id,
          db
            .select({ id: min(jobs.id) })
            .from(jobs)
            .where(inArray(jobs.status, UNFINISHED))
            .groupBy(jobs.channelId),
        ),
      )
      .orderBy(jobs.id)
      .all();

  // One IMMEDIATE transaction: SQLite has one writer, so two instances (two processes on one file)
  // never both see the same head as free.
  const claimInTransaction = sqlite.transaction(
    (input: { owner: string; leaseMs: number; takeOver: boolean }): ClaimResult => {
      const at = now();
      const interrupted: JobRecord[] = [];
      for (const head of heads()) {
        const decision = decideClaim(head, input, at);
        if (decision === null) continue;
        if (decision === 'interrupt') {
          db.update(jobs)
            .set({ status: 'interrupted', error: INTERRUPTED_MESSAGE, finishedAt: at })
            .where(eq(jobs.id, head.id))
            .run();
          interrupted.push(getJob(head.id)!);
          continue;
        }
        db.update(jobs)
          .set({
            status: 'running',
            owner: input.owner,
            leaseUntil: new Date(at.getTime() + input.leaseMs),
            // The first attempt's start stays: what a stopped attempt committed is found from it.
            startedAt: sql`coalesce(${jobs.startedAt}, ${at.getTime()})`,
            attempts: sql`${jobs.attempts} + 1`,
          })
          .where(eq(jobs.id, head.id))
          .run();
        // progress_ts still names the previous attempt's message, which a takeover updates.
        return { claimed: { job: getJob(head.id)!, how: decision }, interrupted };
      }
      return { claimed: null, interrupted };
    },
  );

  return {
    async enqueue({ channelId, kind, userId = null, request = null, owner, leaseUntil }) {
      return writeWhenUnlocked(sqlite, () => {
        const [row] = db
          .insert(jobs)
          .values({ channelId, kind, userId, request, owner, leaseUntil, status: 'queued', createdAt: now() })
          .returning()
          .all();
        return row!;
      });
    },
    async claimNext(input) {
      // A read first: most polls find nothing to do and need no write lock.
      const at = now();
      if (!heads().some((head) => decideClaim(head, input, at) !== null))
        return { claimed: null, interrupted: [] };
      return writeWhenUnlocked(sqlite, () => claimInTransaction.immediate(input));
    },
    async heartbeat(owner, leaseMs) {
      return writeWhenUnlocked(
        sqlite,
        () =>
          db
            .update(jobs)
            .set({ leaseUntil: new Date(now().getTime() + leaseMs) })
            .where(and(eq(jobs.owner, owner), inArray(jobs.status, UNFINISHED)))
            .run().changes,
      );
    },
    async release(owner) {
      return writeWhenUnlocked(
        sqlite,
        () =>
          db
            .update(jobs)
            .set({ leaseUntil: new Date(0) })
            .where(and(eq(jobs.owner, owner), eq(jobs.status, 'queued'), sql`${jobs.request} is not null`))
            .run().changes,
      );
    },
    async setProgressTs(jobId, progressTs) {
      await writeWhenUnlocked(sqlite, () =>
        db.update(jobs).set({ progressTs }).where(eq(jobs.id, jobId)).run(),
      );
    },
    async finish(jobId) {
      await writeWhenUnlocked(sqlite, () =>
        db
          .update(jobs)
          .set({ status: 'done', finishedAt: now() })
          .where(and(eq(jobs.id, jobId), eq(jobs.status, 'running')))
          .run(),
      );
    },
    async fail(jobId, message) {
      await writeWhenUnlocked(sqlite, () =>
        db
          .update(jobs)
          .set({ status: 'failed', error: message, finishedAt: now() })
          .where(eq(jobs.id, jobId))
          .run(),
      );
    },
    async countAhead(channelId, jobId) {
      const row = db
        .select({ n: count() })
        .from(jobs)
        .where(and(eq(jobs.channelId, channelId), inArray(jobs.status, UNFINISHED), lt(jobs.id, jobId)))
        .get();
      return row?.n ?? 0;
    },
    async getJob(jobId) {
      return getJob(jobId);
    },
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
