/**
 * What a subcommand handler receives: who asked where, the words they typed, a way to answer
 * them privately, and the app's dependencies.
 */
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { JobRequest } from '../db/json-formats.js';
import { NotFoundError, storedErrorText } from '../src/errors.js';
import type { Arrival } from '../src/jobs/shared-jobs.js';
import type { KnownBlock } from '../src/slack/blocks/format.js';
import { type ErrorTarget, safeErrorFields, sendEphemeral } from '../src/slack/report-error.js';
import type { CommandDeps, DatasetRecord } from './deps.js';

export interface CommandContext {
  channelId: string;
  userId: string;
  /** The words after the subcommand, quotes removed. */
  args: string[];
  client: WebClient;
  /** Token for downloading shared files. */
  botToken: string | undefined;
  deps: CommandDeps;
  /** Replies to the person who typed the command, visible only to them. */
  ephemeral(text: string, blocks?: KnownBlock[]): Promise<void>;
  /** Where errors about this request go. */
  errorTarget: ErrorTarget;
  /** What was asked, as stored with a queued job so any instance can run it (unset: this instance only). */
  request?: JobRequest;
  /** Set when this context runs a job claimed from the jobs table: runQueued runs it at once. */
  resume?: ResumedJob;
  /** The request's place in its channel's line: runQueued records its job in arrival order. */
  arrival?: Arrival;
}

/** A claimed job being run again from its stored request. */
export interface ResumedJob {
  jobId: number;
  signal: AbortSignal;
  /** Set by runQueued: false afterwards means the request was refused before its job (access, no data). */
  reached: boolean;
}

/** Builds a handler context from the parts of a Bolt invocation. */
export function createCommandContext(input: {
  channelId: string;
  userId: string;
  args: string[];
  client: WebClient;
  botToken: string | undefined;
  deps: CommandDeps;
  respond?: RespondFn;
  request?: JobRequest;
}): CommandContext {
  const errorTarget: ErrorTarget = {
    client: input.client,
    channelId: input.channelId,
    userId: input.userId,
    ...(input.respond ? { respond: input.respond } : {}),
  };
  return {
    channelId: input.channelId,
    userId: input.userId,
    args: input.args,
    client: input.client,
    botToken: input.botToken,
    deps: input.deps,
    errorTarget,
    ...(input.request ? { request: input.request } : {}),
    ephemeral: (text, blocks) =>
      sendEphemeral(errorTarget, blocks ? { text, blocks } : text, input.deps.logger),
  };
}

/** The advice every command gives before the channel has any data. */
export function noDatasetError(): NotFoundError {
  return new NotFoundError(
    'There is no customer data in this channel yet.',
    'To upload, drag a .csv file into this channel (invite segbot first with `/invite @segbot`); segbot imports it and replies in the file’s thread. For a CSV already shared here, type `/segbot upload`.',
  );
}

/** The channel's latest dataset, or the "how to upload" error. */
export async function requireLatestDataset(ctx: CommandContext): Promise<DatasetRecord> {
  const dataset = await ctx.deps.datasets.latestDataset(ctx.channelId);
  if (!dataset) throw noDatasetError();
  return dataset;
}

/** Lets a queued job record its progress message, so a restart can point at it. */
export interface JobHandle {
  /** Aborts when the job runs past SEGBOT_JOB_TIMEOUT_SECONDS or segbot shuts down; pass it to worker jobs. */
  signal: AbortSignal;
  setProgressTs(ts: string): void;
  /**
   * Records that the job failed after it already told the channel (it then returns normally). The
   * job log keeps storedErrorText(error): where it went wrong, never the values.
   */
  markFailed(error: unknown): void;
}

/**
 * Runs `job` as a job of the channel, recorded in the shared jobs table with the request that
 * asked for it (so another instance can run it if this one stops). When other work is ahead, tells
 * the user it is queued so a busy channel is not mistaken for a silent bot. The job's outcome
 * (value or error) is passed through. A context resuming a claimed job (ctx.resume) runs it at once.
 */
export async function runQueued<T>(
  ctx: CommandContext,
  kind: string,
  what: string,
  job: (handle: JobHandle) => Promise<T>,
): Promise<T> {
  const { queue, jobs, logger } = ctx.deps;
  const body = async (signal: AbortSignal, jobId: number): Promise<T> => {
    let failure: string | null = null;
    const handle: JobHandle = {
      signal,
      setProgressTs: (ts) => {
        jobs.setProgressTs(jobId, ts).catch((error: unknown) => {
          logger.warn(safeErrorFields(error, 'job progress'), 'could not record a progress message');
        });
      },
      markFailed: (error) => {
        failure = storedErrorText(error);
      },
    };
    const value = await job(handle);
    if (failure !== null) await jobs.fail(jobId, failure);
    return value;
  };
  const { resume } = ctx;
  if (resume) {
    resume.reached = true;
    try {
      return await body(resume.signal, resume.jobId);
    } catch (error) {
      // The caller reports the error and returns; the job log must still say it failed.
      await jobs.fail(resume.jobId, storedErrorText(error));
      throw error;
    }
  }
  await ctx.arrival?.ready();
  let submitted: Awaited<ReturnType<typeof queue.submit<T>>>;
  try {
    submitted = await queue.submit(
      { channelId: ctx.channelId, kind, userId: ctx.userId, request: ctx.request ?? null },
      body,
      what,
    );
  } finally {
    ctx.arrival?.leave();
  }
  const { ahead } = submitted;
  if (ahead > 0) {
    await ctx.ephemeral(
      `:hourglass: Your ${what} is queued behind ${ahead} earlier ${ahead === 1 ? 'job' : 'jobs'} in this channel; it starts as soon as ${ahead === 1 ? 'that finishes' : 'they finish'}.`,
    );
  }
  return submitted.outcome;
}
