/**
 * Runs a job taken over from a segbot instance that stopped, from its stored request alone: the
 * words of a `/segbot` command, or a CSV shared into the channel. The channel is told first
 * (restarted or resumed), then the request goes through the same handler as when it was typed, so
 * access is checked again and the replies look the same.
 */
import type { WebClient } from '@slack/web-api';
import { INTERRUPTED_MESSAGE } from '../db/repositories/job-store.js';
import { SegbotError } from '../src/errors.js';
import type { StoredJobRunner } from '../src/jobs/shared-jobs.js';
import { reportError } from '../src/slack/report-error.js';
import {
  datasetOfInterruptedUpload,
  failInterruptedRuns,
  finishedRunText,
  interruptedJobText,
  runOfInterruptedJob,
  takeoverText,
  tellChannelAboutJob,
} from '../src/slack/report-interrupted-jobs.js';
import { createCommandContext } from './context.js';
import type { CommandDeps } from './deps.js';
import { runSubcommand } from './index.js';
import { importSharedCsv } from './upload.js';

/** Builds the runner the app hands to the shared jobs once it is connected to Slack. */
export function createStoredJobRunner(input: {
  deps: CommandDeps;
  client: WebClient;
  botToken: string | undefined;
}): StoredJobRunner {
  const { deps, client, botToken } = input;
  return async (job, how, signal) => {
    const { request } = job;
    if (!request) throw new Error('a job without a request cannot be taken over');
    if (how === 'started') {
      // Whatever the stopped instance left running in the channel was this job's.
      await failInterruptedRuns(deps.runs, [job], INTERRUPTED_MESSAGE);
      // An upload commits its dataset before it replies: a stop in between left a complete
      // version, so the job is resumed at its reply rather than imported a second time.
      const stored = await datasetOfInterruptedUpload(job, deps.datasets);
      if (stored) {
        await tellChannelAboutJob(client, job, interruptedJobText(job, stored), deps.logger);
        return;
      }
      // Likewise a run that finished before its summary was posted is not run a second time.
      const run = await runOfInterruptedJob(job, deps.runs);
      if (run) {
        await tellChannelAboutJob(client, job, finishedRunText(job, run), deps.logger, {
          keepProgress: true,
        });
        return;
      }
    }
    await tellChannelAboutJob(client, job, takeoverText(job, how), deps.logger);
    const userId = job.userId ?? 'USLACKBOT';
    const ctx = createCommandContext({
      channelId: job.channelId,
      userId,
      args: request.source === 'command' ? request.words.slice(1) : [],
      client,
      botToken,
      deps,
      request,
    });
    const resume = { jobId: job.id, signal, reached: false };
    ctx.resume = resume;
    if (request.source === 'command') {
      try {
        await runSubcommand(ctx, request.words[0] ?? '');
      } catch (error) {
        await reportError(error, ctx.errorTarget, deps.logger, 'command');
      }
    } else {
      await importSharedCsv(ctx, {
        file: { id: request.fileId, name: request.fileName },
        threadTs: request.threadTs,
        userId: job.userId ?? undefined,
      });
    }
    if (!resume.reached) {
      // Refused this time (access changed, the data is gone): the person was told why.
      throw new SegbotError(
        'conflict',
        'The request was refused when it was run again.',
        'See the reply above.',
      );
    }
  };
}
