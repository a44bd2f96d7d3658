/**
 * After a restart: every job the previous process accepted but never finished is reported to its
 * channel as failed, so nobody waits for a result that will not come.
 */
import type { WebClient } from '@slack/web-api';
import type { DatasetRecord, DatasetStore } from '../../db/repositories/dataset-store.js';
import type { JobRecord } from '../../db/repositories/job-store.js';
import type { RunStore } from '../../db/repositories/run-store.js';
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
 * The message a channel gets for one interrupted job: what is in the database now, not a guess.
 * `stored` is the dataset an interrupted upload committed before the restart (see above).
 */
export function interruptedJobText(
  job: Pick<JobRecord, 'kind' | 'userId' | 'startedAt'>,
  stored: Pick<DatasetRecord, 'version' | 'fileName' | 'rowCount'> | null = null,
): string {
  const what = KIND_NAMES[job.kind] ?? `${job.kind} job`;
  const a = /^[aeiou]/i.test(what) ? 'An' : 'A';
  const whose = job.userId ? ` (asked for by <@${job.userId}>)` : '';
  if (stored) {
    return `:white_check_mark: ${a} ${what}${whose} was interrupted because segbot restarted before it could reply, but the upload finished: ${escapeSlackText(stored.fileName)} (${stored.rowCount.toLocaleString('en-US')} rows) is now v${stored.version} of this channel’s data, and segbot uses it. Nothing needs to be run again.`;
  }
  const state = job.startedAt
    ? 'was interrupted because segbot restarted'
    : 'never started because segbot restarted';
  return `:x: ${a} ${what}${whose} ${state}, so it failed. Nothing half-done was kept: this channel’s data and runs are as they were before it. Please run it again.`;
}

/**
 * Posts one notice per interrupted job, saying what the database holds now, and, when the job had a progress message, turns
 * that message into the failure too. Failures to post (channel archived, bot removed) are logged.
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
    try {
      if (job.progressTs) {
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
      told += 1;
    } catch (error) {
      logger.error(
        { ...safeErrorFields(error, 'interrupted job'), slackError: slackErrorCode(error), jobId: job.id },
        'could not tell a channel about an interrupted job',
      );
    }
  }
  return told;
}

/**
 * Runs left 'running' in the channels of interrupted jobs can never finish: at start-up nothing
 * runs yet, so each is marked failed (its partial result was never committed). Returns how many.
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
