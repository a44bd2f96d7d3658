/**
 * Jobs shared by every segbot instance on one database. A job is a row in the jobs table (see
 * job-store); an instance runs a job only once it has claimed it there, so one channel's jobs run
 * one after another across instances while different channels run in parallel.
 *
 * The instance that accepted a request keeps the work as a closure and runs it when its claim
 * succeeds (the usual case: the same progress messages, the same replies). Any other instance can
 * run the job from its stored request alone: when the owner's lease runs out (the instance died),
 * the claim hands the job to whichever instance asks next, which tells the channel and runs it.
 * Leases are renewed by heartbeats; this instance's own concurrency, time budget and cancellation
 * come from the in-process JobQueue underneath.
 */
import { hostname } from 'node:os';
import type { ClaimKind, JobRecord, JobRequest, JobStore } from '../../db/repositories/job-store.js';
import { CancelledError, storedErrorText } from '../errors.js';
import { createJobQueue, type JobQueue } from './job-queue.js';

/** What is recorded about a job when it is queued. */
export interface JobSpec {
  channelId: string;
  kind: string;
  userId: string | null;
  /** Enough for another instance to run it again, or null when only this instance can. */
  request: JobRequest | null;
}

/** A job queued by this instance. */
export interface SubmittedJob<T> {
  jobId: number;
  /** Unfinished jobs of the channel queued before it, on any instance. */
  ahead: number;
  /** The job's outcome, once this instance has claimed and run it. */
  outcome: Promise<T>;
}

/**
 * Runs a job taken over from another instance: tells the channel, then does the stored request.
 * Resolves once the job is over; what it throws marks the job failed.
 */
export type StoredJobRunner = (
  job: JobRecord,
  how: Exclude<ClaimKind, 'own'>,
  signal: AbortSignal,
) => Promise<void>;

/** Tells channels about jobs of a stopped instance that no instance could run. */
export type InterruptedJobsReporter = (jobs: JobRecord[]) => Promise<void>;

/**
 * A request's place in its channel's line on this instance, from the moment it arrives until its
 * job is recorded. Checks before queueing (access, the request ledger, Slack lookups) take
 * different times, on PostgreSQL especially, so without it a request could overtake one that
 * arrived a moment earlier and its job would run first.
 */
export interface Arrival {
  /**
   * Resolves once every earlier request of the channel has recorded its job or ended, or after
   * ARRIVAL_WAIT_MS at most, so one stuck request never holds up the channel for long.
   */
  ready(): Promise<void>;
  /** Gives up the place: once the job is recorded, or when the request ends without one. Idempotent. */
  leave(): void;
}

/** The longest a request waits for earlier requests of its channel before recording its job anyway. */
export const ARRIVAL_WAIT_MS = 2000;

export interface SharedJobs extends JobQueue {
  /** This instance's name in the jobs table. */
  readonly owner: string;
  /** Takes the next place in the channel's line; call it as the request arrives, before any await. */
  arrive(channelId: string): Arrival;
  /** Records the job, then runs `job` here once this instance has claimed it. */
  submit<T>(
    spec: JobSpec,
    job: (signal: AbortSignal, jobId: number) => Promise<T>,
    what: string,
  ): Promise<SubmittedJob<T>>;
  /**
   * Starts taking over the jobs of stopped instances (and polling for them); before this, the
   * instance only runs the jobs it queued itself.
   */
  startTakeovers(runner: StoredJobRunner, reportInterrupted: InterruptedJobsReporter): void;
}

export interface SharedJobsOptions {
  store: JobStore;
  /** How many jobs this instance runs at the same time. */
  concurrency: number;
  /** Time budget of one job (SEGBOT_JOB_TIMEOUT_SECONDS). */
  timeoutMs?: number;
  /** SEGBOT_JOB_LEASE_SECONDS in milliseconds; heartbeats come every third of it. */
  leaseMs: number;
  /** Default: host, process id and a random suffix. */
  owner?: string;
  /** Told when a heartbeat or claim fails (the database is away); the next poll tries again. */
  onError?: (error: unknown, what: string) => void;
}

/** A name for this instance that no other instance (or later process) will have. */
export function instanceName(): string {
  return `${hostname()}/${process.pid}/${Math.random().toString(36).slice(2, 8)}`;
}

/** Creates this instance's side of the shared jobs table. */
export function createSharedJobs(options: SharedJobsOptions): SharedJobs {
  const { store, leaseMs } = options;
  const owner = options.owner ?? instanceName();
  const local = createJobQueue({
    concurrency: options.concurrency,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const heartbeatMs = Math.max(20, Math.floor(leaseMs / 3));
  // Another instance's job ahead in a channel ends without telling us: look again this often.
  const pollMs = Math.min(1000, Math.max(20, Math.floor(leaseMs / 10)));

  interface Waiting {
    channelId: string;
    run: (signal: AbortSignal) => Promise<unknown>;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
    what: string;
  }
  /** Jobs queued here and not yet claimed, by id. */
  const waiting = new Map<number, Waiting>();
  let running = 0;
  let takeovers: { runner: StoredJobRunner; report: InterruptedJobsReporter } | null = null;
  let claiming = false;
  let again = false;
  let closed = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  let lastBeat = 0;
  const report = (error: unknown, what: string) => options.onError?.(error, what);

  const active = () => waiting.size + running > 0 || (takeovers !== null && !closed);
  const arm = () => {
    if (timer === null && active()) {
      timer = setInterval(() => void tick(), pollMs);
      timer.unref();
    } else if (timer !== null && !active()) {
      clearInterval(timer);
      timer = null;
    }
  };

  const tick = async () => {
    if (Date.now() - lastBeat >= heartbeatMs && waiting.size + running > 0) {
      lastBeat = Date.now();
      await store.heartbeat(owner, leaseMs).catch((error: unknown) => report(error, 'heartbeat'));
    }
    pump();
  };

  /** Claims jobs while this instance has room; one claim loop at a time. */
  const pump = () => {
    if (claiming) {
      again = true;
      return;
    }
    claiming = true;
    void (async () => {
      try {
        do {
          again = false;
          while (running < options.concurrency) {
            if (waiting.size === 0 && (takeovers === null || closed)) break;
            const result = await store.claimNext({ owner, leaseMs, takeOver: takeovers !== null && !closed });
            if (result.interrupted.length > 0) await takeovers?.report(result.interrupted);
            if (!result.claimed) {
              if (result.interrupted.length > 0) continue;
              break;
            }
            launch(result.claimed.job, result.claimed.how);
          }
        } while (again);
      } catch (error) {
        report(error, 'claim');
      } finally {
        claiming = false;
        arm();
      }
    })();
  };

  const launch = (job: JobRecord, how: ClaimKind) => {
    running += 1;
    const mine = how === 'own' ? waiting.get(job.id) : undefined;
    waiting.delete(job.id);
    const runner = takeovers?.runner;
    const work: (signal: AbortSignal) => Promise<unknown> = mine
      ? mine.run
      : how !== 'own' && runner
        ? (signal) => runner(job, how, signal)
        : () => Promise.reject(new Error('a job of this instance has no work attached'));
    const outcome = local.run(job.channelId, work, mine?.what ?? job.kind);
    void outcome
      .then(
        async (value) => {
          await store.finish(job.id);
          return { ok: true as const, value };
        },
        async (error: unknown) => {
          await store.fail(job.id, storedErrorText(error));
          return { ok: false as const, error };
        },
      )
      .catch((error: unknown) => {
        report(error, 'job record');
        return outcome.then(
          (value) => ({ ok: true as const, value }),
          (failure: unknown) => ({ ok: false as const, error: failure }),
        );
      })
      .then((settled) => {
        running -= 1;
        settleIfIdle();
        if (mine) {
          if (settled.ok) mine.resolve(settled.value);
          else mine.reject(settled.error);
        }
        pump();
        arm();
      });
  };

  const submit = async <T>(
    spec: JobSpec,
    job: (signal: AbortSignal, jobId: number) => Promise<T>,
    what: string,
  ): Promise<SubmittedJob<T>> => {
    if (closed) {
      throw new CancelledError(
        'segbot is shutting down and did not start this request.',
        'Try again in a minute.',
      );
    }
    const record = await store.enqueue({
      ...spec,
      owner,
      leaseUntil: new Date(Date.now() + leaseMs),
    });
    const ahead = await store.countAhead(spec.channelId, record.id);
    const outcome = new Promise<T>((resolve, reject) => {
      waiting.set(record.id, {
        channelId: spec.channelId,
        run: (signal) => job(signal, record.id),
        resolve: resolve as (value: unknown) => void,
        reject,
        what,
      });
    });
    arm();
    pump();
    return { jobId: record.id, ahead, outcome };
  };

  /** Per channel: settles once every request that arrived so far has left its place. */
  const lines = new Map<string, Promise<void>>();
  const arrive = (channelId: string): Arrival => {
    const earlier = lines.get(channelId) ?? Promise.resolve();
    let leave!: () => void;
    const left = new Promise<void>((resolve) => {
      leave = resolve;
    });
    const line = earlier.then(() => left);
    lines.set(channelId, line);
    void line.then(() => {
      if (lines.get(channelId) === line) lines.delete(channelId);
    });
    return {
      ready: () => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const waited = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, ARRIVAL_WAIT_MS);
          timer.unref();
        });
        return Promise.race([earlier, waited]).finally(() => clearTimeout(timer));
      },
      leave,
    };
  };

  // Settled the moment the last job here ends. Not a polling timer: an unreferenced one would let
  // the process exit in the middle of a graceful stop (nothing else keeps it alive by then), and a
  // referenced one would keep it alive after.
  let idleWaiters: (() => void)[] = [];
  const settleIfIdle = () => {
    if (waiting.size + running > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const drained = () =>
    new Promise<void>((resolve) => {
      idleWaiters.push(resolve);
      settleIfIdle();
    });

  return {
    owner,
    arrive,
    submit,
    run(channelId, job, what = 'job') {
      return submit({ channelId, kind: what, userId: null, request: null }, job, what).then((s) => s.outcome);
    },
    pending(channelId) {
      if (channelId === undefined) return waiting.size + running;
      return local.pending(channelId) + [...waiting.values()].filter((w) => w.channelId === channelId).length;
    },
    startTakeovers(runner, reportInterrupted) {
      takeovers = { runner, report: reportInterrupted };
      arm();
      pump();
    },
    async close() {
      // No more takeovers; this instance's own queued jobs still run (a graceful stop).
      closed = true;
      takeovers = null;
      pump();
      await drained();
      arm();
    },
    cancel(reason) {
      local.cancel(reason);
      // Queued jobs another instance can run are handed over at once rather than failed; the rest
      // fail here without starting.
      void store
        .release(owner)
        .catch((error: unknown) => report(error, 'release'))
        .finally(() => {
          for (const [id, entry] of waiting) {
            waiting.delete(id);
            entry.reject(
              new CancelledError(
                'segbot is restarting before this request started.',
                'If segbot runs on more than one server, another one takes it over; otherwise run it again in a minute.',
              ),
            );
            void store.getJob(id).then((job) => {
              if (job?.request === null) return store.fail(id, storedErrorText(reason));
            });
          }
          settleIfIdle();
        });
    },
  };
}
