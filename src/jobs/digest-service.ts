/**
 * Weekly digests and "segments changed" threads, wired to the database and Slack: the ledger
 * over the schedule store, the digest poster (re-running segmentation first when a newer upload
 * is waiting), change detection after every run, and answers to mentions in change threads.
 */
import type { WebClient } from '@slack/web-api';
import type { TopLevelSpec } from 'vega-lite';
import type { CampaignStore } from '../../db/repositories/campaign-store.js';
import type { DatasetRecord, DatasetStore } from '../../db/repositories/dataset-store.js';
import type { RunRecord, RunStore } from '../../db/repositories/run-store.js';
import type { DigestClaimant, ScheduleStore } from '../../db/repositories/schedule-store.js';
import {
  assessComparability,
  compareRuns,
  isSignificantChange,
  type RunComparison,
} from '../analytics/compare/compare-runs.js';
import { summarizeDigest } from '../analytics/compare/summarize-digest.js';
import { capitalize } from '../analytics/segment/column-labels.js';
import type { IngestResult, SegmentationResult, SegmentOptions } from '../analytics/types.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import { channelRfm } from '../services/rfm-changes.js';
import { runSegmentation } from '../services/run-segmentation.js';
import { campaignDigestLines } from '../slack/blocks/campaign-blocks.js';
import { migrationChart, postChangeThread, postRfmChangeThread } from '../slack/digest/change-thread.js';
import { type ChannelPacer, createChannelPacer } from '../slack/digest/channel-pacer.js';
import { digestMessage, emptyDigestMessage } from '../slack/digest/digest-blocks.js';
import { createDigestOutlet, DIGEST_EVENT_TYPE, type DigestOutlet } from '../slack/digest/digest-outlet.js';
import {
  answerMention,
  type MentionAnswer,
  mentionHelp,
  noComparisonAnswer,
  parseMention,
  type ThreadRuns,
} from '../slack/digest/mention-answers.js';
import { rfmOnlyDigestMessage, rfmSectionBlocks } from '../slack/digest/rfm-blocks.js';
import { escapeSlackText } from '../slack/escape-text.js';
import { errorText, safeErrorFields } from '../slack/report-error.js';
import {
  createDigestScheduler,
  type DigestLedgerPort,
  type DigestScheduler,
  type DigestToPost,
} from './digest-scheduler.js';
import { nextDue } from './digest-timing.js';
import type { JobQueue } from './job-queue.js';
import { createSnapshotLoader } from './run-snapshot.js';

/** segbot's Logger, without children. */
export type DigestLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface DigestServiceOptions {
  /** The bot's Web API client (its token set). */
  client: WebClient;
  schedules: ScheduleStore;
  runs: RunStore;
  datasets: DatasetStore;
  /** Live campaigns, one digest line each with their latest lift. */
  campaigns: Pick<CampaignStore, 'liveCampaigns'>;
  /** The channels' job queue: a re-run waits behind a `/segbot segment` already running. */
  queue: JobQueue;
  segmentCustomers(
    ingest: IngestResult,
    options: SegmentOptions,
  ): SegmentationResult | Promise<SegmentationResult>;
  renderChart(spec: TopLevelSpec): Promise<Buffer>;
  logger: DigestLogger;
  clock: Clock;
  pacer?: ChannelPacer;
  /** How long after a failed scheduled post it is tried again (default 5 minutes). */
  retryAfterMs?: number;
  /**
   * This instance's name and lease in the digest ledger: its claim is renewed while it posts, and
   * an instance that dies mid-post leaves a claim another takes over once the lease has run out.
   */
  claimant: DigestClaimant;
  /**
   * Pulls a data source into the channel as its next dataset version (pullIntoChannel), for
   * schedules set with `pull=<source>`.
   */
  pullSource(input: {
    channelId: string;
    userId: string;
    sourceName: string;
    signal: AbortSignal;
  }): Promise<unknown>;
}

export interface MentionEvent {
  channelId: string;
  /** The thread the mention is in, if any. */
  threadTs?: string;
  ts: string;
  text: string;
}

export interface DigestService {
  readonly scheduler: DigestScheduler;
  readonly ledger: DigestLedgerPort;
  readonly outlet: DigestOutlet;
  readonly clock: Clock;
  /** Posts one scheduled digest and returns its ts (the scheduler's `post`). */
  post(digest: DigestToPost): Promise<string>;
  /** `/segbot digest now`: a digest outside the schedule (not recorded in the ledger). */
  postNow(channelId: string, userId: string): Promise<string>;
  /**
   * Compares a finished run with the channel's previous one and, when the change passes the
   * channel's threshold, opens a "segments changed" thread. Returns the thread ts, or null.
   */
  detectChange(channelId: string, runId: number): Promise<string | null>;
  /**
   * After an upload: when the channel's latest two transaction uploads differ in their RFM
   * segments beyond the channel's threshold, opens an RFM change thread. Returns its ts, or null.
   */
  detectRfmChange(channelId: string): Promise<string | null>;
  /** Answers a mention (in a change thread, or with the list of questions elsewhere). */
  answerMention(event: MentionEvent): Promise<void>;
  /** When the channel's next digest is due, or null without a schedule. */
  nextDigest(channelId: string): Promise<Date | null>;
  start(): Promise<void>;
  stop(): void;
}

/** Creates the digest service; `start()` posts what is owed and arms the schedule. */
export function createDigestService(options: DigestServiceOptions): DigestService {
  const { schedules, runs, datasets, logger, clock } = options;
  const pacer = options.pacer ?? createChannelPacer();
  const outlet = createDigestOutlet({
    client: options.client,
    pacer,
    renderChart: options.renderChart,
    logger,
  });
  const snapshots = createSnapshotLoader({ runs, datasets });
  const retryAfterMs = options.retryAfterMs ?? 5 * 60_000;

  const ledger: DigestLedgerPort = {
    listSubscriptions: async () =>
      (await schedules.listSchedules()).map((s) => ({
        channelId: s.channelId,
        day: s.day,
        time: s.time,
        timezone: s.timezone,
        createdAt: s.createdAt,
      })),
    claim: (channelId, periodKey, late) =>
      schedules.claimDigest({ channelId, periodKey, late, claimant: options.claimant }),
    markPosted: (channelId, periodKey, ts) => schedules.confirmDigest(channelId, periodKey, ts),
  };

  /** The channel's newest finished run, re-running segmentation first if a newer upload waits. */
  const freshRun = async (
    channelId: string,
    userId: string,
  ): Promise<{ run: RunRecord | null; rerun: boolean }> => {
    const last = await runs.latestRun(channelId, { status: 'done' });
    const dataset = await datasets.latestDataset(channelId);
    if (!last || !dataset || dataset.id <= last.datasetId) return { run: last, rerun: false };
    try {
      return await options.queue.run(
        channelId,
        async (signal) => {
          // A `/segbot segment` queued ahead of us may already have covered the new upload.
          const again = await runs.latestRun(channelId, { status: 'done' });
          if (again && again.datasetId >= dataset.id) return { run: again, rerun: false };
          return { run: await rerun({ channelId, userId, signal }, last, dataset), rerun: true };
        },
        'segmentation',
      );
    } catch (error) {
      logger.error(safeErrorFields(error, 'digest re-run'), 'digest re-run failed; using the last run');
      return { run: last, rerun: false };
    }
  };

  const rerun = async (
    { channelId, userId, signal }: { channelId: string; userId: string; signal: AbortSignal },
    last: RunRecord,
    dataset: DatasetRecord,
  ): Promise<RunRecord> => {
    const features = featuresFor(last, await datasets.getDataset(channelId, last.datasetId), dataset);
    const params = {
      k: last.params.k,
      seed: last.params.seed,
      ...(features ? { features } : {}),
      ...(last.params.log ? { log: last.params.log } : {}),
      // A re-run groups the new upload the way the last run did.
      ...(last.params.method ? { method: last.params.method } : {}),
      ...(last.params.covariance ? { covariance: last.params.covariance } : {}),
    };
    const outcome = await runSegmentation(
      { datasets, runs, segmentCustomers: options.segmentCustomers },
      {
        channelId,
        userId,
        dataset,
        params,
        signal,
        failureText: (error) => errorText(error, logger, 'digest re-run'),
      },
    );
    if (outcome.status === 'failed') throw outcome.error;
    logger.info(
      { channelId, runId: outcome.run.id, k: outcome.result.k },
      'digest re-ran segmentation on a new upload',
    );
    return outcome.run;
  };

  const hasCustomerIds = async (run: RunRecord): Promise<boolean> =>
    (await datasets.getDataset(run.channelId, run.datasetId))?.schema.idColumn !== null;

  const compareWithPrevious = async (
    run: RunRecord,
  ): Promise<{
    comparison: RunComparison | null;
    previous: RunRecord | null;
    notCompared: string | null;
  }> => {
    const previous = await runs.previousRun(run.channelId, run.id);
    if (!previous) return { comparison: null, previous: null, notCompared: null };
    // Without an id column customers are row numbers, which say nothing about who is who across
    // runs: such runs are not compared (the upload's quality report says so).
    if (!(await hasCustomerIds(run)) || !(await hasCustomerIds(previous))) {
      logger.info(
        { channelId: run.channelId, runId: run.id },
        'run not compared: its dataset has no id column',
      );
      return { comparison: null, previous: null, notCompared: null };
    }
    const before = await snapshots.load(previous);
    const now = await snapshots.load(run);
    // Runs on different customers (another table uploaded in the channel) are not compared: a
    // reshuffle of unrelated customers is not a change.
    const comparability = assessComparability(before, now);
    if (!comparability.comparable) {
      logger.info(
        {
          channelId: run.channelId,
          runId: run.id,
          common: comparability.common,
          larger: comparability.larger,
        },
        'run not compared: different customer base',
      );
      return { comparison: null, previous, notCompared: comparability.reason };
    }
    return { comparison: compareRuns(before, now), previous, notCompared: null };
  };

  const publish = async (
    channelId: string,
    input: { dueAt: Date | null; late: boolean; periodKey: string; timezone: string; userId: string },
  ): Promise<string> => {
    const metadata = { eventType: DIGEST_EVENT_TYPE, payload: { period_key: input.periodKey } };
    const { run, rerun: reran } = await freshRun(channelId, input.userId);
    const rfm = await channelRfm(datasets, channelId);
    if (!run) {
      const message = rfm
        ? rfmOnlyDigestMessage(rfm, { scheduled: input.dueAt !== null, late: input.late })
        : emptyDigestMessage(input);
      return outlet.post(channelId, { ...message, metadata });
    }
    const { comparison, previous, notCompared } = await compareWithPrevious(run);
    const summary = summarizeDigest(run.segments, comparison);
    if (notCompared !== null) summary.headline = `${capitalize(notCompared)}.`;
    const withChart = comparison !== null && comparison.commonCustomers > 0;
    const message = digestMessage({
      summary,
      dueAt: input.dueAt,
      timezone: input.timezone,
      late: input.late,
      runId: run.id,
      previousRunId: comparison === null ? null : (previous?.id ?? null),
      notCompared,
      datasetVersion: run.datasetVersion,
      rerun: reran,
      chartInThread: withChart,
      campaigns: campaignDigestLines(await options.campaigns.liveCampaigns(channelId)),
      ...(rfm ? { rfm: rfmSectionBlocks(rfm) } : {}),
    });
    const ts = await outlet.post(channelId, {
      ...message,
      metadata: { ...metadata, payload: { ...metadata.payload, run_id: run.id } },
    });
    if (withChart && comparison) {
      await outlet.postChart(
        channelId,
        migrationChart(comparison.migration, { previous: comparison.previousRunId, current: run.id }),
        { threadTs: ts },
      );
    }
    if (reran) {
      // The re-run is a new run like any other: a big change still gets its thread.
      await service.detectChange(channelId, run.id).catch((error: unknown) => {
        logger.error(safeErrorFields(error, 'change detection after digest'), 'change detection failed');
      });
    }
    return ts;
  };

  /**
   * A schedule set with `pull=<source>` imports fresh data first, in the channel's queue like any
   * import; the digest then re-runs segmentation on it. A failed pull is said in the channel and the
   * digest goes out on the data already there, rather than not at all.
   */
  const pullBeforeDigest = async (channelId: string, userId: string, sourceName: string): Promise<void> => {
    try {
      await options.queue.run(
        channelId,
        (signal) => options.pullSource({ channelId, userId, sourceName, signal }),
        'pull',
      );
    } catch (error) {
      logger.warn(
        safeErrorFields(error, 'pull before digest'),
        'pull before digest failed; using the data already here',
      );
      await outlet.post(channelId, {
        text: `:warning: segbot could not pull source *${escapeSlackText(sourceName)}* before this digest, so it uses the data already in the channel.\n${errorText(error, logger, 'pull before digest')}`,
      });
    }
  };

  let retryTimer: unknown = null;
  const retryIn = (ms: number) => {
    if (retryTimer !== null) return;
    retryTimer = clock.setTimeout(() => {
      retryTimer = null;
      void scheduler.tick();
    }, ms);
  };
  const scheduler = createDigestScheduler({
    clock,
    ledger,
    post: (digest) => service.post(digest),
    onError(error, digest) {
      logger.error(
        {
          ...safeErrorFields(error, 'scheduled digest'),
          channelId: digest.channelId,
          periodKey: digest.periodKey,
        },
        'digest post failed; it stays owed and is retried',
      );
      // The scheduler's own timer waits for next week's occurrence; a failed one is tried sooner.
      retryIn(retryAfterMs);
    },
    onBusy(digest) {
      logger.info(
        { channelId: digest.channelId, periodKey: digest.periodKey },
        'another instance is posting this digest; looking again once its claim could have lapsed',
      );
      retryIn(options.claimant.leaseMs + 1);
    },
  });

  const threadRuns = async (
    channelId: string,
    runId: number,
    previousRunId: number | null,
  ): Promise<ThreadRuns | null> => {
    const current = await runs.getRun(channelId, runId);
    const previous =
      previousRunId !== null
        ? await runs.getRun(channelId, previousRunId)
        : await runs.previousRun(channelId, runId);
    if (!current || !previous) return null;
    const previousSnap = await snapshots.load(previous);
    const currentSnap = await snapshots.load(current);
    const facts = (run: RunRecord) => ({
      id: run.id,
      datasetVersion: run.datasetVersion,
      createdAt: run.createdAt,
      k: run.k ?? run.segments.length,
      silhouette: run.silhouette,
    });
    return {
      comparison: compareRuns(previousSnap, currentSnap),
      previous: previousSnap,
      current: currentSnap,
      previousFacts: facts(previous),
      currentFacts: facts(current),
    };
  };

  /** The channel's latest run compared with its previous one, or why there is no such comparison. */
  const latestComparison = async (channelId: string): Promise<ThreadRuns | { reason: string }> => {
    const run = await runs.latestRun(channelId, { status: 'done' });
    if (!run) return { reason: 'this channel has no segmentation yet' };
    const { comparison, previous, notCompared } = await compareWithPrevious(run);
    if (notCompared !== null) return { reason: notCompared };
    if (!comparison || !previous) return { reason: `run #${run.id} has no earlier run to compare with` };
    return (await threadRuns(channelId, run.id, previous.id)) ?? { reason: 'the runs are no longer stored' };
  };

  /** Posts one scheduled digest, first looking in Slack for one an earlier attempt may have sent. */
  const postDigest = async (digest: DigestToPost): Promise<string> => {
    if (digest.recovering) {
      // An earlier attempt claimed this period and may have reached Slack before the process died.
      const found = await outlet.findDigest(digest.channelId, digest.periodKey);
      if (found) {
        logger.info(
          { channelId: digest.channelId, periodKey: digest.periodKey },
          'digest was already posted',
        );
        return found;
      }
    }
    const schedule = await schedules.getSchedule(digest.channelId);
    if (schedule?.pullSource)
      await pullBeforeDigest(schedule.channelId, schedule.createdBy, schedule.pullSource);
    return publish(digest.channelId, {
      dueAt: digest.dueAt,
      late: digest.late,
      periodKey: digest.periodKey,
      timezone: schedule?.timezone ?? 'UTC',
      userId: schedule?.createdBy ?? 'USLACKBOT',
    });
  };

  const service: DigestService = {
    scheduler,
    ledger,
    outlet,
    clock,

    async post(digest) {
      // The claim is renewed while the post runs (a re-run can take minutes); if this instance
      // dies, renewals stop and another takes the digest over after one lease.
      const { claimant } = options;
      const renewal =
        claimant.leaseMs > 0
          ? setInterval(
              () => {
                schedules
                  .renewDigest(digest.channelId, digest.periodKey, claimant)
                  .catch((error: unknown) => {
                    logger.warn(safeErrorFields(error, 'digest lease'), 'could not renew a digest claim');
                  });
              },
              Math.max(10, Math.floor(claimant.leaseMs / 3)),
            )
          : null;
      renewal?.unref();
      try {
        return await postDigest(digest);
      } finally {
        if (renewal) clearInterval(renewal);
      }
    },

    async postNow(channelId, userId) {
      const schedule = await schedules.getSchedule(channelId);
      return publish(channelId, {
        dueAt: null,
        late: false,
        periodKey: `now-${clock.now().toISOString()}`,
        timezone: schedule?.timezone ?? 'UTC',
        userId,
      });
    },

    async detectChange(channelId, runId) {
      const existing = await schedules.changeThreadForRun(channelId, runId);
      if (existing) return existing.threadTs;
      const run = await runs.getRun(channelId, runId);
      if (run?.status !== 'done') return null;
      const { comparison, previous, notCompared } = await compareWithPrevious(run);
      if (notCompared !== null) {
        // Said in the channel, plainly and once, instead of an alert about unrelated customers.
        await outlet.post(channelId, { text: `:information_source: ${capitalize(notCompared)}.` });
        return null;
      }
      if (!comparison || !previous) return null;
      const thresholdPp = await schedules.getAlertThreshold(channelId);
      if (!isSignificantChange(comparison, thresholdPp)) return null;
      return postChangeThread(outlet, {
        channelId,
        comparison,
        current: run.segments,
        thresholdPp,
        rfm: await channelRfm(datasets, channelId),
        onOpened: async (threadTs) => {
          await schedules.recordChangeThread({ channelId, runId, previousRunId: previous.id, threadTs });
        },
      });
    },

    async detectRfmChange(channelId) {
      const rfm = await channelRfm(datasets, channelId);
      if (!rfm?.change) return null;
      const thresholdPp = await schedules.getAlertThreshold(channelId);
      if (rfm.change.maxShareChangePp < thresholdPp) return null;
      return postRfmChangeThread(outlet, { channelId, rfm, thresholdPp });
    },

    async answerMention(event) {
      const replyTs = event.threadTs ?? event.ts;
      const question = parseMention(event.text);
      const record = event.threadTs
        ? await schedules.findChangeThread(event.channelId, event.threadTs)
        : null;
      try {
        const loaded = record ? await threadRuns(event.channelId, record.runId, record.previousRunId) : null;
        let answer: MentionAnswer;
        if (loaded) {
          answer = answerMention(question, loaded);
        } else if (!record && question.kind === 'movers' && question.from.length === 0) {
          // "movers" alone outside a change thread: the latest run compared with its previous one.
          const latest = await latestComparison(event.channelId);
          answer = 'reason' in latest ? noComparisonAnswer(latest.reason) : answerMention(question, latest);
        } else {
          answer = mentionHelp(
            'I answer questions about segment changes in the threads I open when segments change (“Segments changed in run #…”). Mention me there with:',
          );
        }
        await outlet.post(event.channelId, { text: answer.text, blocks: answer.blocks, threadTs: replyTs });
        if (answer.file) {
          await outlet.upload(
            event.channelId,
            {
              bytes: Buffer.from(answer.file.content, 'utf8'),
              filename: answer.file.filename,
              title: answer.file.title,
            },
            { threadTs: replyTs },
          );
        }
      } catch (error) {
        const text = `:warning: ${errorText(error, logger, 'mention')}`;
        await outlet.post(event.channelId, { text, threadTs: replyTs }).catch((postError: unknown) => {
          logger.error(safeErrorFields(postError, 'mention error reply'), 'could not answer a mention');
        });
      }
    },

    async nextDigest(channelId) {
      const schedule = await schedules.getSchedule(channelId);
      if (!schedule) return null;
      return nextDue(
        { day: schedule.day, time: schedule.time, timezone: schedule.timezone, since: schedule.createdAt },
        clock.now(),
      );
    },

    start: () => scheduler.start(),
    stop() {
      scheduler.stop();
      if (retryTimer !== null) clock.clearTimeout(retryTimer);
      retryTimer = null;
    },
  };
  return service;
}

/**
 * The features to re-run with: all usable columns again when the last run used all of its
 * dataset's, otherwise the ones it asked for that the new upload still has.
 */
function featuresFor(
  last: RunRecord,
  lastDataset: DatasetRecord | null,
  dataset: DatasetRecord,
): string[] | undefined {
  const used = last.params.features;
  if (!used || used.length === 0) return undefined;
  const usable = (d: DatasetRecord) =>
    d.schema.columns.filter((c) => c.role === 'numeric' || c.role === 'categorical').map((c) => c.name);
  if (lastDataset) {
    const before = usable(lastDataset);
    if (before.length === used.length && before.every((name) => used.includes(name))) return undefined;
  }
  const now = new Set(usable(dataset));
  const kept = used.filter((name) => now.has(name));
  return kept.length > 0 ? kept : undefined;
}
