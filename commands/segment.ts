/**
 * `/segbot segment [k=auto|N] [features=a,b] [seed=N] [method=kmeans|gmm|density|compare] [keep=gmm]`:
 * segments the channel's latest dataset in
 * the channel's job queue, following the engine's stages in a progress message, then posts the
 * summary and the charts. The run is recorded whatever happens (running, then done or failed).
 */
import { CHOOSE_K_DEFAULTS } from '../src/analytics/cluster/choose-k.js';
import { limitFeatures } from '../src/analytics/segment/preprocess.js';
import type { MethodChoice, SegmentStage } from '../src/analytics/types.js';
import { BadInputError } from '../src/errors.js';
import { runSegmentation } from '../src/services/run-segmentation.js';
import { methodComparisonMessage } from '../src/slack/blocks/compare-methods-blocks.js';
import { formatCount } from '../src/slack/blocks/format.js';
import { type RunFacts, runSummaryMessage } from '../src/slack/blocks/segment-blocks.js';
import { escapeSlackText } from '../src/slack/escape-text.js';
import { postMessage, startProgress } from '../src/slack/post-message.js';
import { errorText, safeErrorFields } from '../src/slack/report-error.js';
import { createChartUploader } from '../src/slack/upload-chart.js';
import { channelColorSlots, runChartRequests } from './charts.js';
import { type CommandContext, requireLatestDataset, runQueued } from './context.js';
import type { DatasetRecord, RunRecord } from './deps.js';
import { closest, parseSegmentArgs, type SegmentArgs } from './parse-args.js';

/** The grouping stages for a method other than k-means. */
function methodStageText(method: MethodChoice, stage: SegmentStage): string {
  if (method === 'gmm' && stage === 'choose-k')
    return `Fitting Gaussian mixtures of ${CHOOSE_K_DEFAULTS.kMin} to ${CHOOSE_K_DEFAULTS.kMax} segments to pick the best by BIC`;
  if (method === 'gmm' && stage === 'cluster') return 'Grouping customers (Gaussian mixture)';
  if (method === 'density' && stage === 'cluster')
    return 'Grouping customers by density and finding unusual ones';
  if (method === 'compare' && (stage === 'choose-k' || stage === 'cluster'))
    return 'Grouping customers with k-means, a Gaussian mixture and density';
  return STAGE_TEXT[stage];
}

/** What each engine stage means to a marketer, in the order they run. */
export const STAGE_TEXT: Record<SegmentStage, string> = {
  preprocess: 'Preparing the data (filling gaps, scaling amounts)',
  pca: 'Mapping customer behaviour (PCA)',
  'choose-k': `Trying ${CHOOSE_K_DEFAULTS.kMin} to ${CHOOSE_K_DEFAULTS.kMax} segments to pick the best number`,
  cluster: 'Grouping customers (k-means)',
  silhouette: 'Measuring how well the segments separate',
  profile: 'Profiling and naming the segments',
};

const STAGE_ORDER: SegmentStage[] = ['preprocess', 'pca', 'choose-k', 'cluster', 'silhouette', 'profile'];

/** Checks requested features against the dataset's columns before any work starts. */
export function checkFeatures(dataset: DatasetRecord, features: readonly string[] | undefined): void {
  const usable = dataset.schema.columns
    .filter((c) => c.role === 'numeric' || c.role === 'categorical')
    .map((c) => c.name);
  limitFeatures(usable, features);
  if (!features) return;
  const lower = new Map(usable.map((name) => [name.toLowerCase(), name]));
  const problems: string[] = [];
  const unusable: string[] = [];
  for (const feature of features) {
    if (lower.has(feature.toLowerCase())) continue;
    unusable.push(feature);
    const column = dataset.schema.columns.find((c) => c.name.toLowerCase() === feature.toLowerCase());
    if (column) {
      problems.push(`${column.name} is not used for segments (${column.role}: ${column.reason})`);
    } else {
      const suggestion = closest(feature, usable);
      problems.push(
        `${feature} is not a column of ${dataset.fileName}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new BadInputError(`Some features cannot be used for segmentation: ${problems.join('; ')}.`, {
      hint: `Usable columns: ${usable.join(', ') || '(none)'}. Example: /segbot segment features=${usable.slice(0, 2).join(',') || 'BALANCE,PURCHASES'}`,
      // A column's reason can quote its one value ("constant: every value is 12").
      storedMessage: `Some features cannot be used for segmentation: ${unusable.join(', ')}.`,
    });
  }
}

function describeParams(args: SegmentArgs): string {
  const parts = [`k=${args.k}`, `seed ${args.seed}`];
  if (args.method !== 'kmeans') parts.unshift(`method=${args.method}`);
  if (args.covariance) parts.push(`${args.covariance} covariances`);
  if (args.keep) parts.push(`keeping ${args.keep}`);
  if (args.features) parts.push(`features ${args.features.map((f) => escapeSlackText(f)).join(', ')}`);
  return parts.join(', ');
}

function progressText(dataset: DatasetRecord, args: SegmentArgs, stage: SegmentStage | null): string {
  const head = `:hourglass_flowing_sand: Segmenting ${escapeSlackText(dataset.fileName)} (v${dataset.version}, ${formatCount(dataset.rowCount)} customers; ${describeParams(args)})`;
  if (stage === null) return `${head}: starting…`;
  const step = STAGE_ORDER.indexOf(stage) + 1;
  // A quick step can be overtaken before Slack takes the update: saying which steps are done keeps
  // "Step 4" followed by "Step 6" from reading as a skipped step.
  const done = step === 1 ? '' : step === 2 ? ' (step 1 done)' : ` (steps 1–${step - 1} done)`;
  return `${head}\nStep ${step} of ${STAGE_ORDER.length}${done}: ${methodStageText(args.method, stage)}…`;
}

/**
 * The features a run asked for, or undefined when it used every usable column (a completed run
 * stores the full list it used, which reads better as "all").
 */
export function requestedFeatures(
  features: readonly string[] | undefined,
  dataset: Pick<DatasetRecord, 'schema'> | null,
): string[] | undefined {
  if (!features || features.length === 0) return undefined;
  if (dataset) {
    const usable = dataset.schema.columns.filter((c) => c.role === 'numeric' || c.role === 'categorical');
    const chosen = new Set(features.map((f) => f.toLowerCase()));
    if (usable.length === chosen.size && usable.every((c) => chosen.has(c.name.toLowerCase())))
      return undefined;
  }
  return [...features];
}

/** The facts a run's summary is built from. */
export function factsOf(
  run: RunRecord,
  dataset: Pick<DatasetRecord, 'fileName' | 'schema'> | null,
): RunFacts {
  const features = requestedFeatures(run.params.features, dataset);
  return {
    id: run.id,
    userId: run.userId,
    datasetVersion: run.datasetVersion,
    fileName: dataset?.fileName ?? `dataset v${run.datasetVersion}`,
    createdAt: run.createdAt,
    params: {
      k: run.params.k,
      seed: run.params.seed,
      ...(features ? { features } : {}),
      ...(run.params.method && run.params.method !== 'compare' ? { method: run.params.method } : {}),
      ...(run.params.sure ? { sure: run.params.sure } : {}),
    },
    k: run.k ?? run.segments.length,
    silhouette: run.silhouette ?? Number.NaN,
    silhouetteSample: run.silhouetteSample,
    kSelection: run.kSelection,
    segments: run.segments,
  };
}

/** Runs `/segbot segment`. */
export async function runSegment(ctx: CommandContext): Promise<void> {
  const args = parseSegmentArgs(ctx.args);
  // Fail fast on the things that need no queue: no data yet, unknown feature names.
  checkFeatures(await requireLatestDataset(ctx), args.features);
  await runQueued(ctx, 'segment', 'segmentation', async (job) => {
    const { deps } = ctx;
    // The latest dataset when the job starts: an upload queued before this command counts.
    const dataset = await requireLatestDataset(ctx);
    checkFeatures(dataset, args.features);
    const progress = await startProgress(ctx.client, {
      channelId: ctx.channelId,
      text: progressText(dataset, args, null),
      logger: deps.logger,
    });
    await job.setProgressTs(progress.ts);
    const outcome = await runSegmentation(deps, {
      channelId: ctx.channelId,
      userId: ctx.userId,
      dataset,
      params: {
        k: args.k,
        seed: args.seed,
        method: args.method,
        ...(args.features ? { features: args.features } : {}),
        ...(args.covariance ? { covariance: args.covariance } : {}),
        ...(args.keep ? { keep: args.keep } : {}),
      },
      onStage: (stage) => progress.stage(progressText(dataset, args, stage)),
      signal: job.signal,
      failureText: (error) => errorText(error, deps.logger, 'segment'),
    });
    if (outcome.status === 'failed') {
      job.markFailed(outcome.error);
      const which = outcome.runId === null ? '' : ` run #${outcome.runId}`;
      await progress.finish(`:x: Segmentation${which} failed; nothing was changed.\n${outcome.message}`);
      return;
    }
    const { run: stored, result } = outcome;
    deps.logger.info(
      { channelId: ctx.channelId, runId: stored.id, k: result.k, silhouette: result.silhouette },
      'segmentation run completed',
    );
    const summary = runSummaryMessage(factsOf(stored, dataset));
    await progress.finish(summary.text, summary.blocks);
    if (result.comparison) {
      const compared = methodComparisonMessage({
        runId: stored.id,
        fileName: dataset.fileName,
        comparison: result.comparison,
      });
      await postMessage(ctx.client, { channelId: ctx.channelId, ...compared });
    }
    const specFailures: string[] = [];
    const charts = runChartRequests(
      deps.charts,
      {
        segments: stored.segments,
        kSelection: result.kSelection,
        scatter: {
          projection: result.pca.projection,
          labels: result.labels,
          explainedVarianceRatio: result.pca.explainedVarianceRatio,
        },
        autoK: args.k === 'auto',
        colors: await channelColorSlots(deps.runs, ctx.channelId, stored.id),
        runId: stored.id,
      },
      (title, error) => {
        deps.logger.error(safeErrorFields(error, `chart spec ${title}`), 'chart spec failed');
        specFailures.push(title);
      },
    );
    const uploader = createChartUploader({
      client: ctx.client,
      renderChart: deps.renderChart,
      logger: deps.logger,
    });
    await uploader.postCharts(
      { channelId: ctx.channelId, comment: `Charts for run #${stored.id}` },
      charts,
      specFailures,
    );
    // A run that moves segments beyond the channel's threshold opens a "segments changed" thread.
    await deps.digests.detectChange(ctx.channelId, stored.id).catch((error: unknown) => {
      deps.logger.error(safeErrorFields(error, 'change detection'), 'change detection failed');
    });
  });
}
