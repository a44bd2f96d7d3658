/**
 * When a segbot instance stops with jobs unfinished, their channels are told what became of them:
 * restarted or resumed by the instance that took them over, or, for work only the stopped
 * instance could do, failed, so nobody waits for a result that will not come.
 */
import type { WebClient } from '@slack/web-api';
import type { DatasetRecord, DatasetStore } from '../../db/repositories/dataset-store.js';
import type { JobRecord } from '../../db/repositories/job-store.js';
import type { RunRecord, RunStore } from '../../db/repositories/run-store.js';
import { escapeSlackText } from './escape-text.js';
import { type ErrorLogger, safeErrorFields, slackErrorCode } from './report-error.js';

const KIND_NAMES: Record<string, string> = {
  upload: 'upload',
  segment: 'segmentation run',
  forget: 'request to forget this channel’s data',
};

/**
 * The dataset an interrupted upload committed, if it got that far. An upload commits its dataset
 * in one transaction and only then replies, so a kill in between leaves a complete version that
 * nobody was told about. Jobs in one channel run one after another, so a version stored in the
 * job's channel after it started, by the person who shared the file, is that job's.
 */
export async function datasetOfInterruptedUpload(
  job: Pick<JobRecord, 'kind' | 'channelId' | 'userId' | 'startedAt'>,
  datasets: Pick<DatasetStore, 'listDatasets'>,
): Promise<DatasetRecord | null> {
  const started = job.startedAt;
  if (job.kind !== 'upload' || !started) return null;
  const stored = (await datasets.listDatasets(job.channelId))
    .filter(
      (d) =>
        d.createdAt.getTime() >= started.getTime() && (job.userId === null || d.uploadedBy === job.userId),
    )
    .sort((a, b) => a.version - b.version);
  return stored[0] ?? null;
}

/**
 * The run an interrupted segmentation job completed, if it got that far: a run commits before its
 * summary is posted, so an instance that died in between leaves a finished run nobody may have
 * been told about. A channel's jobs run one at a time, so a run finished in the job's channel
 * after the job started is that job's.
 */
export async function runOfInterruptedJob(
  job: Pick<JobRecord, 'kind' | 'channelId' | 'startedAt'>,
  runs: Pick<RunStore, 'listRuns'>,
): Promise<RunRecord | null> {
  const started = job.startedAt;
  if (job.kind !== 'segment' || !started) return null;
  const finished = (await runs.listRuns(job.channelId, 50))
    .filter((r) => r.status === 'done' && r.createdAt.getTime() >= started.getTime())
    .sort((a, b) => a.id - b.id);
  return finished[0] ?? null;
}

/** What a channel is told about a segmentation job whose run finished before its instance stopped. */
export function finishedRunText(job: Pick<JobRecord, 'kind' | 'userId'>, run: Pick<RunRecord, 'id'>): string {
  const { a, what, whose } = jobWords(job);
  return `:white_check_mark: ${a} ${what}${whose} was interrupted because the segbot instance running it stopped, but the run had finished: it is run #${run.id}, and \`/segbot runs ${run.id}\` shows it. Nothing needs to be run again.`;
}

/**
 * The message a channel gets for one interrupted job: what is in the database now, not a guess.
 * `stored` is the dataset an interrupted upload committed before the restart (see above).
 */
export function interruptedJobText(
  job: Pick<JobRecord, 'kind' | 'userId' | 'startedAt'>,
  stored: Pick<DatasetRecord, 'version' | 'fileName' | 'rowCount'> | null = null,
): string {
  const { a, what, whose } = jobWords(job);
  if (stored) {
    return `:white_check_mark: ${a} ${what}${whose} was interrupted because segbot restarted before it could reply, but the upload finished: ${escapeSlackText(stored.fileName)} (${stored.rowCount.toLocaleString('en-US')} rows) is now v${stored.version} of this channel’s data, and segbot uses it. Nothing needs to be run again.`;
  }
  const state = job.startedAt
    ? 'was interrupted because segbot restarted'
    : 'never started because segbot restarted';
  return `:x: ${a} ${what}${whose} ${state}, so it failed. Nothing half-done was kept: this channel’s data and runs are as they were before it. Please run it again.`;
}

/** "A segmentation run (asked for by @u)", in parts. */
function jobWords(job: Pick<JobRecord, 'kind' | 'userId'>): { a: string; what: string; whose: string } {
  const what = KIND_NAMES[job.kind] ?? `${job.kind} job`;
  return {
    a: /^[aeiou]/i.test(what) ? 'An' : 'A',
    what,
    whose: job.userId ? ` (asked for by <@${job.userId}>)` : '',
  };
}

/**
 * The message a channel gets when an instance takes over a job of a stopped one: a job that had
 * started is restarted from the beginning (nothing it half-did was kept), one still waiting is
 * resumed where it was, in line.
 */
export function takeoverText(job: Pick<JobRecord, 'kind' | 'userId'>, how: 'started' | 'waiting'): string {
  const { a, what, whose } = jobWords(job);
  return how === 'started'
    ? `:recycle: ${a} ${what}${whose} was cut short because the segbot instance running it stopped, so segbot *restarted* it from the beginning. Nothing half-done was kept; the result follows here.`
    : `:arrow_forward: ${a} ${what}${whose} was waiting on a segbot instance that stopped, so segbot *resumed* it on another and runs it now.`;
}

/**
 * Posts one notice per interrupted job, saying what the database holds now. Failures to post
 * (channel archived, bot removed) are logged.
 */
export async function reportInterruptedJobs(
  client: WebClient,
  jobs: readonly JobRecord[],
  logger: ErrorLogger,
  datasets: Pick<DatasetStore, 'listDatasets'>,
): Promise<number> {
  let told = 0;
  for (const job of jobs) {
    const text = interruptedJobText(job, await datasetOfInterruptedUpload(job, datasets));
    if (await tellChannelAboutJob(client, job, text, logger)) told += 1;
  }
  return told;
}

/**
 * Says `text` in the job's channel and, when the job had a progress message, turns that message
 * into it too (so it no longer reads "Step 3 of 6…"), unless `keepProgress` (it may already show
 * the result). Resolves false when the channel could not be told (logged).
 */
export async function tellChannelAboutJob(
  client: WebClient,
  job: Pick<JobRecord, 'id' | 'channelId' | 'progressTs'>,
  text: string,
  logger: ErrorLogger,
  options: { keepProgress?: boolean } = {},
): Promise<boolean> {
  try {
    if (job.progressTs && !options.keepProgress) {
      await client.chat
        .update({ channel: job.channelId, ts: job.progressTs, text, blocks: [] })
        .catch((error: unknown) => {
          logger.warn(
            { ...safeErrorFields(error, 'interrupted job'), slackError: slackErrorCode(error) },
            'could not update the progress message of an interrupted job',
          );
        });
    }
    await client.chat.postMessage({ channel: job.channelId, text });
    return true;
  } catch (error) {
    logger.error(
      { ...safeErrorFields(error, 'interrupted job'), slackError: slackErrorCode(error), jobId: job.id },
      'could not tell a channel about an interrupted job',
    );
    return false;
  }
}

/**
 * Runs left 'running' in the channel of a job whose instance stopped can never finish. A
 * channel's jobs run one at a time, so they were that job's: each is marked failed (its partial
 * result was never committed). Returns how many.
 */
export async function failInterruptedRuns(
  runs: Pick<RunStore, 'listRuns' | 'failRun'>,
  jobs: readonly Pick<JobRecord, 'channelId'>[],
  message: string,
): Promise<number> {
  let failed = 0;
  for (const channelId of new Set(jobs.map((j) => j.channelId))) {
    for (const run of await runs.listRuns(channelId, 1000)) {
      if (run.status !== 'running') continue;
      await runs.failRun(run.id, message);
      failed += 1;
    }
  }
  return failed;
}
